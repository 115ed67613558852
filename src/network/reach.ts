/**
 * The reachability model: can a Fargate task (awsvpc) reach an AWS service endpoint, or a peer in
 * its VPC (a database, a cache), and if not, which resources block it. Pure: facts in, verdict out.
 *
 * AWS services: an interface endpoint of the service with private DNS in the task's VPC takes the
 * traffic (its DNS name resolves to the endpoint); for S3, a gateway endpoint on the task subnet's
 * route table does; otherwise the subnet's default route must reach an internet gateway (with a
 * public IP on the task) or an available NAT gateway whose own subnet reaches an internet gateway.
 * Either way the task's groups must allow egress on 443 to it (0.0.0.0/0 on the internet way, the
 * endpoint's groups or subnets for an interface endpoint), and an interface endpoint's groups
 * must allow 443 in from the task.
 * Peers: the VPC's local route always applies; the task's groups must allow egress on the port to
 * the peer and the peer's groups ingress from the task (by group reference or covering CIDR).
 */
import { allowedBy } from './rules.js';
import { effectiveTable, internetWay } from './routes.js';
import type { AwsService, Blocker, NetEndpoint, NetFacts, PeerPlace, TaskPlace, Verdict } from './types.js';

const HTTPS = 443;

const cidrsOf = (f: NetFacts, subnetIds: string[] | undefined) =>
  (subnetIds ?? []).map((id) => f.subnets.find((s) => s.id === id)?.cidr).filter((c): c is string => Boolean(c));

export function endpointService(region: string, service: AwsService): string {
  return `com.amazonaws.${region}.${service}`;
}

function interfaceEndpoint(f: NetFacts, vpcId: string, name: string): NetEndpoint | undefined {
  return f.endpoints.find((e) => e.vpcId === vpcId && e.service === name && e.type === 'Interface' && e.privateDns !== false);
}

function viaInterface(f: NetFacts, task: TaskPlace, ep: NetEndpoint): Verdict {
  const blockers: Blocker[] = [];
  if ((ep.state ?? 'available').toLowerCase() !== 'available') blockers.push({ problem: 'endpoint-unavailable', ids: [ep.id] });
  const epGroups = ep.securityGroupIds ?? [];
  const taskCidrs = cidrsOf(f, [task.subnetId]);
  if (!allowedBy(f, task.securityGroupIds, 'egress', HTTPS, { groupIds: epGroups, cidrs: cidrsOf(f, ep.subnetIds) }))
    blockers.push({ problem: 'sg-egress', ids: [...task.securityGroupIds] });
  if (!allowedBy(f, epGroups, 'ingress', HTTPS, { groupIds: task.securityGroupIds, cidrs: taskCidrs }))
    blockers.push({ problem: 'sg-ingress', ids: [...epGroups] });
  return { ok: !blockers.length, via: 'interface-endpoint', path: [task.subnetId, ep.id], blockers };
}

function gatewayEndpoint(f: NetFacts, task: TaskPlace, name: string): Verdict | undefined {
  const { table } = effectiveTable(f, task.subnetId);
  if (!table) return undefined;
  const ep = f.endpoints.find(
    (e) =>
      e.type === 'Gateway' && e.service === name && (e.routeTableIds?.includes(table.id) || table.routes.some((r) => r.target === e.id)),
  );
  if (!ep) return undefined;
  const pl = table.routes.filter((r) => r.target === ep.id && r.destination.startsWith('pl-')).map((r) => r.destination);
  const blockers: Blocker[] = [];
  if ((ep.state ?? 'available').toLowerCase() !== 'available') blockers.push({ problem: 'endpoint-unavailable', ids: [ep.id] });
  if (!allowedBy(f, task.securityGroupIds, 'egress', HTTPS, { cidrs: ['0.0.0.0/0'], prefixListIds: pl }))
    blockers.push({ problem: 'sg-egress', ids: [...task.securityGroupIds] });
  return { ok: !blockers.length, via: 'gateway-endpoint', path: [task.subnetId, table.id, ep.id], blockers };
}

/** Can a task placed so reach `service` in the facts' region on 443? */
export function reachService(f: NetFacts, task: TaskPlace, service: AwsService): Verdict {
  const subnet = f.subnets.find((s) => s.id === task.subnetId);
  if (!subnet) return { ok: false, path: [task.subnetId], blockers: [{ problem: 'no-subnet', ids: [task.subnetId] }] };
  const name = endpointService(f.region, service);
  const ep = interfaceEndpoint(f, subnet.vpcId, name);
  if (ep) return viaInterface(f, task, ep);
  const gw = service === 's3' ? gatewayEndpoint(f, task, name) : undefined;
  if (gw) return gw;
  const way = internetWay(f, task.subnetId, Boolean(task.publicIp));
  const blockers = [...way.blockers];
  if (!allowedBy(f, task.securityGroupIds, 'egress', HTTPS, { cidrs: ['0.0.0.0/0'] }))
    blockers.push({ problem: 'sg-egress', ids: [...task.securityGroupIds] });
  return { ok: !blockers.length, via: way.via, path: way.path, blockers };
}

/** Can a task in `src` (its subnets and groups) open tcp `dst.port` to a peer in its VPC? */
export function reachPeer(f: NetFacts, src: { subnetIds: string[]; securityGroupIds: string[] }, dst: PeerPlace): Verdict {
  const vpcOf = (id: string) => f.subnets.find((s) => s.id === id)?.vpcId;
  const srcVpcs = new Set(src.subnetIds.map(vpcOf));
  const path = [...new Set([...src.subnetIds, ...(dst.subnetIds ?? [])])];
  const foreign = (dst.subnetIds ?? []).filter((id) => !srcVpcs.has(vpcOf(id)));
  if (foreign.length) return { ok: false, via: 'local', path, blockers: [{ problem: 'other-vpc', ids: foreign }] };
  const dstCidrs = dst.cidrs ?? cidrsOf(f, dst.subnetIds);
  const blockers: Blocker[] = [];
  if (!allowedBy(f, src.securityGroupIds, 'egress', dst.port, { groupIds: dst.securityGroupIds, cidrs: dstCidrs }))
    blockers.push({ problem: 'sg-egress', ids: [...src.securityGroupIds] });
  if (!allowedBy(f, dst.securityGroupIds, 'ingress', dst.port, { groupIds: src.securityGroupIds, cidrs: cidrsOf(f, src.subnetIds) }))
    blockers.push({ problem: 'sg-ingress', ids: [...dst.securityGroupIds] });
  return { ok: !blockers.length, via: 'local', path, blockers };
}

/** Every id that blocks, once, in order. */
export function blockingIds(v: Verdict): string[] {
  return [...new Set(v.blockers.flatMap((b) => b.ids))];
}
