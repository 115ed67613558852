/**
 * Routing: the table a subnet really uses (its explicit association, else its VPC's main table)
 * and the way its default route (0.0.0.0/0) leads to the internet, gateway by gateway.
 */
import type { Blocker, NetFacts, NetRoute, NetRouteTable, Via } from './types.js';

/** The subnet's explicit association, else its VPC's main table (what the EC2 router applies to its traffic). */
export function effectiveTable(
  f: Pick<NetFacts, 'subnets' | 'routeTables'>,
  subnetId: string,
): { table?: NetRouteTable; explicit: boolean } {
  const explicit = f.routeTables.find((t) => t.subnetIds.includes(subnetId));
  if (explicit) return { table: explicit, explicit: true };
  const vpcId = f.subnets.find((s) => s.id === subnetId)?.vpcId;
  return { table: f.routeTables.find((t) => t.main && t.vpcId === vpcId), explicit: false };
}

export const defaultRoute = (t: NetRouteTable | undefined): NetRoute | undefined => t?.routes.find((r) => r.destination === '0.0.0.0/0');

export interface InternetWay {
  via?: Via;
  path: string[];
  blockers: Blocker[];
}

const igwAttached = (f: NetFacts, id: string, vpcId: string | undefined) =>
  f.internetGateways.some((g) => g.id === id && (!vpcId || g.vpcIds.includes(vpcId)));

/** The internet way out of a subnet for an address with (publicIp) or without a public IP. */
export function internetWay(f: NetFacts, subnetId: string, publicIp: boolean): InternetWay {
  const vpcId = f.subnets.find((s) => s.id === subnetId)?.vpcId;
  const { table } = effectiveTable(f, subnetId);
  if (!table) return { path: [subnetId], blockers: [{ problem: 'no-route-table', ids: [subnetId] }] };
  const path = [subnetId, table.id];
  const route = defaultRoute(table);
  if (!route) return { path, blockers: [{ problem: 'no-default-route', ids: [subnetId, table.id] }] };
  const target = route.target;
  if (route.state === 'blackhole') return { path, blockers: [{ problem: 'blackhole', ids: [table.id, target] }] };
  if (target.startsWith('igw-')) {
    if (!igwAttached(f, target, vpcId)) return { path, blockers: [{ problem: 'igw-detached', ids: [table.id, target] }] };
    const blockers: Blocker[] = publicIp ? [] : [{ problem: 'no-public-ip', ids: [subnetId] }];
    return { via: 'internet-gateway', path: [...path, target], blockers };
  }
  if (target.startsWith('nat-')) return natWay(f, table, target, path);
  return { path, blockers: [{ problem: 'unmodelled-target', ids: [table.id, target] }] };
}

function natWay(f: NetFacts, table: NetRouteTable, natId: string, path: string[]): InternetWay {
  const nat = f.natGateways.find((n) => n.id === natId);
  if (!nat) return { path, blockers: [{ problem: 'nat-missing', ids: [table.id, natId] }] };
  const via: Via = 'nat-gateway';
  if ((nat.state ?? 'available') !== 'available') return { via, path, blockers: [{ problem: 'nat-unavailable', ids: [natId] }] };
  // The NAT gateway's own traffic leaves by its subnet's table, which must send 0.0.0.0/0 to an attached internet gateway.
  const own = effectiveTable(f, nat.subnetId).table;
  const natPath = [...path, natId, ...(own ? [own.id] : [])];
  const out = defaultRoute(own);
  const vpcId = f.subnets.find((s) => s.id === nat.subnetId)?.vpcId;
  const ok = nat.public !== false && out && out.state !== 'blackhole' && out.target.startsWith('igw-') && igwAttached(f, out.target, vpcId);
  if (!ok) return { via, path: natPath, blockers: [{ problem: 'nat-no-internet', ids: [natId, ...(own ? [own.id] : [nat.subnetId])] }] };
  natPath.push(out.target);
  return { via, path: natPath, blockers: [] };
}
