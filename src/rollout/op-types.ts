/** The shapes shared by deploy, rollback, restart and scale: what they operate on, their settings and their results. */
import type { AwsContext } from '../aws/context.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import type { Reporter } from '../output/reporter.js';
import type { EcsOps } from './ecs-ops.js';
import type { ReleaseOps } from './release/ops.js';
import type { ReleaseReport } from './release/report.js';
import type { ReleaseSettings } from './release/settings.js';
import type { ServiceLocator } from './fetch.js';
import type { FailureGroup, Judgement } from './types.js';

export interface Op {
  env: EnvironmentConfig;
  svc: ServiceConfig;
  ctx: AwsContext;
  loc: ServiceLocator;
  reporter: Reporter;
  /** The AWS calls; default: the SDK (sdkEcsOps(ctx)). */
  ecsOps?: EcsOps;
  /** The AWS calls of a progressive release; default: the SDK (sdkReleaseOps(ctx)). */
  releaseOps?: ReleaseOps;
}

export interface WatchSettings {
  timeoutMs: number;
  maxFailedTasks: number;
  smoke: boolean;
  pollMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RevisionRef {
  arn: string;
  revision?: number;
  image?: string;
}

export interface RollbackOutcome {
  by: 'berth' | 'ecs';
  to: RevisionRef;
  deploymentId?: string;
  verdict: Judgement['verdict'];
  reasons: string[];
  durationSeconds: number;
}

export type OpCommand = 'deploy' | 'rollback' | 'restart' | 'scale';

export interface OpResult {
  ok: boolean;
  command: OpCommand;
  service: string;
  cluster: string;
  verdict: Judgement['verdict'];
  exitCode: number;
  image?: string;
  oldRevision: RevisionRef;
  newRevision: RevisionRef;
  deploymentId?: string;
  desiredCount?: number;
  reasons: string[];
  failures: FailureGroup[];
  rollback: RollbackOutcome | null;
  durations: { startedAt: string; verdictAfterSeconds: number; rollbackSeconds?: number; totalSeconds: number };
  warnings: string[];
  /** deploy --run-first: the one-off task's result (src/run/run-first.ts). */
  runFirst?: unknown;
  /** deploy with a blue/green, canary or linear strategy: the stages, the split, the evidence, the rollback. */
  release?: ReleaseReport;
}

export interface BeforeUpdateStop {
  exitCode: number;
  reasons: string[];
  failures: FailureGroup[];
  detail: unknown;
}

export interface DeployOptions extends WatchSettings {
  image?: string;
  tag?: string;
  rollback: boolean;
  imageCheck?: boolean;
  /**
   * Runs once the new revision is registered, before the service is updated (deploy --run-first).
   * A returned stop ends the release there: the service is not touched, the revision is marked failed.
   */
  beforeUpdate?: (newRev: RevisionRef) => Promise<BeforeUpdateStop | undefined>;
  /** A blue/green, canary or linear release (the strategy's settings); absent: a rolling deploy. */
  release?: ReleaseSettings;
}

export interface RollbackOptions extends WatchSettings {
  to?: string;
  yes?: boolean;
  /** Asks the person; only called with a TTY. */
  confirm?: (question: string) => Promise<boolean>;
  canPrompt: boolean;
}

export interface ScaleOptions extends WatchSettings {
  count: number;
  updateRange?: boolean;
}
