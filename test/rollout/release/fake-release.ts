/**
 * A fake ECS + ELB + CloudWatch for a progressive release (EcsOps and ReleaseOps), driven by a
 * script: each DescribeServiceDeployments call moves to the next scripted poll; the listener's
 * weights, the target health and the metric sums follow it. StopServiceDeployment switches to the
 * rollback script. Every call is recorded in order, with the fake clock's time.
 */
import type { EcsOps } from '../../../src/rollout/ecs-ops.js';
import type { ReleaseOps } from '../../../src/rollout/release/ops.js';
import type { ServiceDeploymentSnap } from '../../../src/rollout/release/types.js';
import type { TargetSnap } from '../../../src/rollout/types.js';
import { deployment, DEPLOYMENT, TD } from './timeline.js';

export const TG_A = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-sandbox-api/aaaaaaaaaaaaaaaa';
export const TG_B = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-sandbox-api-alt/bbbbbbbbbbbbbbbb';
export const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/demo-sandbox-alb/cccccccccccccccc';
export const PROD_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo-sandbox-alb/cccccccccccccccc/dddd/1111';
export const TEST_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo-sandbox-alb/cccccccccccccccc/dddd/2222';
export const ROLE = 'arn:aws:iam::123456789012:role/demo-sandbox-ecs-infrastructure';

export interface ScriptedPoll {
  stage: string;
  status: string;
  /** Production percent on the new revision (the listener's weights follow it). */
  newWeight: number;
  /** Cumulative sums on the new target group since the minute the release began. */
  requests?: number;
  http5xx?: number;
  targets?: TargetSnap[];
  deployment?: Partial<ServiceDeploymentSnap>;
}

export interface FakeWorld {
  ecs: EcsOps;
  release: ReleaseOps;
  calls: { name: string; at: number; arg?: unknown }[];
  clock: { now: () => number; sleep: (ms: number) => Promise<void> };
}

export function fakeWorld(o: {
  script: ScriptedPoll[];
  rollback?: ScriptedPoll[];
  missing?: string[];
  t0: number;
  baseline?: number;
  /** A release is already moving (berth rollback's case). */
  moving?: boolean;
}): FakeWorld {
  let t = o.t0;
  const calls: FakeWorld['calls'] = [];
  let i = -1;
  let script = o.script;
  let updated = o.moving ?? false;
  const rec =
    <A extends unknown[], R>(name: string, answer: (...a: A) => R) =>
    async (...a: A) => {
      calls.push({ name, at: t, arg: a[a.length - 1] });
      return answer(...a);
    };
  const cur = () => script[Math.max(0, Math.min(i, script.length - 1))]!;
  const ecs: EcsOps = {
    describeService: rec('describeService', () => ({
      serviceName: 'api',
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinition: TD(7),
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2 }],
      loadBalancers: [
        {
          targetGroupArn: TG_A,
          containerName: 'api',
          containerPort: 8080,
          ...(o.moving ? { advancedConfiguration: { alternateTargetGroupArn: TG_B, productionListenerRule: PROD_RULE } } : {}),
        },
      ],
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    })),
    describeTaskDefinition: rec('describeTaskDefinition', (td: string) => ({
      taskDefinition: {
        family: 'demo-sandbox-api',
        taskDefinitionArn: td,
        containerDefinitions: [{ name: 'api', image: 'repo/api:v1', logConfiguration: {} }],
      },
      tags: [],
    })),
    registerTaskDefinition: rec('registerTaskDefinition', () => ({ arn: TD(8) })),
    updateService: rec('updateService', () => void (updated = true)),
    tagResource: rec('tagResource', () => undefined),
    listTaskDefinitions: rec('listTaskDefinitions', () => [TD(7)]),
    successfulDeployments: rec('successfulDeployments', () => []),
    repositoryUri: rec('repositoryUri', () => 'repo/api'),
    describeImage: rec('describeImage', () => undefined),
    describeScalableTarget: rec('describeScalableTarget', () => ({ min: 1, max: 4 })),
    registerScalableTarget: rec('registerScalableTarget', () => undefined),
  };
  const old = { serviceDeploymentArn: `${DEPLOYMENT}-old`, status: 'SUCCESSFUL', createdAt: new Date(o.t0 - 3_600_000) };
  const release: ReleaseOps = {
    listServiceDeployments: rec('listServiceDeployments', () =>
      updated ? [{ serviceDeploymentArn: DEPLOYMENT, status: 'IN_PROGRESS', createdAt: new Date(t) }, old] : [old],
    ),
    describeServiceDeployment: rec('describeServiceDeployment', () => {
      i++;
      const p = cur();
      return { ...deployment(p.stage, p.status, p.newWeight), ...p.deployment };
    }),
    stopServiceDeployment: rec('stopServiceDeployment', () => {
      script = o.rollback ?? script;
      i = -1;
    }),
    continueServiceDeployment: rec('continueServiceDeployment', () => undefined),
    serviceRevisionTaskDefinitions: rec('serviceRevisionTaskDefinitions', () => {
      const d = deployment('SCALE_UP', 'IN_PROGRESS', 0);
      return { [d.targetServiceRevision!.arn!]: TD(8), [d.sourceServiceRevisions![0]!.arn!]: TD(7) };
    }),
    targetGroups: rec('targetGroups', (names: string[]) =>
      [
        { name: names[0]!, arn: TG_A, loadBalancerArns: [LB] },
        { name: names[1]!, arn: TG_B, loadBalancerArns: [LB] },
      ].filter((g) => !(o.missing ?? []).includes(g.name)),
    ),
    listeners: rec('listeners', () => [
      {
        listenerArn: 'listener-443',
        port: 443,
        protocol: 'HTTPS',
        rules: [
          {
            ruleArn: TEST_RULE,
            isDefault: false,
            priority: '1',
            conditionFields: ['http-header', 'path-pattern'],
            forward: [{ targetGroupArn: TG_A, weight: 1 }],
          },
          {
            ruleArn: PROD_RULE,
            isDefault: false,
            priority: '2',
            conditionFields: ['path-pattern'],
            forward: [
              { targetGroupArn: TG_A, weight: 100 },
              { targetGroupArn: TG_B, weight: 0 },
            ],
          },
          { ruleArn: 'default', isDefault: true, conditionFields: [], forward: [] },
        ],
      },
    ]),
    ruleForward: rec('ruleForward', () => {
      const w = i < 0 ? 0 : cur().newWeight;
      return [
        { targetGroupArn: TG_A, weight: 100 - w },
        { targetGroupArn: TG_B, weight: w },
      ];
    }),
    targetHealth: rec('targetHealth', () => (i < 0 ? [] : (cur().targets ?? []))),
    roleArn: rec('roleArn', () => ROLE),
    metrics: rec('metrics', () => {
      const base = o.baseline ?? 0;
      const p = i < 0 ? undefined : cur();
      const requests = base + (p?.requests ?? 0);
      return { requests, http5xx: base + (p?.http5xx ?? 0), latencySeconds: 0.02, latencyTotalSeconds: requests * 0.02 };
    }),
    alarmStates: rec('alarmStates', () => []),
    serviceTasks: rec('serviceTasks', () => []),
    logLines: rec('logLines', () => []),
  };
  return {
    ecs,
    release,
    calls,
    clock: {
      now: () => t,
      sleep: async (ms) => void (t += ms),
    },
  };
}
