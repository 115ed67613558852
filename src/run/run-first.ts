/**
 * `deploy --run-first "<command>"` (or the service's `release.runFirst`): the migration step of a
 * release. The command runs as a one-off task of the NEW revision (the new image, the service's
 * network, secrets and logging) after it is registered and before the service moves; its log lines
 * stream as they arrive. Anything but exit code 0 stops the release: the service stays on its
 * revision, no traffic moves, exit code 44 (RUN_FIRST_FAILED).
 */
import { EXIT } from '../output/exit-codes.js';
import type { BeforeUpdateStop, Op, RevisionRef } from '../rollout/op-types.js';
import { shortTd } from '../ecs/ids.js';
import type { FailureGroup } from '../rollout/types.js';
import { commandFromLine } from './command.js';
import { runOneOff, type RunResult } from './run.js';

export interface RunFirstSettings {
  line: string;
  timeoutMs: number;
  /** Where it came from, for messages: the flag or the environment file. */
  from: '--run-first' | 'release.runFirst';
}

/** The run-first step of a service: the flag wins over the environment file; --no-run-first skips both. */
export function runFirstSettings(op: Pick<Op, 'svc'>, flag: string | false | undefined, timeoutMs?: number): RunFirstSettings | undefined {
  if (flag === false) return undefined;
  const line = typeof flag === 'string' ? flag : op.svc.release?.runFirst;
  if (!line) return undefined;
  commandFromLine(line, typeof flag === 'string' ? '--run-first' : 'release.runFirst');
  return {
    line,
    timeoutMs: timeoutMs ?? (op.svc.release?.runFirstTimeoutMinutes ?? 30) * 60_000,
    from: typeof flag === 'string' ? '--run-first' : 'release.runFirst',
  };
}

export function runFirstHook(
  op: Op,
  s: RunFirstSettings,
  o: { yes?: boolean; interactive?: boolean; ask?: (q: string) => Promise<boolean> },
) {
  return async (newRev: RevisionRef): Promise<BeforeUpdateStop | undefined> => {
    op.reporter.info(`running first (${s.from}) on ${shortTd(newRev.arn)}: ${s.line}`);
    const r: RunResult = await runOneOff(
      { ...op },
      {
        command: commandFromLine(s.line, s.from),
        taskDefinition: newRev.arn,
        size: {},
        timeoutMs: s.timeoutMs,
        yes: o.yes,
        interactive: o.interactive,
        ask: o.ask,
        onLine: (l) => op.reporter.info(`  | ${l}`),
      },
    );
    if (r.status === 'exited' && r.exitCode === 0) {
      op.reporter.info(`run-first task ${r.taskId} exited 0 after ${r.durationSeconds}s; moving the service`);
      return undefined;
    }
    const why =
      r.status === 'exited'
        ? `exited with code ${r.containerExitCode}`
        : r.status === 'timed-out'
          ? `did not exit within ${Math.round(s.timeoutMs / 1000)}s (stopped)`
          : r.status;
    const failure: FailureGroup = {
      kind: r.kind ?? 'essential-exit',
      explanation: r.explanation ?? `the run-first command ${why}`,
      definitive: true,
      count: 1,
      taskIds: [r.taskId],
      stopCode: r.stopCode,
      stoppedReason: r.stoppedReason,
      exitCode: r.containerExitCode,
      logTaskId: r.taskId,
      logLines: r.lines,
    };
    return {
      exitCode: EXIT.RUN_FIRST_FAILED,
      reasons: [
        `the run-first task ${r.taskId} (${s.line}) ${why}: the release stopped before the service was updated; no traffic moved`,
        ...(r.explanation ? [r.explanation] : []),
      ],
      failures: [failure],
      detail: r,
    };
  };
}
