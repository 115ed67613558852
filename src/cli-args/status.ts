/** `berth status` and `berth health` flags, checked before any AWS call. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';

export function statusSettings(f: { watch?: boolean; json?: boolean; interval?: string; for?: string }): {
  intervalMs: number;
  forMs?: number;
} {
  if (f.watch && f.json)
    throw new UsageError('--watch and --json do not combine: poll `berth status --json` instead.', { code: ERROR_CODES.flagCombination });
  if (f.for !== undefined && !f.watch) throw new UsageError('--for works with --watch only.', { code: ERROR_CODES.flagCombination });
  const intervalMs = parseDuration(f.interval ?? FLAG_DEFAULTS.statusInterval, '--interval', FLAG_BOUNDS.statusInterval);
  const forMs = f.for !== undefined ? parseDuration(f.for, '--for', FLAG_BOUNDS.forDuration) : undefined;
  return { intervalMs, forMs };
}

export function healthTimeout(text: string | undefined): number {
  return parseDuration(text ?? FLAG_DEFAULTS.healthTimeout, '--timeout', FLAG_BOUNDS.healthTimeout);
}
