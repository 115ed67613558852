/**
 * The options every watched operation shares (deploy, rollback, restart, scale), defined once so
 * their names, defaults and help cannot drift apart. Read by src/rollout/cli-support.ts watchSettings().
 */
import type { Command } from 'commander';

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
  return cmd
    .option('--timeout <duration>', 'give up after this long (90s, 10m, 1h)', '15m')
    .option('--max-failed-tasks <n>', maxFailedHelp, '2')
    .option('--no-smoke', "do not require the service's health URL to answer 2xx")
    .option('--poll-interval <duration>', 'time between polls (default 3s; 1s in the sandbox)');
}
