/**
 * How a one-off task ended, from its stopped DescribeTasks entry: its command exited (the
 * container's exit code is the answer), it never started, or it was stopped before exiting (out of
 * memory, someone's StopTask, Spot). The explanation is the one deploys use (rollout/explain.ts).
 * Pure.
 */
import { EXIT } from '../output/exit-codes.js';
import { explainStop } from '../ecs/stop-explanations.js';
import type { FailureKind, TaskSnap } from '../rollout/types.js';

export type RunStatus = 'exited' | 'not-started' | 'stopped';

export interface RunOutcome {
  status: RunStatus;
  exitCode: number;
  /** The essential container's exit code, when it has one. */
  containerExitCode?: number;
  kind?: FailureKind;
  explanation?: string;
  stopCode?: string;
  stoppedReason?: string;
}

export interface OutcomeContext {
  container: string;
  cpuArchitecture?: string;
  memory?: number;
  image?: string;
}

export function runOutcome(t: TaskSnap, logLines: string[], c: OutcomeContext): RunOutcome {
  const app = (t.containers ?? []).find((x) => x.name === c.container) ?? t.containers?.[0];
  const base = { stopCode: t.stopCode, stoppedReason: t.stoppedReason, containerExitCode: app?.exitCode };
  const ex = explainStop(t, logLines, { container: c.container, cpuArchitecture: c.cpuArchitecture, memory: c.memory, image: c.image });
  const neverRan = t.stopCode === 'TaskFailedToStart' || !t.startedAt || app?.exitCode === undefined;
  if (ex.kind === 'arch-mismatch' || neverRan)
    return { ...base, status: 'not-started', exitCode: EXIT.RUN_NOT_STARTED, kind: ex.kind, explanation: ex.explanation };
  if (ex.kind === 'oom' || (t.stopCode !== undefined && t.stopCode !== 'EssentialContainerExited'))
    return { ...base, status: 'stopped', exitCode: EXIT.RUN_STOPPED, kind: ex.kind, explanation: ex.explanation };
  return { ...base, status: 'exited', exitCode: app?.exitCode ?? EXIT.FAILED };
}
