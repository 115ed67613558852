/**
 * The options every watched operation shares (deploy, rollback, restart, scale), declared once so
 * their names, defaults and help cannot drift apart. Defaults and bounds come from
 * src/cli-args/defaults.ts; src/cli-args/watch.ts parses them.
 */
import type { Command } from 'commander';
import { describeDurationBound, FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';

/** What addWatchOptions() adds, plus the options every watched command has. */
export interface WatchOpts {
  env: string;
  service?: string;
  timeout?: string;
  maxFailedTasks?: string;
  smoke?: boolean;
  pollInterval?: string;
  json?: boolean;
}

export function addWatchOptions(cmd: Command, maxFailedHelp = 'failed tasks tolerated before failing'): Command {
  const b = FLAG_BOUNDS;
  return cmd
    .option('--timeout <duration>', `give up after this long (${describeDurationBound(b.timeout)})`, FLAG_DEFAULTS.timeout)
    .option(
      '--max-failed-tasks <n>',
      `${maxFailedHelp} (${b.maxFailedTasks.min}-${b.maxFailedTasks.max})`,
      String(FLAG_DEFAULTS.maxFailedTasks),
    )
    .option('--no-smoke', "do not require the service's health URL to answer 2xx")
    .option(
      '--poll-interval <duration>',
      `time between polls (default ${FLAG_DEFAULTS.pollInterval}; ${FLAG_DEFAULTS.sandboxPollInterval} in the sandbox; ${describeDurationBound(b.pollInterval)})`,
    );
}
