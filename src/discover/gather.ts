/**
 * Everything `berth discover` reads, starting from the ECS services and following what they touch,
 * within the command's bound (independent reads in parallel). See facts.ts for what is kept.
 */
import type { AwsContext } from '../aws/context.js';
import { withDeadline } from '../aws/deadline.js';
import { awsLimits } from '../aws/limits.js';
import type { DiscoveryFacts } from './facts.js';
import { gatherData } from './gather-data.js';
import { gatherServices } from './gather-ecs.js';
import { gatherEdge } from './gather-edge.js';
import { gatherNetwork } from './gather-network.js';

async function gather(ctx: AwsContext, cluster: string, names: string[]): Promise<DiscoveryFacts> {
  const unread: DiscoveryFacts['unread'] = [];
  const services = await gatherServices(ctx, cluster, names, unread);
  const [edge, network, data] = await Promise.all([
    gatherEdge(ctx, services, unread),
    gatherNetwork(ctx, services),
    gatherData(ctx, services, unread),
  ]);
  return { region: ctx.region, cluster, services, edge, network, data, unread };
}

/** Discovery within a bound: twice the read bound of other commands (it makes more calls, several in a row). */
export function gatherDiscovery(ctx: AwsContext, cluster: string, names: string[]): Promise<DiscoveryFacts> {
  return withDeadline(gather(ctx, cluster, names), 2 * awsLimits().commandBoundMs, 'discover');
}
