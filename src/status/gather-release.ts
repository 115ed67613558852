/**
 * The I/O of `berth status` during a blue/green, canary or linear release: ECS's service
 * deployment in progress (ListServiceDeployments, DescribeServiceDeployments) and the task
 * definitions of its source and target revisions (DescribeServiceRevisions). A service with no
 * release in progress costs one ListServiceDeployments call, made at the same time as DescribeServices.
 */
import type { AwsContext } from '../aws/context.js';
import type { ServiceSnap } from '../ecs/types.js';
import { sdkReleaseOps } from '../rollout/release/ops.js';
import type { RawRelease } from './types.js';

/** Service deployment statuses of a release still moving (or moving back). */
const MOVING = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];

async function releaseOf(ctx: AwsContext, cluster: string, service: string): Promise<RawRelease | undefined> {
  const ops = sdkReleaseOps(ctx);
  const moving = await ops.listServiceDeployments({ cluster, service }, MOVING);
  const arn = moving[0]?.serviceDeploymentArn;
  if (!arn) return undefined;
  const deployment = await ops.describeServiceDeployment(arn);
  if (!deployment) return undefined;
  const revs = [...(deployment.sourceServiceRevisions ?? []), deployment.targetServiceRevision]
    .map((r) => r?.arn)
    .filter((x): x is string => Boolean(x));
  const taskDefinitions = await ops.serviceRevisionTaskDefinitions([...new Set(revs)]);
  return { deployment, taskDefinitions };
}

/**
 * The release in progress of each service, by berth name: read beside DescribeServices (it needs
 * only the names), so a service that turns out not to exist may answer with an error. The promise
 * never rejects: a service whose release cannot be read maps to its error.
 */
export async function serviceReleases(
  ctx: AwsContext,
  cluster: string,
  services: { name: string; ecsService: string }[],
): Promise<Map<string, RawRelease | Error>> {
  const out = new Map<string, RawRelease | Error>();
  await Promise.all(
    services.map(async ({ name, ecsService }) => {
      try {
        const r = await releaseOf(ctx, cluster, ecsService);
        if (r) out.set(name, r);
      } catch (e) {
        out.set(name, e as Error);
      }
    }),
  );
  return out;
}

/** The releases of the services that exist; a note for each of those whose release could not be read. */
export function releasesOf(
  read: Map<string, RawRelease | Error>,
  snaps: Map<string, ServiceSnap>,
  notes: string[],
): Map<string, RawRelease> {
  const out = new Map<string, RawRelease>();
  for (const name of snaps.keys()) {
    const r = read.get(name);
    if (r instanceof Error) notes.push(`service deployments of ${name} unavailable (${r.name})`);
    else if (r) out.set(name, r);
  }
  return out;
}
