/**
 * Reads of what AWS identifies by name: for each such resource berth would create, does one by that
 * name exist (names() gives the resource map's name for a role it pins), and what id does terraform import it by.
 * One bounded read per name; "not found" is an answer, anything else fails the command.
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import { orAbsent } from './absent.js';
import type { Facts, SynthResource } from './facts.js';
import { NAME_ATTRIBUTE } from './resolve.js';
import { str } from './refs.js';

type Lookup = (ctx: AwsContext, name: string, facts: Facts) => Promise<string | undefined>;

const LOOKUPS: Record<string, Lookup> = {
  aws_cloudwatch_log_group: async (ctx, name) => {
    const m = await import('../aws/sdk/cloudwatch-logs.js');
    const r = await (await clients.logs(ctx)).send(new m.DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
    return r.logGroups?.some((g) => g.logGroupName === name) ? name : undefined;
  },
  aws_iam_role: async (ctx, name) => {
    const m = await import('../aws/sdk/iam.js');
    return (await orAbsent((await clients.iam(ctx)).send(new m.GetRoleCommand({ RoleName: name }))))?.Role ? name : undefined;
  },
  aws_db_subnet_group: async (ctx, name) => {
    const m = await import('../aws/sdk/rds.js');
    const r = await orAbsent((await clients.rds(ctx)).send(new m.DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })));
    return r?.DBSubnetGroups?.length ? name : undefined;
  },
  aws_rds_cluster_parameter_group: async (ctx, name) => {
    const m = await import('../aws/sdk/rds.js');
    const r = await orAbsent(
      (await clients.rds(ctx)).send(new m.DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name })),
    );
    return r?.DBClusterParameterGroups?.length ? name : undefined;
  },
  aws_rds_cluster: async (ctx, name, facts) => {
    const m = await import('../aws/sdk/rds.js');
    const r = await orAbsent((await clients.rds(ctx)).send(new m.DescribeDBClustersCommand({ DBClusterIdentifier: name })));
    const c = r?.DBClusters?.[0];
    facts.dbWriter = c?.DBClusterMembers?.find((x) => x.IsClusterWriter)?.DBInstanceIdentifier;
    return c ? name : undefined;
  },
  aws_rds_cluster_instance: async (ctx, name) => {
    const m = await import('../aws/sdk/rds.js');
    const r = await orAbsent((await clients.rds(ctx)).send(new m.DescribeDBInstancesCommand({ DBInstanceIdentifier: name })));
    return r?.DBInstances?.length ? name : undefined;
  },
  aws_elasticache_subnet_group: async (ctx, name) => {
    const m = await import('../aws/sdk/elasticache.js');
    const r = await orAbsent((await clients.elasticache(ctx)).send(new m.DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: name })));
    return r?.CacheSubnetGroups?.length ? name : undefined;
  },
  aws_elasticache_replication_group: async (ctx, name) => {
    const m = await import('../aws/sdk/elasticache.js');
    const r = await orAbsent((await clients.elasticache(ctx)).send(new m.DescribeReplicationGroupsCommand({ ReplicationGroupId: name })));
    return r?.ReplicationGroups?.length ? name : undefined;
  },
  aws_secretsmanager_secret: async (ctx, name, facts) => {
    const m = await import('../aws/sdk/secrets-manager.js');
    const r = await orAbsent((await clients.secretsManager(ctx)).send(new m.DescribeSecretCommand({ SecretId: name })));
    if (!r?.ARN || r.DeletedDate) return undefined;
    const current = Object.entries(r.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    if (current) facts.secretVersions[r.ARN] = current;
    return r.ARN;
  },
  aws_ecr_repository: async (ctx, name, facts) => {
    const m = await import('../aws/sdk/ecr.js');
    const client = await clients.ecr(ctx);
    const r = await orAbsent(client.send(new m.DescribeRepositoriesCommand({ repositoryNames: [name] })));
    if (!r?.repositories?.length) return undefined;
    const policy = await orAbsent(client.send(new m.GetLifecyclePolicyCommand({ repositoryName: name })));
    if (policy?.lifecyclePolicyText) (facts.named.aws_ecr_lifecycle_policy ??= {})[name] = name;
    return name;
  },
  aws_ecs_cluster: async (ctx, name) => {
    const m = await import('../aws/sdk/ecs.js');
    const r = await (await clients.ecs(ctx)).send(new m.DescribeClustersCommand({ clusters: [name] }));
    return r.clusters?.some((c) => c.status === 'ACTIVE') ? name : undefined;
  },
  aws_lb: async (ctx, name) => {
    const m = await import('../aws/sdk/elastic-load-balancing-v2.js');
    const r = await orAbsent((await clients.elbv2(ctx)).send(new m.DescribeLoadBalancersCommand({ Names: [name] })));
    return r?.LoadBalancers?.[0]?.LoadBalancerArn;
  },
  aws_lb_target_group: async (ctx, name) => {
    const m = await import('../aws/sdk/elastic-load-balancing-v2.js');
    const r = await orAbsent((await clients.elbv2(ctx)).send(new m.DescribeTargetGroupsCommand({ Names: [name] })));
    return r?.TargetGroups?.[0]?.TargetGroupArn;
  },
  aws_cloudwatch_metric_alarm: async (ctx, name) => {
    const m = await import('../aws/sdk/cloudwatch.js');
    const r = await (await clients.cloudwatch(ctx)).send(new m.DescribeAlarmsCommand({ AlarmNames: [name] }));
    return r.MetricAlarms?.length ? name : undefined;
  },
  aws_cloudwatch_dashboard: async (ctx, name) => {
    const m = await import('../aws/sdk/cloudwatch.js');
    const r = await orAbsent((await clients.cloudwatch(ctx)).send(new m.GetDashboardCommand({ DashboardName: name })));
    return r?.DashboardName ? name : undefined;
  },
};

/** facts.named for every by-name resource: config name -> import id. The config's names are the map's where it has one (src/config/names.ts). */
export async function gatherNamed(ctx: AwsContext, resources: readonly SynthResource[], facts: Facts): Promise<void> {
  const todo = resources.filter((r) => LOOKUPS[r.type] && str(r.config[NAME_ATTRIBUTE[r.type]!]));
  await Promise.all(
    todo.map(async (r) => {
      const own = str(r.config[NAME_ATTRIBUTE[r.type]!])!;
      const id = await LOOKUPS[r.type]!(ctx, own, facts);
      if (id) (facts.named[r.type] ??= {})[own] = id;
    }),
  );
}
