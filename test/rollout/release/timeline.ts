/**
 * Recorded-style timelines of a progressive release for the judgement's tests: each poll a
 * DescribeServiceDeployments entry (the API's field names and ARN formats), the production
 * listener rule's weights, the new target group's targets and metrics.
 */
import type { ReleaseIdentity, ReleaseSnapshot, ServiceDeploymentSnap } from '../../../src/rollout/release/types.js';

export const T0 = Date.parse('2026-11-26T17:00:00Z');
export const DEPLOYMENT = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/demo-sandbox/api/3lGvOqBMTzL5Ny5yVZB8c';
const REV = (n: string) => `arn:aws:ecs:us-east-1:123456789012:service-revision/demo-sandbox/api/${n}`;
export const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-sandbox-api:${n}`;

export function identity(over: Partial<ReleaseIdentity> = {}): ReleaseIdentity {
  return {
    strategy: 'canary',
    service: 'api',
    deploymentArn: DEPLOYMENT,
    newTaskDefinition: TD(8),
    oldTaskDefinition: TD(7),
    startedAt: T0,
    timeoutMs: 15 * 60_000,
    maxFailedTasks: 2,
    thresholds: { max5xxPercent: 1, maxLatencySeconds: 2, minRequests: 5 },
    alarms: ['demo-sandbox-api-5xx'],
    container: 'api',
    healthPath: '/health',
    port: 8080,
    ...over,
  };
}

export function deployment(
  stage: string,
  status: string,
  newWeight: number,
  over: Partial<ServiceDeploymentSnap> = {},
): ServiceDeploymentSnap {
  return {
    serviceDeploymentArn: DEPLOYMENT,
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo-sandbox/api',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo-sandbox',
    createdAt: new Date(T0),
    startedAt: new Date(T0),
    status,
    lifecycleStage: stage,
    deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 5 },
    sourceServiceRevisions: [
      {
        arn: REV('1187814245891367921'),
        requestedTaskCount: 2,
        runningTaskCount: 2,
        pendingTaskCount: 0,
        requestedProductionTrafficWeight: 100 - newWeight,
      },
    ],
    targetServiceRevision: {
      arn: REV('4980306466373577095'),
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
      requestedProductionTrafficWeight: newWeight,
      requestedTestTrafficWeight: stage === 'PRE_SCALE_UP' || stage === 'SCALE_UP' ? 0 : 100,
    },
    ...over,
  };
}

const healthy = [
  { Target: { Id: '10.0.1.21', Port: 8080 }, TargetHealth: { State: 'healthy' } },
  { Target: { Id: '10.0.2.34', Port: 8080 }, TargetHealth: { State: 'healthy' } },
];

export function poll(sec: number, stage: string, status: string, newWeight: number, over: Partial<ReleaseSnapshot> = {}): ReleaseSnapshot {
  return {
    at: new Date(T0 + sec * 1000),
    deployment: deployment(stage, status, newWeight),
    listener: { old: 100 - newWeight, new: newWeight },
    targets: healthy,
    tasks: [],
    metrics: { requests: 0, http5xx: 0 },
    alarms: [{ name: 'demo-sandbox-api-5xx', state: 'OK' }],
    ...over,
  };
}

/** A good canary release (10 % then 100 %), poll by poll. */
export function goodCanary(): ReleaseSnapshot[] {
  return [
    poll(1, 'PRE_SCALE_UP', 'IN_PROGRESS', 0, { targets: [] }),
    poll(4, 'SCALE_UP', 'IN_PROGRESS', 0, { targets: [] }),
    poll(7, 'POST_SCALE_UP', 'IN_PROGRESS', 0),
    poll(10, 'TEST_TRAFFIC_SHIFT', 'IN_PROGRESS', 0),
    poll(13, 'PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', 10, { metrics: { requests: 12, http5xx: 0, latencySeconds: 0.02 } }),
    poll(40, 'PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', 10, { metrics: { requests: 60, http5xx: 0, latencySeconds: 0.02 } }),
    poll(43, 'PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', 100, { metrics: { requests: 90, http5xx: 0, latencySeconds: 0.02 } }),
    poll(46, 'BAKE_TIME', 'IN_PROGRESS', 100, { metrics: { requests: 300, http5xx: 0, latencySeconds: 0.02 } }),
    poll(61, 'CLEAN_UP', 'IN_PROGRESS', 100, { metrics: { requests: 900, http5xx: 0, latencySeconds: 0.02 } }),
    poll(64, 'CLEAN_UP', 'SUCCESSFUL', 100, { metrics: { requests: 950, http5xx: 0, latencySeconds: 0.02 } }),
  ];
}
