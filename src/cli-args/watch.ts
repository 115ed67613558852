/** The flags every watched operation shares (deploy, rollback, restart, scale), parsed and range-checked. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { parseWholeNumber } from './number.js';

export interface WatchFlags {
  timeout?: string;
  maxFailedTasks?: string;
  smoke?: boolean;
  pollInterval?: string;
}

export interface WatchSettings {
  timeoutMs: number;
  maxFailedTasks: number;
  smoke: boolean;
  /** undefined: the default for where it runs (FLAG_DEFAULTS.pollInterval, or sandboxPollInterval). */
  pollMs?: number;
}

/** Validate every flag before touching AWS: bad input exits 2 with nothing changed. */
export function watchSettings(f: WatchFlags): WatchSettings {
  const timeoutMs = parseDuration(f.timeout ?? FLAG_DEFAULTS.timeout, '--timeout', FLAG_BOUNDS.timeout);
  const maxFailedTasks =
    f.maxFailedTasks === undefined
      ? FLAG_DEFAULTS.maxFailedTasks
      : parseWholeNumber(f.maxFailedTasks, '--max-failed-tasks', FLAG_BOUNDS.maxFailedTasks);
  const pollMs = f.pollInterval !== undefined ? parseDuration(f.pollInterval, '--poll-interval', FLAG_BOUNDS.pollInterval) : undefined;
  if (pollMs !== undefined && pollMs >= timeoutMs) {
    throw new UsageError(
      `--poll-interval "${f.pollInterval}" must be shorter than --timeout (${f.timeout ?? FLAG_DEFAULTS.timeout}); ` +
        'expected a shorter interval or a longer timeout.',
      { code: ERROR_CODES.flagCombination },
    );
  }
  return { timeoutMs, maxFailedTasks, smoke: f.smoke !== false, pollMs };
}
