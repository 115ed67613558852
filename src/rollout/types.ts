/**
 * Plain snapshot shapes the rollout decisions work on. They mirror (a subset of) the AWS API
 * responses field for field, so a recorded DescribeServices / DescribeTasks / DescribeTargetHealth
 * response, or an SDK v3 output object, can be used as is. Every field is optional where the API's
 * is; times may be Date objects (SDK), ISO strings (AWS CLI, fixtures) or epoch numbers.
 */
export type Time = Date | string | number;

export interface Deployment {
  id?: string;
  status?: string; // PRIMARY | ACTIVE | INACTIVE
  taskDefinition?: string;
  desiredCount?: number;
  pendingCount?: number;
  runningCount?: number;
  failedTasks?: number;
  rolloutState?: string; // IN_PROGRESS | COMPLETED | FAILED
  rolloutStateReason?: string;
  createdAt?: Time;
  updatedAt?: Time;
}

export interface ServiceEvent {
  id?: string;
  createdAt?: Time;
  message?: string;
}

export interface LoadBalancerRef {
  targetGroupArn?: string;
  containerName?: string;
  containerPort?: number;
}

export interface ServiceSnap {
  serviceName?: string;
  serviceArn?: string;
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  taskDefinition?: string;
  deployments?: Deployment[];
  /** Newest first, as ECS returns them. */
  events?: ServiceEvent[];
  loadBalancers?: LoadBalancerRef[];
  deploymentConfiguration?: {
    deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean };
    maximumPercent?: number;
    minimumHealthyPercent?: number;
  };
}

export interface ContainerSnap {
  name?: string;
  image?: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: string;
  networkInterfaces?: { privateIpv4Address?: string }[];
}

export interface TaskSnap {
  taskArn?: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  desiredStatus?: string;
  healthStatus?: string;
  startedBy?: string;
  group?: string;
  stopCode?: string;
  stoppedReason?: string;
  createdAt?: Time;
  startedAt?: Time;
  stoppingAt?: Time;
  stoppedAt?: Time;
  containers?: ContainerSnap[];
  attachments?: { type?: string; details?: { name?: string; value?: string }[] }[];
}

/** One entry of DescribeTargetHealth's TargetHealthDescriptions. */
export interface TargetSnap {
  Target?: { Id?: string; Port?: number; AvailabilityZone?: string };
  HealthCheckPort?: string;
  TargetHealth?: { State?: string; Reason?: string; Description?: string };
  /** Which target group it came from (berth adds this when a service has several). */
  targetGroupArn?: string;
}

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

/** What the watched change is: the ids that let the verdict tell ours from theirs. */
export interface Identity {
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
  /** The app container's name (serviceNames().container). */
  container: string;
  /** For explanations: the task definition's runtimePlatform.cpuArchitecture and memory (MiB). */
  cpuArchitecture?: string;
  memory?: number;
  image?: string;
  healthPath?: string;
  port?: number;
}

export type Verdict = 'in-progress' | 'succeeded' | 'failed' | 'rolled-back-by-ecs' | 'superseded' | 'timed-out';

export type FailureKind =
  | 'image-not-found'
  | 'image-pull-denied'
  | 'image-pull-network'
  | 'arch-mismatch'
  | 'secrets'
  | 'log-config'
  | 'resource-init'
  | 'oom'
  | 'elb-health'
  | 'container-health'
  | 'essential-exit'
  | 'unknown';

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
  targets: { healthy: number; unhealthy: number; initial: number; draining: number; other: number; list: TargetState[] } | null;
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
