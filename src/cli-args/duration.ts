/** Durations on the command line: `90s`, `10m`, `1h`, `1h30m`, `500ms`, or plain seconds. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { describeDurationBound, type Bound } from './defaults.js';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const HINT = 'Use e.g. 90s, 10m, 1h or 1h30m.';

/** Parse without a range check; zero allowed. Throws a usage error naming the flag and the value. */
export function parseDurationText(text: string, flag: string): number {
  const s = String(text).trim().toLowerCase();
  if (s.length > 40)
    throw new UsageError(`${flag} "${String(text).slice(0, 40)}…" is not a duration.`, { code: ERROR_CODES.flagFormat, hint: HINT });
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * UNIT[m[2]!]!;
    consumed = m.index + m[0].length;
  }
  if (!s || consumed !== s.length || !Number.isFinite(total))
    throw new UsageError(`${flag} "${text}" is not a duration; expected e.g. 90s, 10m, 1h or 1h30m.`, {
      code: ERROR_CODES.flagFormat,
      hint: HINT,
    });
  return Math.round(total);
}

/** A duration that must be longer than zero, and within `bound` when given. */
export function parseDuration(text: string, flag = 'duration', bound?: Bound): number {
  const ms = parseDurationText(text, flag);
  if (ms <= 0)
    throw new UsageError(`${flag} "${text}" must be longer than zero${bound ? ` (expected ${describeDurationBound(bound)})` : ''}.`, {
      code: ERROR_CODES.flagRange,
    });
  if (bound && (ms < bound.min || ms > bound.max))
    throw new UsageError(`${flag} "${text}" is out of range: expected ${describeDurationBound(bound)}.`, { code: ERROR_CODES.flagRange });
  return ms;
}
