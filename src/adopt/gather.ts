/**
 * Everything adopt reads of the existing platform, bounded: each call by the SDK limits
 * (src/aws/limits.ts), the whole by the command bound. Read-only.
 */
import type { AwsContext } from '../aws/context.js';
import { withDeadline } from '../aws/deadline.js';
import { awsLimits } from '../aws/limits.js';
import type { EnvironmentConfig } from '../config/types.js';
import { emptyFacts, type Facts, type SynthResource } from './facts.js';
import { gatherEdge } from './gather-edge.js';
import { gatherNamed } from './gather-named.js';
import { gatherNetwork } from './gather-network.js';
import { gatherService } from './gather-service.js';
import type { ResourceMap } from './resource-map.js';

async function gatherAll(ctx: AwsContext, env: EnvironmentConfig, map: ResourceMap, resources: readonly SynthResource[]): Promise<Facts> {
  const facts = emptyFacts();
  await Promise.all([gatherNetwork(ctx, map, facts), gatherNamed(ctx, resources, facts)]);
  // The writer instance the cluster names, when the map does not name one.
  const writer = resources.find((r) => r.type === 'aws_rds_cluster_instance');
  const own = writer && typeof writer.config.identifier === 'string' ? writer.config.identifier : undefined;
  if (own && facts.dbWriter && !facts.named.aws_rds_cluster_instance?.[own] && !map.database?.writerInstance)
    (facts.named.aws_rds_cluster_instance ??= {})[own] = facts.dbWriter;
  await Promise.all([gatherEdge(ctx, env, map, facts), gatherService(ctx, resources, map, facts)]);
  return facts;
}

export function gatherFacts(
  ctx: AwsContext,
  env: EnvironmentConfig,
  map: ResourceMap,
  resources: readonly SynthResource[],
): Promise<Facts> {
  return withDeadline(gatherAll(ctx, env, map, resources), awsLimits().commandBoundMs, 'adopt (reading the platform)');
}
