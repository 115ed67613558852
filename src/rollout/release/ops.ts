/**
 * The AWS calls of a progressive release, behind one narrow interface (ReleaseOps, injectable on
 * the Op like EcsOps): ECS's service deployments, the load balancer's target groups, listener
 * rules and target health, the new target group's CloudWatch metrics, the alarms, the role. Each
 * method is one request (or one bounded paginated read) mapped to plain data; sdkReleaseOps
 * answers it with the SDK clients of src/aws/clients.ts (time limits and retries included).
 */
import type { AwsContext } from '../../aws/context.js';
import { cloudwatch, ecs, elbv2, iam } from '../../aws/clients.js';
import { lastLogLines, serviceTasks } from '../fetch.js';
import type { TargetSnap, TaskSnap } from '../types.js';
import type { ServiceRef } from '../ecs-ops.js';
import type { AlarmState, ServiceDeploymentSnap, StepMetrics } from './types.js';

export interface DeploymentBrief {
  serviceDeploymentArn: string;
  status?: string;
  createdAt?: Date | string | number;
  targetServiceRevisionArn?: string;
}

export interface ForwardTarget {
  targetGroupArn: string;
  weight: number;
}

export interface RuleInfo {
  ruleArn: string;
  isDefault: boolean;
  priority?: string;
  /** The rule's conditions' fields (path-pattern, http-header, ...). */
  conditionFields: string[];
  forward: ForwardTarget[];
}

export interface ListenerInfo {
  listenerArn: string;
  port?: number;
  protocol?: string;
  rules: RuleInfo[];
}

export interface TargetGroupInfo {
  name: string;
  arn: string;
  loadBalancerArns: string[];
}

export interface MetricsQuery {
  loadBalancerArn: string;
  targetGroupArn: string;
  start: Date;
  end: Date;
}

/** Cumulative sums since `start`: what the judgement subtracts a baseline from. */
export interface MetricSums extends StepMetrics {
  /** Sum of response time over requests (s): average x requests. */
  latencyTotalSeconds: number;
}

export interface ReleaseOps {
  listServiceDeployments(loc: ServiceRef, statuses: string[]): Promise<DeploymentBrief[]>;
  describeServiceDeployment(arn: string): Promise<ServiceDeploymentSnap | undefined>;
  stopServiceDeployment(arn: string): Promise<void>;
  /** Ends a PAUSE lifecycle hook: the release goes on (CONTINUE) or rolls back (ROLLBACK). */
  continueServiceDeployment(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void>;
  /** The task definition of each service revision ARN. */
  serviceRevisionTaskDefinitions(arns: string[]): Promise<Record<string, string>>;
  targetGroups(names: string[]): Promise<TargetGroupInfo[]>;
  listeners(loadBalancerArn: string): Promise<ListenerInfo[]>;
  ruleForward(ruleArn: string): Promise<ForwardTarget[]>;
  targetHealth(targetGroupArn: string): Promise<TargetSnap[]>;
  roleArn(name: string): Promise<string | undefined>;
  metrics(q: MetricsQuery): Promise<MetricSums>;
  alarmStates(names: string[]): Promise<AlarmState[]>;
  /** The service's tasks, running and recently stopped (src/rollout/fetch.ts). */
  serviceTasks(loc: ServiceRef): Promise<TaskSnap[]>;
  /** The last lines of a log stream ([] when it does not exist). */
  logLines(group: string, stream: string): Promise<string[]>;
}

function forwardOf(
  actions: {
    Type?: string;
    TargetGroupArn?: string;
    ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] };
  }[] = [],
): ForwardTarget[] {
  const f = actions.find((a) => a.Type === 'forward');
  if (!f) return [];
  const tgs = f.ForwardConfig?.TargetGroups ?? [];
  if (tgs.length) return tgs.map((t) => ({ targetGroupArn: t.TargetGroupArn ?? '', weight: t.Weight ?? 1 }));
  return f.TargetGroupArn ? [{ targetGroupArn: f.TargetGroupArn, weight: 1 }] : [];
}

function ecsCalls(
  ctx: AwsContext,
): Pick<
  ReleaseOps,
  | 'listServiceDeployments'
  | 'describeServiceDeployment'
  | 'stopServiceDeployment'
  | 'continueServiceDeployment'
  | 'serviceRevisionTaskDefinitions'
> {
  return {
    listServiceDeployments: async (loc, statuses) => {
      const { ListServiceDeploymentsCommand } = await import('../../aws/sdk/ecs.js');
      const r = await (
        await ecs(ctx)
      ).send(new ListServiceDeploymentsCommand({ cluster: loc.cluster, service: loc.service, status: statuses as never, maxResults: 20 }));
      return (r.serviceDeployments ?? []).filter((d) => d.serviceDeploymentArn) as DeploymentBrief[];
    },
    describeServiceDeployment: async (arn) => {
      const { DescribeServiceDeploymentsCommand } = await import('../../aws/sdk/ecs.js');
      const r = await (await ecs(ctx)).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
      return r.serviceDeployments?.[0] as ServiceDeploymentSnap | undefined;
    },
    stopServiceDeployment: async (arn) => {
      const { StopServiceDeploymentCommand } = await import('../../aws/sdk/ecs.js');
      await (await ecs(ctx)).send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    },
    continueServiceDeployment: async (arn, hookId, action) => {
      const { ContinueServiceDeploymentCommand } = await import('../../aws/sdk/ecs.js');
      await (await ecs(ctx)).send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }));
    },
    serviceRevisionTaskDefinitions: async (arns) => {
      if (!arns.length) return {};
      const { DescribeServiceRevisionsCommand } = await import('../../aws/sdk/ecs.js');
      const r = await (await ecs(ctx)).send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns.slice(0, 20) }));
      return Object.fromEntries((r.serviceRevisions ?? []).map((x) => [x.serviceRevisionArn ?? '', x.taskDefinition ?? '']));
    },
  };
}

function elbCalls(ctx: AwsContext): Pick<ReleaseOps, 'targetGroups' | 'listeners' | 'ruleForward' | 'targetHealth'> {
  return {
    targetGroups: async (names) => {
      const { DescribeTargetGroupsCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const client = await elbv2(ctx);
      const out: TargetGroupInfo[] = [];
      for (const name of names) {
        try {
          const r = await client.send(new DescribeTargetGroupsCommand({ Names: [name] }));
          for (const t of r.TargetGroups ?? [])
            out.push({ name: t.TargetGroupName ?? name, arn: t.TargetGroupArn ?? '', loadBalancerArns: t.LoadBalancerArns ?? [] });
        } catch (e) {
          if ((e as Error).name !== 'TargetGroupNotFoundException') throw e;
        }
      }
      return out;
    },
    listeners: async (lbArn) => {
      const { DescribeListenersCommand, DescribeRulesCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const client = await elbv2(ctx);
      const ls = (await client.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
      return Promise.all(
        ls.map(async (l) => {
          const rules = (await client.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules ?? [];
          return {
            listenerArn: l.ListenerArn ?? '',
            port: l.Port,
            protocol: l.Protocol,
            rules: rules.map((r) => ({
              ruleArn: r.RuleArn ?? '',
              isDefault: Boolean(r.IsDefault),
              priority: r.Priority,
              conditionFields: (r.Conditions ?? []).map((c) => c.Field ?? ''),
              forward: forwardOf(r.Actions as never),
            })),
          };
        }),
      );
    },
    ruleForward: async (ruleArn) => {
      const { DescribeRulesCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const r = await (await elbv2(ctx)).send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
      return forwardOf(r.Rules?.[0]?.Actions as never);
    },
    targetHealth: async (tg) => {
      const { DescribeTargetHealthCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const r = await (await elbv2(ctx)).send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
      return (r.TargetHealthDescriptions ?? []).map((d) => ({ ...(d as TargetSnap), targetGroupArn: tg }));
    },
  };
}

/** CloudWatch's dimension value of an ELBv2 ARN: `app/<name>/<id>`, `targetgroup/<name>/<id>`. */
export function dimensionOf(arn: string): string {
  const m = /:(?:loadbalancer\/)?((?:app|net|targetgroup)\/[^/]+\/[^/]+)$/.exec(arn);
  return m?.[1] ?? arn;
}

async function metrics(ctx: AwsContext, q: MetricsQuery): Promise<MetricSums> {
  const { GetMetricDataCommand } = await import('../../aws/sdk/cloudwatch.js');
  const Dimensions = [
    { Name: 'TargetGroup', Value: dimensionOf(q.targetGroupArn) },
    { Name: 'LoadBalancer', Value: dimensionOf(q.loadBalancerArn) },
  ];
  const stat = (Id: string, MetricName: string, Stat: string) => ({
    Id,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName, Dimensions }, Period: 60, Stat },
    ReturnData: true,
  });
  const r = await (
    await cloudwatch(ctx)
  ).send(
    new GetMetricDataCommand({
      StartTime: q.start,
      EndTime: q.end,
      MaxDatapoints: 1440,
      MetricDataQueries: [
        stat('requests', 'RequestCount', 'Sum'),
        stat('http5xx', 'HTTPCode_Target_5XX_Count', 'Sum'),
        stat('latency', 'TargetResponseTime', 'Average'),
        stat('samples', 'TargetResponseTime', 'SampleCount'),
      ],
    }),
  );
  const values = (id: string) => r.MetricDataResults?.find((x) => x.Id === id)?.Values ?? [];
  const sum = (id: string) => values(id).reduce((n, v) => n + v, 0);
  const lat = values('latency');
  const samples = values('samples');
  const latencyTotalSeconds = lat.reduce((n, v, i) => n + v * (samples[i] ?? 1), 0);
  const requests = sum('requests');
  const n = samples.length ? sum('samples') : lat.length;
  return { requests, http5xx: sum('http5xx'), latencySeconds: n ? latencyTotalSeconds / n : undefined, latencyTotalSeconds };
}

async function alarmStates(ctx: AwsContext, names: string[]): Promise<AlarmState[]> {
  if (!names.length) return [];
  const { DescribeAlarmsCommand } = await import('../../aws/sdk/cloudwatch.js');
  const r = await (await cloudwatch(ctx)).send(new DescribeAlarmsCommand({ AlarmNames: names.slice(0, 100) }));
  return [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])].map((a) => ({
    name: a.AlarmName ?? '',
    state: a.StateValue ?? 'INSUFFICIENT_DATA',
    reason: a.StateReason,
  }));
}

async function roleArn(ctx: AwsContext, name: string): Promise<string | undefined> {
  const { GetRoleCommand } = await import('../../aws/sdk/iam.js');
  try {
    return (await (await iam(ctx)).send(new GetRoleCommand({ RoleName: name }))).Role?.Arn;
  } catch (e) {
    if ((e as Error).name === 'NoSuchEntityException' || (e as Error).name === 'NoSuchEntity') return undefined;
    throw e;
  }
}

export function sdkReleaseOps(ctx: AwsContext): ReleaseOps {
  return {
    ...ecsCalls(ctx),
    ...elbCalls(ctx),
    roleArn: (name) => roleArn(ctx, name),
    metrics: (q) => metrics(ctx, q),
    alarmStates: (names) => alarmStates(ctx, names),
    serviceTasks: (loc) => serviceTasks(ctx, loc),
    logLines: (group, stream) => lastLogLines(ctx, group, stream),
  };
}
