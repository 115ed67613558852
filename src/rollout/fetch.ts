/**
 * One poll of a service for the watch loop: DescribeServices, its tasks (running and stopped) with
 * DescribeTasks, DescribeTargetHealth of its target groups, and the last log lines of tasks of the
 * watched deployment that stopped (fetched once per task, at most a few per watch).
 */
import type { AwsContext } from '../aws/context.js';
import { ecs, elbv2, logs } from '../aws/clients.js';
import { BerthError } from '../output/errors.js';
import { taskId } from '../ecs/ids.js';
import { logStreamName } from '../ecs/logs.js';
import { isBenignStop } from '../ecs/stops.js';
import type { Identity, ServiceSnap, Snapshot, TargetSnap, TaskSnap } from './types.js';

export interface ServiceLocator {
  cluster: string;
  service: string;
  container: string;
  /** The awslogs group and stream prefix of the app container (from the task definition, else names.ts). */
  logGroup: string;
  streamPrefix: string;
}

export async function describeService(ctx: AwsContext, loc: Pick<ServiceLocator, 'cluster' | 'service'>): Promise<ServiceSnap> {
  const { DescribeServicesCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  const res = await client.send(new DescribeServicesCommand({ cluster: loc.cluster, services: [loc.service] }));
  const s = res.services?.[0];
  if (!s || s.status === 'INACTIVE') {
    const why = res.failures?.[0]?.reason;
    throw new BerthError(`service ${loc.service} not found in cluster ${loc.cluster}${why ? ` (${why})` : ''}.`, {
      hint: 'Is the environment deployed? `berth apply --env <env>` creates the service stack.',
    });
  }
  return s as ServiceSnap;
}

/** Tasks of the service: running ones and recently stopped ones (at most 100 of each). */
export async function serviceTasks(ctx: AwsContext, loc: Pick<ServiceLocator, 'cluster' | 'service'>): Promise<TaskSnap[]> {
  const { ListTasksCommand, DescribeTasksCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const r = await client.send(new ListTasksCommand({ cluster: loc.cluster, serviceName: loc.service, desiredStatus, maxResults: 100 }));
    arns.push(...(r.taskArns ?? []));
  }
  const tasks: TaskSnap[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const r = await client.send(new DescribeTasksCommand({ cluster: loc.cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...((r.tasks ?? []) as TaskSnap[]));
  }
  return tasks;
}

export async function targetHealth(ctx: AwsContext, svc: ServiceSnap): Promise<TargetSnap[] | null> {
  const tgs = [...new Set((svc.loadBalancers ?? []).map((l) => l.targetGroupArn).filter((x): x is string => Boolean(x)))];
  if (!tgs.length) return null;
  const { DescribeTargetHealthCommand } = await import('../aws/sdk/elastic-load-balancing-v2.js');
  const client = await elbv2(ctx);
  const out: TargetSnap[] = [];
  for (const tg of tgs) {
    const r = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
    for (const d of r.TargetHealthDescriptions ?? []) out.push({ ...(d as TargetSnap), targetGroupArn: tg });
  }
  return out;
}

/** The last `limit` lines of a task's log stream; [] when the stream does not exist. */
export async function lastLogLines(ctx: AwsContext, group: string, stream: string, limit = 20): Promise<string[]> {
  const { GetLogEventsCommand } = await import('../aws/sdk/cloudwatch-logs.js');
  const client = await logs(ctx);
  try {
    const r = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit, startFromHead: false }));
    return (r.events ?? []).map((e) => (e.message ?? '').replace(/\s+$/, ''));
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
}

export interface Fetcher {
  (id: Identity): Promise<Snapshot>;
}

/** A fetcher for the watch loop. It remembers which stopped tasks' logs it already read. */
export function makeFetcher(ctx: AwsContext, loc: ServiceLocator, opts: { maxLogTasks?: number; now?: () => number } = {}): Fetcher {
  const logCache = new Map<string, string[]>();
  const maxLogTasks = opts.maxLogTasks ?? 3;
  const now = opts.now ?? Date.now;
  return async (id: Identity) => {
    const at = new Date(now());
    const service = await describeService(ctx, loc);
    const [tasks, targets] = await Promise.all([serviceTasks(ctx, loc), targetHealth(ctx, service)]);
    const ours = (t: TaskSnap) =>
      id.deploymentId && t.startedBy?.startsWith('ecs-svc/')
        ? t.startedBy === id.deploymentId
        : t.taskDefinitionArn === id.newTaskDefinition;
    const relevant = tasks.filter((t) => t.lastStatus !== 'STOPPED' || ours(t));
    for (const t of relevant) {
      const tid = taskId(t.taskArn);
      if (t.lastStatus !== 'STOPPED' || !ours(t) || isBenignStop(t) || logCache.has(tid) || logCache.size >= maxLogTasks) continue;
      try {
        logCache.set(tid, await lastLogLines(ctx, loc.logGroup, logStreamName(loc.streamPrefix, loc.container, tid)));
      } catch {
        logCache.set(tid, []);
      }
    }
    return { at, service, tasks: relevant, targets, logs: Object.fromEntries(logCache) };
  };
}
