/**
 * Plain ECS and ELBv2 shapes berth's decisions work on. They mirror (a subset of) the AWS API
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
  /** Blue/green, canary, linear: the second target group, the listener rules ECS re-weights, its role. */
  advancedConfiguration?: {
    alternateTargetGroupArn?: string;
    productionListenerRule?: string;
    testListenerRule?: string;
    roleArn?: string;
  };
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
    /** ROLLING, BLUE_GREEN, CANARY, LINEAR (absent: rolling). */
    strategy?: string;
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
