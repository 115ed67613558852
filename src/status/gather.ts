/**
 * The I/O of `berth status`: the SDK calls only (DescribeServices, DescribeTaskDefinition,
 * DescribeScalableTargets, DescribeTargetHealth, DescribeAlarms), answered as plain data
 * (StatusRaw). A part that cannot be read becomes a note; the rest is still gathered.
 */
import type { AwsContext } from '../aws/context.js';
import { autoscaling, cloudwatch, ecs, elbv2 } from '../aws/clients.js';
import { names, serviceNames } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { shortTd } from '../ecs/ids.js';
import type { ServiceSnap, TargetSnap } from '../ecs/types.js';
import { imageOf } from '../rollout/taskdef.js';
import { targetHealth } from '../rollout/fetch.js';
import { scalableResourceId } from '../rollout/target.js';
import { BerthError } from '../output/errors.js';
import { releasesOf, serviceReleases } from './gather-release.js';
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

/**
 * The image of each task definition a deployment or release runs (undefined when it cannot be
 * read): each DescribeTaskDefinition starts as soon as its task definition is known, once.
 */
function imageReader(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[]) {
  const images: StatusRaw['images'] = {};
  const reads = new Map<string, Promise<void>>();
  const readOne = async (td: string) => {
    try {
      const { DescribeTaskDefinitionCommand } = await import('../aws/sdk/ecs.js');
      const r = await (await ecs(ctx)).send(new DescribeTaskDefinitionCommand({ taskDefinition: td }));
      const svc = services.find((s) => shortTd(td).startsWith(`${serviceNames(env, s).taskFamily}:`));
      images[td] = imageOf(r.taskDefinition as never, svc ? serviceNames(env, svc).container : '');
    } catch {
      images[td] = undefined;
    }
  };
  return {
    read(tds: (string | undefined)[]): void {
      for (const td of tds) if (td && !reads.has(td)) reads.set(td, readOne(td));
    },
    async all(): Promise<StatusRaw['images']> {
      await Promise.all(reads.values());
      return images;
    },
  };
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

/** The services, then (at once) their targets and the images of their deployments; the release reads run beside. */
async function servicesPart(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[], notes: string[]) {
  const cluster = names(env).cluster;
  const images = imageReader(ctx, env, services);
  // ListServiceDeployments needs only the names: it goes out with DescribeServices, not after it.
  const releaseReads = serviceReleases(
    ctx,
    cluster,
    services.map((s) => ({ name: s.name, ecsService: ecsName(env, s) })),
  ).then((read) => {
    for (const r of read.values()) if (!(r instanceof Error)) images.read(Object.values(r.taskDefinitions));
    return read;
  });
  // The ELB client (for the targets) loads while DescribeServices is in flight.
  void elbv2(ctx).catch(() => undefined);
  const snaps = await serviceSnaps(ctx, env, services);
  images.read([...snaps.values()].flatMap((s) => (s.deployments ?? []).map((d) => d.taskDefinition)));
  const [targets, read] = await Promise.all([serviceTargets(ctx, snaps, notes), releaseReads]);
  const releases = releasesOf(read, snaps, notes);
  return { snaps, targets, releases, images: await images.all() };
}

export async function gatherStatus(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[]): Promise<StatusRaw> {
  const cluster = names(env).cluster;
  // Independent reads at once: the services (their releases, targets and images), scaling, alarms.
  // Each part keeps its own notes, joined in a fixed order whatever answered first.
  const part: [string[], string[], string[]] = [[], [], []];
  const [{ snaps, images, targets, releases }, ranges, alarms] = await Promise.all([
    servicesPart(ctx, env, services, part[1]),
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
