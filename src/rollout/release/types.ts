/**
 * The shapes a progressive release is watched and judged on: ECS's service deployment as
 * DescribeServiceDeployments returns it (a subset, field for field, so a recorded response or an
 * SDK output can be used as is), one poll of the evidence, the stages seen and the verdict.
 */
import type { SmokeResult, FailureGroup, TargetSnap, TaskSnap, Time } from '../types.js';

export interface ServiceRevisionSummarySnap {
  arn?: string;
  requestedTaskCount?: number;
  runningTaskCount?: number;
  pendingTaskCount?: number;
  requestedTestTrafficWeight?: number;
  requestedProductionTrafficWeight?: number;
}

/** One entry of DescribeServiceDeployments' serviceDeployments. */
export interface ServiceDeploymentSnap {
  serviceDeploymentArn?: string;
  serviceArn?: string;
  clusterArn?: string;
  createdAt?: Time;
  startedAt?: Time;
  finishedAt?: Time;
  stoppedAt?: Time;
  updatedAt?: Time;
  sourceServiceRevisions?: ServiceRevisionSummarySnap[];
  targetServiceRevision?: ServiceRevisionSummarySnap;
  /** PENDING | IN_PROGRESS | SUCCESSFUL | STOPPED | STOP_REQUESTED | ROLLBACK_REQUESTED | ROLLBACK_IN_PROGRESS | ROLLBACK_SUCCESSFUL | ROLLBACK_FAILED */
  status?: string;
  statusReason?: string;
  lifecycleStage?: string;
  deploymentConfiguration?: { strategy?: string; bakeTimeInMinutes?: number };
  rollback?: { reason?: string; startedAt?: Time; serviceRevisionArn?: string };
  deploymentCircuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  /** The current stage's lifecycle hooks (berth's PAUSE hook at POST_TEST_TRAFFIC_SHIFT holds the release for the test path). */
  lifecycleHookDetails?: { hookId?: string; targetType?: string; status?: string }[];
  alarms?: { status?: string; alarmNames?: string[]; triggeredAlarmNames?: string[] };
}

/** The new revision's target group, as CloudWatch counts it since the release started (AWS/ApplicationELB). */
export interface StepMetrics {
  requests: number;
  http5xx: number;
  /** Average TargetResponseTime in seconds; undefined without requests. */
  latencySeconds?: number;
}

export interface AlarmState {
  name: string;
  state: string;
  reason?: string;
}

/** Production traffic on the listener rule as the load balancer has it: percent to each revision. */
export interface TrafficSplit {
  old: number;
  new: number;
}

/** One poll of a progressive release. */
export interface ReleaseSnapshot {
  at: Time;
  deployment?: ServiceDeploymentSnap;
  /** The production listener rule's weights (the truth of where users go); undefined when not read. */
  listener?: TrafficSplit;
  /** DescribeTargetHealth of the new revision's target group. */
  targets?: TargetSnap[];
  /** Tasks of the new revision (stopped ones included). */
  tasks?: TaskSnap[];
  logs?: Record<string, string[]>;
  metrics?: StepMetrics;
  alarms?: AlarmState[];
  /** The test path through the test listener rule (while berth's hook holds the release after the test traffic shift). */
  testSmoke?: SmokeResult;
  /** The test path passed and berth let the release go on (ContinueServiceDeployment CONTINUE). */
  testPassed?: boolean;
  /** Set when the poll failed (throttling...): it carries no data. */
  error?: string;
}

/** What the watched release is: the ids that tell it from others, and what it is judged against. */
export interface ReleaseIdentity {
  strategy: string;
  service: string;
  deploymentArn: string;
  newTaskDefinition: string;
  oldTaskDefinition: string;
  /** Service revision ARNs of the new and old revisions, when known. */
  newServiceRevision?: string;
  startedAt: Time;
  timeoutMs: number;
  maxFailedTasks: number;
  /** Consecutive failed test-path checks that fail the release (default 3). */
  smokeAttempts?: number;
  thresholds: { max5xxPercent: number; maxLatencySeconds: number; minRequests: number };
  alarms: string[];
  testPath?: string;
  /** For explaining stops in the words of a rolling deploy (src/ecs/stop-explanations.ts). */
  container: string;
  healthPath?: string;
  port?: number;
  image?: string;
  cpuArchitecture?: string;
  memory?: number;
  /** Set once berth asked ECS to roll back (its own judgement, or `berth rollback`). */
  rollbackRequestedAt?: Time;
}

/** One stage of the release as seen: ECS's lifecycle stage with the weights it had. */
export interface StageRecord {
  stage: string;
  startedAt: string;
  endedAt?: string;
  /** Production traffic (percent) to the old and new revisions during the stage. */
  production: TrafficSplit;
  /** Test traffic (percent) to the new revision, when ECS reports it. */
  testToNew?: number;
}

/** A piece of evidence about a step (a threshold crossed, an alarm, a failed test-path check). */
export interface Signal {
  kind: 'http-5xx' | 'latency' | 'alarm' | 'test-path' | 'ecs-failed';
  /** One sentence an on-call engineer can act on. */
  explanation: string;
  value?: number;
  threshold?: number;
}

export type ReleaseVerdict = 'in-progress' | 'succeeded' | 'failed' | 'rolled-back-by-ecs' | 'stopped' | 'superseded' | 'timed-out';

export interface ReleaseEvidence {
  deploymentArn: string;
  status?: string;
  stage?: string;
  production: TrafficSplit;
  stages: StageRecord[];
  failures: FailureGroup[];
  signals: Signal[];
  metrics?: StepMetrics;
  targets: { healthy: number; unhealthy: number; total: number };
  /** When the first failing evidence was seen (ISO). */
  firstFailureAt?: string;
  elapsedMs: number;
  waitingFor: string[];
  failedPolls: number;
}

export interface ReleaseJudgement {
  verdict: ReleaseVerdict;
  reasons: string[];
  evidence: ReleaseEvidence;
}
