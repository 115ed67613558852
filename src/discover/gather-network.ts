/**
 * The network the services run in: their VPC (from their subnets), and in it every subnet, route
 * table (with its associations, to tell each subnet's EFFECTIVE table: its explicit one, else the
 * main one), NAT gateway, internet gateway and security group (with its rules), bounded pages each.
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import type { DiscoveredService, NetworkFacts } from './facts.js';
import { pages } from './soft.js';

const EMPTY: NetworkFacts = { subnets: [], routeTables: [], natGateways: [], internetGateways: [], securityGroups: [] };

export async function gatherNetwork(ctx: AwsContext, services: DiscoveredService[]): Promise<NetworkFacts> {
  const ec2 = await import('../aws/sdk/ec2.js');
  const c = await clients.ec2(ctx);
  const own = [...new Set(services.flatMap((s) => s.service.networkConfiguration?.awsvpcConfiguration?.subnets ?? []))];
  if (!own.length) return EMPTY;
  const first = (await c.send(new ec2.DescribeSubnetsCommand({ SubnetIds: own.slice(0, 1) }))).Subnets?.[0];
  const vpcId = first?.VpcId;
  if (!vpcId) return EMPTY;
  const f = [{ Name: 'vpc-id', Values: [vpcId] }];
  const [vpc, subnets, routeTables, natGateways, internetGateways, securityGroups] = await Promise.all([
    c.send(new ec2.DescribeVpcsCommand({ VpcIds: [vpcId] })).then((r) => r.Vpcs?.[0]),
    pages((NextToken) =>
      c.send(new ec2.DescribeSubnetsCommand({ Filters: f, NextToken })).then((r) => ({ items: r.Subnets, next: r.NextToken })),
    ),
    pages((NextToken) =>
      c.send(new ec2.DescribeRouteTablesCommand({ Filters: f, NextToken })).then((r) => ({ items: r.RouteTables, next: r.NextToken })),
    ),
    pages((NextToken) =>
      c.send(new ec2.DescribeNatGatewaysCommand({ Filter: f, NextToken })).then((r) => ({ items: r.NatGateways, next: r.NextToken })),
    ),
    pages((NextToken) =>
      c
        .send(new ec2.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }], NextToken }))
        .then((r) => ({ items: r.InternetGateways, next: r.NextToken })),
    ),
    pages((NextToken) =>
      c
        .send(new ec2.DescribeSecurityGroupsCommand({ Filters: f, NextToken }))
        .then((r) => ({ items: r.SecurityGroups, next: r.NextToken })),
    ),
  ]);
  return { vpc, subnets, routeTables, natGateways: natGateways.filter((g) => g.State !== 'deleted'), internetGateways, securityGroups };
}
