/** Whole numbers on the command line (--count, --parallelism, --max-failed-tasks, revisions). */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import type { Bound } from './defaults.js';

export function parseWholeNumber(text: string, flag: string, bound: Bound): number {
  const s = String(text).trim();
  const expected = `a whole number from ${bound.min} to ${bound.max}`;
  if (!/^\d+$/.test(s)) throw new UsageError(`${flag} "${text}": expected ${expected}.`, { code: ERROR_CODES.flagFormat });
  const n = Number(s);
  if (s.length > 15 || n < bound.min || n > bound.max)
    throw new UsageError(`${flag} "${text}" is out of range: expected ${expected}.`, { code: ERROR_CODES.flagRange });
  return n;
}
