/**
 * Every flag default and every flag bound, declared once. The commands' option declarations and
 * help texts (cli/commands/*) and the parsers (src/cli-args/*) read them from here.
 */
export const FLAG_DEFAULTS = {
  /** deploy / rollback / restart / scale: give up after this long. */
  timeout: '15m',
  maxFailedTasks: 2,
  /** Time between polls of a watched rollout (1s on the sandbox). */
  pollInterval: '3s',
  sandboxPollInterval: '1s',
  /** status --watch refresh. */
  statusInterval: '2s',
  /** health: the HTTP check's time limit. */
  healthTimeout: '5s',
  /** logs --since. */
  logsSince: '10m',
  /** plan / apply / destroy / outputs / sandbox up: stacks at once. */
  parallelism: 4,
  /** plan / apply / destroy: terraform -lock-timeout. */
  lockTimeout: '0s',
  /** run: stop the one-off task if it has not exited after this long. */
  runTimeout: '30m',
  /** db snapshot: wait this long for the snapshot to be available. */
  snapshotTimeout: '30m',
  /** db restore: wait this long for the new cluster and its writer. */
  restoreTimeout: '90m',
  /** db copy-snapshot: wait this long for the copy in the other region. */
  copyTimeout: '2h',
  /** revisions: the newest release revisions kept, and the days within which any revision is kept. */
  revisionsKeep: 10,
  revisionsKeepDays: 14,
} as const;

export interface Bound {
  min: number;
  max: number;
}

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

/** Accepted ranges, in milliseconds for durations. */
export const FLAG_BOUNDS = {
  timeout: { min: 1 * S, max: 24 * H },
  pollInterval: { min: 50, max: 5 * MIN },
  maxFailedTasks: { min: 1, max: 100 },
  statusInterval: { min: 100, max: 1 * H },
  /** status --watch --for / logs --follow --for */
  forDuration: { min: 100, max: 7 * D },
  healthTimeout: { min: 100, max: 2 * MIN },
  /** logs --since/--until as a duration back: CloudWatch Logs keeps at most 10 years. */
  logsLookback: { min: 1, max: 3653 * D },
  /** scale --count: ECS runs at most 5000 tasks per service; berth's environment caps maxCount at 1000. */
  count: { min: 0, max: 1000 },
  parallelism: { min: 1, max: 32 },
  lockTimeout: { min: 0, max: 1 * H },
  /** rollback --to <n>: a task-definition revision (ECS numbers them from 1; 1,000,000 is the cap per family). */
  revision: { min: 1, max: 1_000_000 },
} as const satisfies Record<string, Bound>;

/** "10s to 24h" for help texts and messages. */
export function describeDurationBound(b: Bound): string {
  return `${fmt(b.min)} to ${fmt(b.max)}`;
}

function fmt(ms: number): string {
  for (const [unit, size] of [
    ['d', D],
    ['h', H],
    ['m', MIN],
    ['s', S],
  ] as const)
    if (ms >= size && ms % size === 0 && (unit !== 'd' || ms > D)) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
