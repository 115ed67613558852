/**
 * The I/O of `berth status` during a blue/green, canary or linear release: ECS's service
 * deployment in progress (ListServiceDeployments, DescribeServiceDeployments) and the task
 * definitions of its source and target revisions (DescribeServiceRevisions). A service with no
 * release in progress costs one ListServiceDeployments call.
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

/** The release in progress of each service, by name (a note for a service whose release cannot be read). */
export async function serviceReleases(
  ctx: AwsContext,
  cluster: string,
  snaps: Map<string, ServiceSnap>,
  notes: string[],
): Promise<Map<string, RawRelease>> {
  const out = new Map<string, RawRelease>();
  await Promise.all(
    [...snaps.keys()].map(async (name) => {
      try {
        const r = await releaseOf(ctx, cluster, name);
        if (r) out.set(name, r);
      } catch (e) {
        notes.push(`service deployments of ${name} unavailable (${(e as Error).name})`);
      }
    }),
  );
  return out;
}
