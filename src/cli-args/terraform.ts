/** plan / apply / destroy / outputs / sandbox up: --parallelism and --lock-timeout. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { describeDurationBound, FLAG_BOUNDS, FLAG_DEFAULTS } from './defaults.js';
import { parseDurationText } from './duration.js';
import { parseWholeNumber } from './number.js';

export interface TerraformFlags {
  parallelism?: string;
  lockTimeout?: string;
}

export function parseParallelism(text: string | undefined): number {
  return text === undefined ? FLAG_DEFAULTS.parallelism : parseWholeNumber(text, '--parallelism', FLAG_BOUNDS.parallelism);
}

/** terraform's -lock-timeout takes a Go duration: one number and unit (0s, 30s, 5m, 1h). */
export function parseLockTimeout(text: string | undefined): string {
  const s = text ?? FLAG_DEFAULTS.lockTimeout;
  const b = FLAG_BOUNDS.lockTimeout;
  if (!/^\d{1,9}(ms|s|m|h)$/.test(s))
    throw new UsageError(`--lock-timeout "${s}": expected a duration such as 0s, 30s or 5m.`, { code: ERROR_CODES.flagFormat });
  const ms = parseDurationText(s, '--lock-timeout');
  if (ms > b.max)
    throw new UsageError(`--lock-timeout "${s}" is out of range: expected 0s to ${describeDurationBound(b).split(' to ')[1]}.`, {
      code: ERROR_CODES.flagRange,
    });
  return s;
}

export function parseTerraformFlags(f: TerraformFlags): { parallelism: number; lockTimeout: string } {
  return { parallelism: parseParallelism(f.parallelism), lockTimeout: parseLockTimeout(f.lockTimeout) };
}
