/** `--since`: a duration back from now (10m, 2h, 1h30m, 90s, 1d) or an ISO date/time. */
import { UsageError } from '../output/errors.js';
import { parseDuration } from '../rollout/duration.js';

export function parseSince(text: string, now: number = Date.now()): number {
  const s = String(text ?? '').trim();
  if (!s) throw new UsageError('--since is empty.', { hint: 'Use a duration such as 10m or 2h, or an ISO time such as 2025-05-01T10:00:00Z.' });
  if (/^\d+(\.\d+)?(ms|s|m|h|d)?(\d+(\.\d+)?(ms|s|m|h|d))*$/i.test(s) && !/^\d{4}-/.test(s)) {
    return now - parseDuration(s, '--since');
  }
  // ISO 8601: a date, or a date and time (with Z or an offset; none means UTC, like the AWS CLI).
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (iso) {
    const hasZone = Boolean(iso[8]);
    const t = Date.parse(hasZone || !iso[4] ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
    if (!Number.isNaN(t)) {
      if (t > now) throw new UsageError(`--since ${s} is in the future.`);
      return t;
    }
  }
  throw new UsageError(`--since "${s}" is neither a duration nor an ISO time.`, { hint: 'Use e.g. 10m, 2h, 1d, or 2025-05-01T10:00:00Z.' });
}
