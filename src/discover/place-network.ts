/**
 * The network in berth's terms: each subnet's EFFECTIVE route table (its explicit association, else
 * the VPC's main table), the tiers (public: the load balancer's subnets; private: the services';
 * database: the database's and cache's subnet groups', none when they all lie in the private tier:
 * a two-tier platform whose data stores share the services' subnets has no database tier, and its
 * stacks place the database there, src/config/adopted-tiers.ts), and the network section of the
 * environment.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import { vpcCidrProblem } from '../config/aws-rules.js';
import { isNetworkAddress } from '../config/network.js';
import type { ResourceMap } from '../config/types.js';
import { effectiveRouteTable } from '../network/from-ec2.js';
import type { DiscoveryFacts } from './facts.js';
import type { Notes } from './notes.js';

export interface TierSubnets {
  public: string[];
  private: string[];
  database: string[];
}

export function tierSubnets(f: DiscoveryFacts, dbSubnets: string[], cacheSubnets: string[]): TierSubnets {
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))];
  const priv = uniq(f.services.flatMap((s) => s.service.networkConfiguration?.awsvpcConfiguration?.subnets ?? []));
  const stores = uniq([...dbSubnets, ...cacheSubnets]);
  return {
    public: uniq(f.edge.loadBalancers.flatMap((lb) => lb.AvailabilityZones?.map((z) => z.SubnetId) ?? [])),
    private: priv,
    database: stores.every((s) => priv.includes(s)) ? [] : stores,
  };
}

export function networkResources(f: DiscoveryFacts, tiers: TierSubnets, notes: Notes): Partial<ResourceMap> {
  const n = f.network;
  const r: Partial<ResourceMap> = {};
  if (n.vpc?.VpcId) r.vpc = n.vpc.VpcId;
  const subnets: ResourceMap['subnets'] = {};
  const routeTables: ResourceMap['routeTables'] = {};
  for (const t of ['public', 'private', 'database'] as const) {
    if (!tiers[t].length) continue;
    subnets[t] = tiers[t];
    const effective = tiers[t].map((s) => ({ s, ...effectiveRouteTable(s, n.vpc?.VpcId, n.routeTables) }));
    const rts = [...new Set(effective.map((e) => e.table?.RouteTableId).filter((x): x is string => Boolean(x)))];
    if (rts.length) routeTables[t] = rts;
    const implicit = effective.filter((e) => !e.explicit).map((e) => e.s);
    if (implicit.length)
      notes.doubt(`${t} subnet(s) ${implicit.join(', ')} have no route table of their own: they use the VPC's main table`, {
        field: `resources.routeTables.${t}`,
        resource: implicit.join(', '),
      });
  }
  if (Object.keys(subnets).length) r.subnets = subnets;
  if (Object.keys(routeTables).length) r.routeTables = routeTables;
  const igw = n.internetGateways[0]?.InternetGatewayId;
  if (igw) r.internetGateway = igw;
  const nats = n.natGateways.filter((g) => g.State === 'available' || g.State === 'pending').map((g) => g.NatGatewayId!);
  if (nats.length) r.natGateways = nats;
  for (const t of n.routeTables) {
    const toNat = t.Routes?.find((x) => x.NatGatewayId && x.DestinationCidrBlock === '0.0.0.0/0');
    const used = t.Associations?.some((a) => a.SubnetId || a.Main);
    if (toNat && !used)
      notes.doubt(`route table ${t.RouteTableId} routes 0.0.0.0/0 to ${toNat.NatGatewayId}, but no subnet uses it`, {
        resource: t.RouteTableId,
      });
  }
  if (!n.vpc) notes.notPlaced('the services run in no VPC berth could read (not awsvpc networking?)', { field: 'resources.vpc' });
  return r;
}

/** The environment's network section: the VPC's CIDR, the AZs the services span, NAT per AZ or single. */
export function networkSection(f: DiscoveryFacts, tiers: TierSubnets, notes: Notes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cidr = f.network.vpc?.CidrBlock;
  if (cidr && isNetworkAddress(cidr) && !vpcCidrProblem(cidr)) out.cidr = cidr;
  else if (cidr)
    notes.doubt(
      `the VPC's CIDR ${cidr} is outside what berth's subnet plan takes (${vpcCidrProblem(cidr) ?? 'a network address'}); network.cidr left at its default`,
      {
        field: 'network.cidr',
        resource: f.network.vpc?.VpcId,
      },
    );
  const azOf = (id: string) => f.network.subnets.find((s: Subnet) => s.SubnetId === id)?.AvailabilityZone;
  const azs = new Set(tiers.private.map(azOf).filter(Boolean));
  out.azCount = Math.min(4, Math.max(2, azs.size));
  if (azs.size < 2)
    notes.doubt(`the services' subnets span ${azs.size} availability zone(s); berth needs at least 2`, { field: 'network.azCount' });
  const nats = f.network.natGateways.filter((g) => g.State === 'available');
  out.nat = nats.length >= azs.size && azs.size > 1 ? 'per-az' : 'single';
  return out;
}
