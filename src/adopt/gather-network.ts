/**
 * EC2 reads for adopt: the mapped VPC and what hangs off it (subnets, route tables with their routes
 * and associations, internet gateway, NAT gateways, default group, flow logs) and the mapped
 * security groups with their rules. Each tier's route tables are the ones its subnets use at adopt
 * time (effectiveTierTables). A map id that does not exist is an error naming it (exit 66).
 */
import type { AwsContext } from '../aws/context.js';
import type { RouteTable } from '@aws-sdk/client-ec2';
import { ec2 } from '../aws/clients.js';
import { effectiveRouteTable } from '../network/from-ec2.js';
import type { Facts, SgRuleFact } from './facts.js';
import { missingResource } from './errors.js';
import type { GroupRole, ResourceMap, Tier } from './resource-map.js';

const TIERS: Tier[] = ['public', 'private', 'database'];

async function vpcFacts(ctx: AwsContext, vpc: string, facts: Facts): Promise<RouteTable[]> {
  const m = await import('../aws/sdk/ec2.js');
  const client = await ec2(ctx);
  const vpcs = await client.send(new m.DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }));
  if (!vpcs.Vpcs?.length) throw missingResource('resources.vpc', vpc, 'VPC');
  facts.vpc = vpc;
  const byVpc = [{ Name: 'vpc-id', Values: [vpc] }];
  const [tables, igws, nats, groups, flows] = await Promise.all([
    client.send(new m.DescribeRouteTablesCommand({ Filters: byVpc })),
    client.send(new m.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpc] }] })),
    client.send(new m.DescribeNatGatewaysCommand({ Filter: byVpc })),
    client.send(new m.DescribeSecurityGroupsCommand({ Filters: [...byVpc, { Name: 'group-name', Values: ['default'] }] })),
    client.send(new m.DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpc] }] })),
  ]);
  for (const t of tables.RouteTables ?? []) {
    const id = t.RouteTableId!;
    facts.routes[id] = (t.Routes ?? [])
      .filter((r) => r.GatewayId !== 'local' && r.DestinationCidrBlock)
      .map((r) => r.DestinationCidrBlock!);
    for (const a of t.Associations ?? []) if (a.SubnetId && !a.Main) facts.associations[a.SubnetId] = id;
  }
  facts.internetGateway = igws.InternetGateways?.[0]?.InternetGatewayId;
  facts.defaultSecurityGroup = groups.SecurityGroups?.[0]?.GroupId;
  facts.flowLog = flows.FlowLogs?.[0]?.FlowLogId;
  const live = (nats.NatGateways ?? []).filter((n) => n.State !== 'deleted' && n.State !== 'deleting');
  facts.natGateways = live.map((n) => ({ id: n.NatGatewayId!, allocationId: n.NatGatewayAddresses?.[0]?.AllocationId }));
  return tables.RouteTables ?? [];
}

/**
 * The route tables a tier's subnets use at adopt time, in the subnets' order: a subnet explicitly
 * associated with a table uses that one (src/network/routes.ts), whatever the map recorded at
 * discovery (a doctor fix may have associated it since; taking the map's would move it back). A
 * subnet on the VPC's main table by default keeps the map's tables (berth then associates it with
 * them, saying so), or the main table when the map names none. Pure.
 */
export function effectiveTierTables(vpc: string, subnets: string[], tables: RouteTable[], mapped: string[]): string[] {
  const uses = subnets.map((id) => effectiveRouteTable(id, vpc, tables));
  const explicit = uses.filter((e) => e.explicit).map((e) => e.table!.RouteTableId);
  const byDefault = uses.filter((e) => !e.explicit).map((e) => e.table?.RouteTableId);
  const rest = byDefault.length ? (mapped.length ? mapped : byDefault) : [];
  return [...new Set([...explicit, ...rest].filter((t): t is string => Boolean(t)))];
}

/** The map's ids of a kind, checked to exist; returns them in the map's order. */
async function checkIds(ctx: AwsContext, kind: 'subnet' | 'route-table', ids: string[], field: string): Promise<void> {
  if (!ids.length) return;
  const m = await import('../aws/sdk/ec2.js');
  const client = await ec2(ctx);
  const found =
    kind === 'subnet'
      ? ((await client.send(new m.DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: ids }] }))).Subnets ?? []).map(
          (s) => s.SubnetId,
        )
      : (
          (await client.send(new m.DescribeRouteTablesCommand({ Filters: [{ Name: 'route-table-id', Values: ids }] }))).RouteTables ?? []
        ).map((t) => t.RouteTableId);
  const gone = ids.find((id) => !found.includes(id));
  if (gone) throw missingResource(field, gone, kind === 'subnet' ? 'subnet' : 'route table');
}

async function groupFacts(ctx: AwsContext, groups: Partial<Record<GroupRole, string>>, facts: Facts): Promise<void> {
  const ids = Object.values(groups).filter((x): x is string => Boolean(x));
  if (!ids.length) return;
  const m = await import('../aws/sdk/ec2.js');
  const client = await ec2(ctx);
  const found = await client.send(new m.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ids }] }));
  for (const [role, id] of Object.entries(groups)) {
    if (!id) continue;
    if (!found.SecurityGroups?.some((g) => g.GroupId === id))
      throw missingResource(`resources.securityGroups.${role}`, id, 'security group');
    facts.securityGroups[role as GroupRole] = id;
  }
  const rules = await client.send(
    new m.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: ids }], MaxResults: 1000 }),
  );
  facts.sgRules = (rules.SecurityGroupRules ?? []).map((r): SgRuleFact => ({
    id: r.SecurityGroupRuleId!,
    group: r.GroupId!,
    egress: Boolean(r.IsEgress),
    protocol: r.IpProtocol ?? '-1',
    from: r.FromPort,
    to: r.ToPort,
    cidr: r.CidrIpv4,
    peer: r.ReferencedGroupInfo?.GroupId,
  }));
}

export async function gatherNetwork(ctx: AwsContext, map: ResourceMap, facts: Facts): Promise<void> {
  const vpcTables = map.vpc ? await vpcFacts(ctx, map.vpc, facts) : undefined;
  for (const tier of TIERS) {
    const subnets = map.subnets?.[tier] ?? [];
    const tables = map.routeTables?.[tier] ?? [];
    await checkIds(ctx, 'subnet', subnets, `resources.subnets.${tier}`);
    await checkIds(ctx, 'route-table', tables, `resources.routeTables.${tier}`);
    facts.subnets[tier] = subnets;
    const effective = map.vpc && vpcTables && subnets.length ? effectiveTierTables(map.vpc, subnets, vpcTables, tables) : [];
    facts.routeTables[tier] = effective.length ? effective : tables;
    if (effective.length && effective.join() !== tables.join()) facts.mapRouteTables[tier] = tables;
  }
  if (map.internetGateway) facts.internetGateway = map.internetGateway;
  if (map.natGateways?.length) {
    const known = new Map(facts.natGateways.map((n) => [n.id, n]));
    for (const id of map.natGateways) if (!known.has(id)) throw missingResource('resources.natGateways', id, 'NAT gateway');
    facts.natGateways = map.natGateways.map((id) => known.get(id)!);
  }
  await groupFacts(ctx, map.securityGroups ?? {}, facts);
}
