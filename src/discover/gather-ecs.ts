/**
 * The ECS side: the services (one DescribeServices call for up to ten), each one's task definition,
 * and its log group's retention. A cluster or service that does not exist ends discovery with
 * discover.not-found (exit 60), naming it; nothing is written.
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { DiscoveredService, DiscoveryFacts } from './facts.js';
import { soft } from './soft.js';

function notFound(message: string, details: Record<string, unknown>): BerthError {
  return new BerthError(message, {
    exitCode: EXIT.DISCOVER_NOT_FOUND,
    code: 'discover.not-found',
    details,
    hint: 'List them with `aws ecs list-clusters` / `aws ecs list-services --cluster <cluster>` (and check --region).',
  });
}

export async function gatherServices(ctx: AwsContext, cluster: string, names: string[], unread: DiscoveryFacts['unread']) {
  const ecs = await import('../aws/sdk/ecs.js');
  const c = await clients.ecs(ctx);
  let r;
  try {
    r = await c.send(new ecs.DescribeServicesCommand({ cluster, services: names }));
  } catch (e) {
    if ((e as { name?: string }).name === 'ClusterNotFoundException')
      throw notFound(`no ECS cluster "${cluster}" in ${ctx.region}; nothing was written.`, { cluster, region: ctx.region });
    throw e;
  }
  const found = (r.services ?? []).filter((s) => s.status !== 'INACTIVE');
  const missing = names.filter((n) => !found.some((s) => s.serviceName === n));
  if (missing.length)
    throw notFound(
      `no ECS service ${missing.map((m) => `"${m}"`).join(', ')} in cluster ${cluster} (${ctx.region}); nothing was written.`,
      {
        cluster,
        region: ctx.region,
        missing,
      },
    );
  const ordered = names.map((n) => found.find((s) => s.serviceName === n)!);
  const bridged = ordered.filter((s) => !s.networkConfiguration?.awsvpcConfiguration?.subnets?.length);
  if (bridged.length)
    throw new BerthError(
      `service ${bridged.map((s) => s.serviceName).join(', ')} of ${cluster} is not awsvpc-networked (no subnets or security groups of its own); berth operates Fargate/awsvpc services only. Nothing was written.`,
      {
        exitCode: EXIT.DISCOVER_NOT_OPERABLE,
        code: 'discover.not-operable',
        details: { cluster, services: bridged.map((s) => s.serviceName) },
      },
    );
  return Promise.all(ordered.map((s) => serviceDetail(ctx, s, unread)));
}

async function serviceDetail(
  ctx: AwsContext,
  service: DiscoveredService['service'],
  unread: DiscoveryFacts['unread'],
): Promise<DiscoveredService> {
  const ecs = await import('../aws/sdk/ecs.js');
  const c = await clients.ecs(ctx);
  const taskDefinition = service.taskDefinition
    ? await soft(
        unread,
        `task definition ${service.taskDefinition}`,
        async () => (await c.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }))).taskDefinition,
        undefined,
      )
    : undefined;
  const group = taskDefinition?.containerDefinitions?.find((d) => d.logConfiguration?.logDriver === 'awslogs')?.logConfiguration?.options?.[
    'awslogs-group'
  ];
  if (!group) return { service, taskDefinition };
  const logs = await import('../aws/sdk/cloudwatch-logs.js');
  const lc = await clients.logs(ctx);
  const lg = await soft(
    unread,
    `log group ${group}`,
    async () =>
      (await lc.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 50 }))).logGroups?.find(
        (g) => g.logGroupName === group,
      ),
    undefined,
  );
  return { service, taskDefinition, logGroupExists: Boolean(lg), logRetentionDays: lg?.retentionInDays };
}
