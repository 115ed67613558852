/** `--since` / `--until`: a duration back from now (10m, 2h, 1h30m, 90s, 1d) or an ISO date/time. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { FLAG_BOUNDS } from './defaults.js';
import { parseDuration } from './duration.js';

const HINT = 'Use e.g. 10m, 2h, 1d, or 2025-05-01T10:00:00Z.';

export function parseSince(text: string, now: number = Date.now(), flag = '--since'): number {
  const s = String(text ?? '').trim();
  if (!s) throw new UsageError(`${flag} is empty; expected a duration or an ISO time.`, { code: ERROR_CODES.flagFormat, hint: HINT });
  if (/^\d+(\.\d+)?(ms|s|m|h|d)?(\d+(\.\d+)?(ms|s|m|h|d))*$/i.test(s) && !/^\d{4}-/.test(s)) {
    return now - parseDuration(s, flag, FLAG_BOUNDS.logsLookback);
  }
  // ISO 8601: a date, or a date and time (with Z or an offset; none means UTC, like the AWS CLI).
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (iso) {
    const hasZone = Boolean(iso[8]);
    const t = Date.parse(hasZone || !iso[4] ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
    if (!Number.isNaN(t)) {
      if (t > now) throw new UsageError(`${flag} ${s} is in the future; expected a time before now.`, { code: ERROR_CODES.flagRange });
      if (now - t > FLAG_BOUNDS.logsLookback.max)
        throw new UsageError(
          `${flag} ${s} is out of range: expected a time within the last 3653 days (CloudWatch Logs keeps at most 10 years).`,
          { code: ERROR_CODES.flagRange },
        );
      return t;
    }
  }
  throw new UsageError(`${flag} "${s}" is neither a duration nor an ISO time; expected e.g. 10m, 2h, 1d or 2025-05-01T10:00:00Z.`, {
    code: ERROR_CODES.flagFormat,
    hint: HINT,
  });
}
