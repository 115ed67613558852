/**
 * The shapes the rollout decisions work on: the ECS snapshots (src/ecs/types.ts), one poll of
 * them, the watched change's identity, and the verdict with its evidence.
 */
import type { ContainerSnap, Deployment, LoadBalancerRef, ServiceEvent, ServiceSnap, TargetSnap, TaskSnap, Time } from '../ecs/types.js';
import type { StopContext } from '../ecs/stop-explanations.js';
import type { StopKind } from '../ecs/stops.js';
import type { TargetTally } from '../ecs/targets.js';

export type { ContainerSnap, Deployment, LoadBalancerRef, ServiceEvent, ServiceSnap, TargetSnap, TaskSnap, Time };

export interface SmokeResult {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
  latencyMs?: number;
}

/** One poll of the world. */
export interface Snapshot {
  at: Time;
  service?: ServiceSnap;
  /** Tasks of the deployment being watched, stopped ones included. */
  tasks?: TaskSnap[];
  /** Target health of the service's target groups; null when the service has no load balancer. */
  targets?: TargetSnap[] | null;
  /** Last log lines of stopped tasks, by task id. */
  logs?: Record<string, string[]>;
  /** The HTTP check of the service's health URL, when it was run for this snapshot. */
  smoke?: SmokeResult;
  /** Set when this poll failed (e.g. ThrottlingException): the snapshot carries no data. */
  error?: string;
}

export type WatchKind = 'deploy' | 'rollback' | 'restart' | 'scale' | 'ecs-rollback';

/** What the watched change is: the ids that let the verdict tell ours from theirs (and, for explaining stops, the app container, its platform, image and health check). */
export interface Identity extends StopContext {
  kind: WatchKind;
  service: string;
  /** The task definition the change moves to (for restart/scale: the current one). */
  newTaskDefinition: string;
  /** The task definition the service ran before the change. */
  oldTaskDefinition: string;
  /** Deployment ids that existed before the change: none of them is ours. */
  previousDeploymentIds: string[];
  /** Our deployment's id when known up front (ecs-rollback: the rollback deployment). */
  deploymentId?: string;
  startedAt: Time;
  timeoutMs: number;
  /** Non-definitive task failures tolerated before the verdict is `failed`. */
  maxFailedTasks: number;
  /** Require the service's health URL to answer 2xx before `succeeded`. */
  smoke: boolean;
  /** Consecutive failed smoke checks that make the verdict `failed` (default 3). */
  smokeAttempts?: number;
  /** scale: the desired count asked for. */
  desiredCount?: number;
}

export type Verdict = 'in-progress' | 'succeeded' | 'failed' | 'rolled-back-by-ecs' | 'superseded' | 'timed-out';

/** Why a task of the watched deployment stopped (src/ecs/stops.ts decides). */
export type FailureKind = StopKind;

export interface FailureGroup {
  kind: FailureKind;
  /** One sentence an on-call engineer can act on. */
  explanation: string;
  /** Fails the deploy at its first occurrence (it will not fix itself by retrying). */
  definitive: boolean;
  count: number;
  taskIds: string[];
  stopCode?: string;
  stoppedReason?: string;
  container?: string;
  exitCode?: number;
  /** Last log lines of one such task, when fetched. */
  logTaskId?: string;
  logLines?: string[];
}

export interface TargetState {
  id: string;
  port?: number;
  state: string;
  reason?: string;
  description?: string;
  /** Does this target belong to a task of the watched deployment? */
  ours: boolean;
}

export interface Evidence {
  deploymentId?: string;
  deploymentStatus?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desired: number;
  running: number;
  pending: number;
  /** Tasks of the watched deployment that stopped for a failure reason. */
  failedTasks: number;
  failures: FailureGroup[];
  targets: (TargetTally & { list: TargetState[] }) | null;
  /** Old deployments still running tasks. */
  oldRunning: number;
  /** Everything but the smoke check is green: the loop should run it now. */
  needsSmoke: boolean;
  smoke?: SmokeResult;
  elapsedMs: number;
  /** What the verdict is still waiting for (in-progress / timed-out). */
  waitingFor: string[];
  /** The deployment ECS rolled back to (rolled-back-by-ecs). */
  rollbackDeploymentId?: string;
  /** The deployment that took over (superseded). */
  supersededBy?: { id: string; taskDefinition?: string };
  /** Polls that failed (throttling etc.) so far. */
  failedPolls: number;
}

export interface Judgement {
  verdict: Verdict;
  reasons: string[];
  evidence: Evidence;
}
