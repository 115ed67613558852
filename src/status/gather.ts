/**
 * The I/O of `berth status`: the SDK calls only (DescribeServices, DescribeTaskDefinition,
 * DescribeScalableTargets, DescribeTargetHealth, DescribeAlarms), answered as plain data
 * (StatusRaw). A part that cannot be read becomes a note; the rest is still gathered.
 */
import type { AwsContext } from '../aws/context.js';
import { autoscaling, cloudwatch, ecs } from '../aws/clients.js';
import { names, serviceNames } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { shortTd } from '../ecs/ids.js';
import type { ServiceSnap, TargetSnap } from '../ecs/types.js';
import { imageOf } from '../rollout/taskdef.js';
import { targetHealth } from '../rollout/fetch.js';
import { scalableResourceId } from '../rollout/target.js';
import { BerthError } from '../output/errors.js';
import { serviceReleases } from './gather-release.js';
import type { RawAlarm, StatusRaw } from './types.js';

type Range = { min: number; max: number };

/** The ECS service name of a berth service (the resource map's, else its own name). */
const ecsName = (env: EnvironmentConfig, s: ServiceConfig) => serviceNames(env, s).service;

async function serviceSnaps(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[]): Promise<Map<string, ServiceSnap>> {
  const { DescribeServicesCommand } = await import('../aws/sdk/ecs.js');
  const cluster = names(env).cluster;
  const client = await ecs(ctx);
  const snaps = new Map<string, ServiceSnap>();
  for (let i = 0; i < services.length; i += 10) {
    const r = await client
      .send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10).map((s) => ecsName(env, s)) }))
      .catch((e: Error) => {
        if (e.name === 'ClusterNotFoundException')
          throw new BerthError(`cluster ${cluster} not found: is ${env.name} deployed?`, {
            hint: `\`berth apply --env ${env.name}\` creates it.`,
          });
        throw e;
      });
    for (const s of r.services ?? []) {
      const svc = services.find((x) => ecsName(env, x) === s.serviceName);
      if (svc && s.status !== 'INACTIVE') snaps.set(svc.name, s as ServiceSnap);
    }
  }
  return snaps;
}

/** The image of each task definition the deployments run (undefined when it cannot be read). */
async function deploymentImages(
  ctx: AwsContext,
  env: EnvironmentConfig,
  services: ServiceConfig[],
  snaps: Map<string, ServiceSnap>,
  more: string[] = [],
): Promise<StatusRaw['images']> {
  const { DescribeTaskDefinitionCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  const tds = [
    ...new Set(
      [...[...snaps.values()].flatMap((s) => (s.deployments ?? []).map((d) => d.taskDefinition)), ...more].filter((x): x is string =>
        Boolean(x),
      ),
    ),
  ];
  const images: StatusRaw['images'] = {};
  await Promise.all(
    tds.map(async (td) => {
      try {
        const r = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: td }));
        const svc = services.find((s) => shortTd(td).startsWith(`${serviceNames(env, s).taskFamily}:`));
        images[td] = imageOf(r.taskDefinition as never, svc ? serviceNames(env, svc).container : '');
      } catch {
        images[td] = undefined;
      }
    }),
  );
  return images;
}

async function scalingRanges(
  ctx: AwsContext,
  env: EnvironmentConfig,
  services: ServiceConfig[],
  notes: string[],
): Promise<Map<string, Range>> {
  const cluster = names(env).cluster;
  const ranges = new Map<string, Range>();
  try {
    const { DescribeScalableTargetsCommand } = await import('../aws/sdk/application-auto-scaling.js');
    const r = await (
      await autoscaling(ctx)
    ).send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'ecs',
        ResourceIds: services.map((s) => scalableResourceId(cluster, ecsName(env, s))),
        ScalableDimension: 'ecs:service:DesiredCount',
      }),
    );
    for (const t of r.ScalableTargets ?? []) {
      const svc = services.find((s) => ecsName(env, s) === t.ResourceId!.split('/').pop());
      if (svc) ranges.set(svc.name, { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 });
    }
  } catch (e) {
    notes.push(`autoscaling range unavailable (${(e as Error).name})`);
  }
  return ranges;
}

async function serviceTargets(
  ctx: AwsContext,
  snaps: Map<string, ServiceSnap>,
  notes: string[],
): Promise<Map<string, TargetSnap[] | null>> {
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
  return targets;
}

/** The environment's alarms in ALARM (at most about 500). */
async function alarmsInAlarm(ctx: AwsContext, env: EnvironmentConfig, notes: string[]): Promise<RawAlarm[]> {
  const alarms: RawAlarm[] = [];
  try {
    const { DescribeAlarmsCommand } = await import('../aws/sdk/cloudwatch.js');
    const cw = await cloudwatch(ctx);
    let token: string | undefined;
    do {
      const r = await cw.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: names(env).alarmPrefix, StateValue: 'ALARM', NextToken: token }),
      );
      alarms.push(...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? []));
      token = r.NextToken;
    } while (token && alarms.length < 500);
  } catch (e) {
    notes.push(`alarms unavailable (${(e as Error).name})`);
  }
  return alarms.filter((a) => a.StateValue === 'ALARM');
}

export async function gatherStatus(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[]): Promise<StatusRaw> {
  const cluster = names(env).cluster;
  // Independent reads at once: the services (then their images and targets), scaling, alarms. Each
  // part keeps its own notes, joined in a fixed order whatever answered first.
  const part: [string[], string[], string[]] = [[], [], []];
  const [[snaps, images, targets, releases], ranges, alarms] = await Promise.all([
    serviceSnaps(ctx, env, services).then(async (snaps) => {
      const [releases, targets] = await Promise.all([serviceReleases(ctx, cluster, snaps, part[1]), serviceTargets(ctx, snaps, part[1])]);
      const more = [...releases.values()].flatMap((r) => Object.values(r.taskDefinitions));
      const images = await deploymentImages(ctx, env, services, snaps, more);
      return [snaps, images, targets, releases] as const;
    }),
    scalingRanges(ctx, env, services, part[0]),
    alarmsInAlarm(ctx, env, part[2]),
  ]);
  const notes = part.flat();
  return {
    environment: env.name,
    cluster,
    images,
    alarms,
    notes,
    services: services.map((s) => ({
      name: s.name,
      snap: snaps.get(s.name),
      targets: targets.get(s.name),
      range: ranges.get(s.name),
      release: releases.get(s.name),
    })),
  };
}
