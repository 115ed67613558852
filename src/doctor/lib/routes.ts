/**
 * Whether the default route of the table a subnet really uses (which table that is: the shared
 * model's decision, src/network/from-ec2.ts effectiveRouteTable) leads where the subnet's tier needs
 * it, and the NAT route table or gateway to point a private subnet at.
 */
import type { InternetGateway, NatGateway, Route, RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { routeTarget } from '../../network/from-ec2.js';

export type DefaultRouteVerdict =
  | { ok: true; via: 'nat' | 'igw'; target: string; route: Route }
  | {
      ok: false;
      problem:
        | 'no-table'
        | 'no-default-route'
        | 'blackhole'
        | 'nat-missing'
        | 'nat-not-available'
        | 'igw-missing'
        | 'wrong-target'
        | 'other-target';
      target?: string;
      targetState?: string;
      route?: Route;
    };

export function defaultRouteOf(table: RouteTable | undefined): Route | undefined {
  return table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
}

/** Does the table send 0.0.0.0/0 through an available NAT gateway (want 'nat') or an attached internet gateway ('igw')? */
export function judgeDefaultRoute(
  table: RouteTable | undefined,
  want: 'nat' | 'igw',
  nats: NatGateway[],
  igws: InternetGateway[],
): DefaultRouteVerdict {
  if (!table) return { ok: false, problem: 'no-table' };
  const route = defaultRouteOf(table);
  if (!route) return { ok: false, problem: 'no-default-route' };
  const target = routeTarget(route);
  if (route.State === 'blackhole') return { ok: false, problem: 'blackhole', target, route };
  if (want === 'nat') {
    if (route.NatGatewayId) {
      const nat = nats.find((n) => n.NatGatewayId === route.NatGatewayId);
      if (!nat) return { ok: false, problem: 'nat-missing', target, route };
      if (nat.State !== 'available') return { ok: false, problem: 'nat-not-available', target, targetState: nat.State, route };
      return { ok: true, via: 'nat', target: route.NatGatewayId, route };
    }
    if (route.GatewayId?.startsWith('igw-')) return { ok: false, problem: 'wrong-target', target, route };
    return { ok: false, problem: 'other-target', target, route };
  }
  if (route.GatewayId?.startsWith('igw-')) {
    const igw = igws.find((g) => g.InternetGatewayId === route.GatewayId);
    const attached = igw?.Attachments?.some((a) => a.VpcId === table.VpcId && ['available', 'attached'].includes(String(a.State)));
    if (!igw || !attached) return { ok: false, problem: 'igw-missing', target, targetState: igw ? 'detached' : 'missing', route };
    return { ok: true, via: 'igw', target: route.GatewayId, route };
  }
  if (route.NatGatewayId) return { ok: false, problem: 'wrong-target', target, route };
  return { ok: false, problem: 'other-target', target, route };
}

/**
 * A route table to associate a private subnet with: one whose default route goes through an
 * available NAT gateway, preferring the NAT gateway in the subnet's own AZ.
 */
export function natTableFor(subnet: Subnet, tables: RouteTable[], nats: NatGateway[], subnets: Subnet[]): RouteTable | undefined {
  const ok = tables.filter((t) => judgeDefaultRoute(t, 'nat', nats, []).ok);
  const azOf = (natId: string | undefined) =>
    subnets.find((s) => s.SubnetId === nats.find((n) => n.NatGatewayId === natId)?.SubnetId)?.AvailabilityZone;
  return ok.find((t) => azOf(defaultRouteOf(t)?.NatGatewayId) === subnet.AvailabilityZone) ?? ok[0];
}

/** An available NAT gateway for a subnet, preferring its own AZ. */
export function natFor(subnet: Subnet | undefined, nats: NatGateway[], subnets: Subnet[]): NatGateway | undefined {
  const avail = nats.filter((n) => n.State === 'available');
  const az = subnet?.AvailabilityZone;
  return avail.find((n) => subnets.find((s) => s.SubnetId === n.SubnetId)?.AvailabilityZone === az) ?? avail[0];
}
