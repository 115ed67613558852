/**
 * `berth status`: per service desired/running/pending, each deployment (revision, image, rollout
 * state, age), the autoscaling range, the last events, target health counts, and the
 * environment's alarms in ALARM. Gathering does the I/O; buildStatus and renderStatus are pure.
 */
import type { AwsContext } from '../aws/context.js';
import { autoscaling, cloudwatch, ecs } from '../aws/clients.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { imageOf } from '../rollout/taskdef.js';
import { targetHealth } from '../rollout/fetch.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import { isSettled } from '../ecs/settled.js';
import { tallyDescriptions, type TargetTally } from '../ecs/targets.js';
import { toMs } from '../ecs/time.js';
import type { ServiceSnap, TargetSnap } from '../ecs/types.js';
import { scalableResourceId } from '../rollout/target.js';
import { BerthError } from '../output/errors.js';

export interface DeploymentStatus {
  id?: string;
  status?: string;
  revision?: number;
  taskDefinition: string;
  image?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  createdAt?: string;
  ageSeconds?: number;
}

export interface ServiceStatus {
  name: string;
  found: boolean;
  status?: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition?: string;
  deployments: DeploymentStatus[];
  autoscaling: { min: number; max: number } | null;
  events: { at?: string; message: string }[];
  targets: TargetTally | null;
  /** One deployment, COMPLETED, running its desired count, every target healthy (src/ecs/settled.ts). */
  settled: boolean;
}

export interface AlarmStatus {
  name: string;
  state: string;
  reason?: string;
  since?: string;
}

export interface StatusReport {
  environment: string;
  cluster: string;
  at: string;
  services: ServiceStatus[];
  alarms: AlarmStatus[];
  /** Parts that could not be read (permissions, emulator limits); the rest is still shown. */
  notes: string[];
}

export interface StatusRaw {
  environment: string;
  cluster: string;
  services: { name: string; snap?: ServiceSnap; targets?: TargetSnap[] | null; range?: { min: number; max: number } }[];
  images: Record<string, string | undefined>;
  alarms: { AlarmName?: string; StateValue?: string; StateReason?: string; StateUpdatedTimestamp?: Date | string }[];
  notes: string[];
}

export function buildStatus(raw: StatusRaw, now: number, eventCount = 5): StatusReport {
  return {
    environment: raw.environment,
    cluster: raw.cluster,
    at: new Date(now).toISOString(),
    notes: raw.notes,
    alarms: raw.alarms.map((a) => ({ name: a.AlarmName ?? '?', state: a.StateValue ?? '?', reason: a.StateReason, since: a.StateUpdatedTimestamp ? new Date(toMs(a.StateUpdatedTimestamp)!).toISOString() : undefined })),
    services: raw.services.map((s) => {
      const snap = s.snap;
      if (!snap) return { name: s.name, found: false, desired: 0, running: 0, pending: 0, deployments: [], autoscaling: s.range ?? null, events: [], targets: null, settled: false };
      const targets = s.targets ? tallyDescriptions(s.targets) : null;
      return {
        name: s.name,
        found: true,
        status: snap.status,
        desired: snap.desiredCount ?? 0,
        running: snap.runningCount ?? 0,
        pending: snap.pendingCount ?? 0,
        taskDefinition: snap.taskDefinition,
        deployments: (snap.deployments ?? []).map((d) => {
          const created = toMs(d.createdAt);
          return {
            id: d.id,
            status: d.status,
            revision: revisionOf(d.taskDefinition),
            taskDefinition: shortTd(d.taskDefinition),
            image: d.taskDefinition ? raw.images[d.taskDefinition] : undefined,
            rolloutState: d.rolloutState,
            rolloutStateReason: d.rolloutStateReason,
            desired: d.desiredCount ?? 0,
            running: d.runningCount ?? 0,
            pending: d.pendingCount ?? 0,
            failedTasks: d.failedTasks ?? 0,
            createdAt: created !== undefined ? new Date(created).toISOString() : undefined,
            ageSeconds: created !== undefined ? Math.max(0, Math.round((now - created) / 1000)) : undefined,
          };
        }),
        autoscaling: s.range ?? null,
        events: (snap.events ?? [])
          .slice()
          .sort((a, b) => (toMs(b.createdAt) ?? 0) - (toMs(a.createdAt) ?? 0))
          .slice(0, eventCount)
          .map((e) => ({ at: e.createdAt !== undefined ? new Date(toMs(e.createdAt)!).toISOString() : undefined, message: e.message ?? '' })),
        targets,
        settled: isSettled(snap, targets ? { tally: targets, groups: snap.loadBalancers?.length ?? 0 } : undefined),
      };
    }),
  };
}

export function age(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

export function renderStatus(r: StatusReport, paint: Paint = (_s, x) => x): string {
  const lines: string[] = [`${r.environment} (cluster ${r.cluster}) at ${r.at}`];
  for (const s of r.services) {
    lines.push('');
    if (!s.found) {
      lines.push(`${paint('bold', s.name)}: ${paint('red', 'not found')} (not deployed?)`);
      continue;
    }
    const counts = `${s.running}/${s.desired} running${s.pending ? `, ${s.pending} pending` : ''}`;
    lines.push(`${paint('bold', s.name)}: ${paint(s.settled ? 'green' : 'yellow', counts)}${s.autoscaling ? `  (autoscaling ${s.autoscaling.min}..${s.autoscaling.max})` : ''}`);
    for (const d of s.deployments) {
      const state = d.rolloutState ?? d.status ?? '?';
      const colour = state === 'FAILED' ? 'red' : state === 'COMPLETED' ? 'green' : 'yellow';
      lines.push(
        `  ${(d.status ?? '').padEnd(8)} rev ${String(d.revision ?? '?').padEnd(4)} ${paint(colour, state.padEnd(11))} ${d.running}/${d.desired} running${d.pending ? ` ${d.pending} pending` : ''}${d.failedTasks ? paint('red', ` ${d.failedTasks} failed`) : ''}  age ${age(d.ageSeconds)}  ${d.image ?? ''}`,
      );
      if (d.rolloutState === 'FAILED' && d.rolloutStateReason) lines.push(`           ${paint('red', d.rolloutStateReason)}`);
    }
    if (s.targets) {
      const t = s.targets;
      const parts = [`${t.healthy} healthy`];
      if (t.unhealthy) parts.push(paint('red', `${t.unhealthy} unhealthy`));
      if (t.initial) parts.push(`${t.initial} initial`);
      if (t.draining) parts.push(`${t.draining} draining`);
      if (t.other) parts.push(`${t.other} other`);
      const reasons = Object.entries(t.reasons).map(([k, v]) => `${k} x${v}`);
      lines.push(`  targets: ${parts.join(', ')} of ${t.total}${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
    } else lines.push('  targets: no load balancer');
    if (s.events.length) {
      lines.push('  events:');
      for (const e of s.events) lines.push(`    ${paint('dim', e.at ?? '')} ${e.message}`);
    }
  }
  lines.push('');
  if (r.alarms.length) {
    lines.push(paint('red', `alarms in ALARM (${r.alarms.length}):`));
    for (const a of r.alarms) lines.push(`  ${a.name}${a.since ? ` since ${a.since}` : ''}${a.reason ? `: ${a.reason}` : ''}`);
  } else lines.push(paint('green', 'alarms: none in ALARM'));
  for (const n of r.notes) lines.push(paint('dim', `note: ${n}`));
  return lines.join('\n');
}

/** What changed between two reports, ignoring the clock (for --watch in plain mode). */
export function statusKey(r: StatusReport): string {
  return JSON.stringify({ ...r, at: undefined, services: r.services.map((s) => ({ ...s, deployments: s.deployments.map((d) => ({ ...d, ageSeconds: undefined })) })) });
}

export async function gatherStatus(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[]): Promise<StatusRaw> {
  const { DescribeServicesCommand, DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const cluster = names(env).cluster;
  const notes: string[] = [];
  const client = await ecs(ctx);
  const snaps = new Map<string, ServiceSnap>();
  for (let i = 0; i < services.length; i += 10) {
    const r = await client.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10).map((s) => s.name) })).catch((e: Error) => {
      if (e.name === 'ClusterNotFoundException') throw new BerthError(`cluster ${cluster} not found: is ${env.name} deployed?`, { hint: `\`berth apply --env ${env.name}\` creates it.` });
      throw e;
    });
    for (const s of r.services ?? []) if (s.serviceName && s.status !== 'INACTIVE') snaps.set(s.serviceName, s as ServiceSnap);
  }
  const tds = [...new Set([...snaps.values()].flatMap((s) => (s.deployments ?? []).map((d) => d.taskDefinition)).filter((x): x is string => Boolean(x)))];
  const images: Record<string, string | undefined> = {};
  await Promise.all(
    tds.map(async (td) => {
      try {
        const r = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: td }));
        const svcName = services.find((s) => shortTd(td).startsWith(`${names(env).prefix}-${s.name}:`))?.name;
        images[td] = imageOf(r.taskDefinition as never, svcName ?? '');
      } catch {
        images[td] = undefined;
      }
    }),
  );
  const ranges = new Map<string, { min: number; max: number }>();
  try {
    const { DescribeScalableTargetsCommand } = await import('@aws-sdk/client-application-auto-scaling');
    const r = await (await autoscaling(ctx)).send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: services.map((s) => scalableResourceId(cluster, s.name)), ScalableDimension: 'ecs:service:DesiredCount' }),
    );
    for (const t of r.ScalableTargets ?? []) ranges.set(t.ResourceId!.split('/').pop()!, { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 });
  } catch (e) {
    notes.push(`autoscaling range unavailable (${(e as Error).name})`);
  }
  const targets = new Map<string, TargetSnap[] | null>();
  await Promise.all(
    [...snaps.entries()].map(async ([name, snap]) => {
      try {
        targets.set(name, await targetHealth(ctx, snap));
      } catch (e) {
        notes.push(`target health of ${name} unavailable (${(e as Error).name})`);
      }
    }),
  );
  let alarms: StatusRaw['alarms'] = [];
  try {
    const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
    const cw = await cloudwatch(ctx);
    let token: string | undefined;
    do {
      const r = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: names(env).prefix, StateValue: 'ALARM', NextToken: token }));
      alarms.push(...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? []));
      token = r.NextToken;
    } while (token && alarms.length < 500);
    alarms = alarms.filter((a) => a.StateValue === 'ALARM');
  } catch (e) {
    notes.push(`alarms unavailable (${(e as Error).name})`);
  }
  return {
    environment: env.name,
    cluster,
    images,
    alarms,
    notes,
    services: services.map((s) => ({ name: s.name, snap: snaps.get(s.name), targets: targets.get(s.name), range: ranges.get(s.name) })),
  };
}
