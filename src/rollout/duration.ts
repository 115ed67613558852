/** Durations on the command line: `90s`, `10m`, `1h`, `1h30m`, `500ms`, or plain seconds. */
import { UsageError } from '../output/errors.js';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string, flag = 'duration'): number {
  const s = String(text).trim().toLowerCase();
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
  if (!s || consumed !== s.length) throw new UsageError(`${flag} "${text}" is not a duration.`, { hint: 'Use e.g. 90s, 10m, 1h or 1h30m.' });
  if (total <= 0) throw new UsageError(`${flag} "${text}" must be longer than zero.`);
  return Math.round(total);
}
