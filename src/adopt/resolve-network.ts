/**
 * The network stack's resources on an existing VPC: each found through the resource map (VPC,
 * subnets, route tables, NAT gateways) or what AWS says of them (the VPC's internet gateway, default
 * group, flow log, each subnet's explicit route table, each table's routes). Pure.
 */
import type { Tier } from './resource-map.js';
import { associationId, routeId } from './import-ids.js';
import { localName, refAddress, str } from './refs.js';
import { found, type Found, type ResolveCtx, type Resolver } from './resolve-types.js';
import type { SynthResource } from './facts.js';

/** `subnet-private-1` -> ['private', 1]; `rt-public` -> ['public', 0]. */
function tierIndex(address: string, prefix: string): [Tier, number] | undefined {
  const m = new RegExp(`_${prefix}-(public|private|database)(?:-(\\d+))?(?:-default)?$`).exec(localName(address));
  return m ? [m[1] as Tier, Number(m[2] ?? 0)] : undefined;
}

const vpc: Resolver = (_r, ctx) => found(ctx.facts.vpc, 'the VPC', 'no VPC in the resource map');

const subnet: Resolver = (r, ctx) => {
  const ti = tierIndex(r.address, 'subnet');
  const id = ti ? ctx.facts.subnets[ti[0]]?.[ti[1]] : undefined;
  return found(id, `the ${ti?.[0]} subnet ${ti ? ti[1] + 1 : ''}`, `no ${ti?.[0] ?? ''} subnet ${ti ? ti[1] + 1 : ''} in the resource map`);
};

const routeTable: Resolver = (r, ctx) => {
  const ti = tierIndex(r.address, 'rt');
  const id = ti ? ctx.facts.routeTables[ti[0]]?.[ti[1]] : undefined;
  const stale = ti ? ctx.facts.mapRouteTables[ti[0]] : undefined;
  const what = stale
    ? `the ${ti![0]} route table its subnets use now (the map names ${stale.join(', ') || 'none'})`
    : `the ${ti?.[0]} route table`;
  return found(id, what, `no ${ti?.[0] ?? ''} route table ${ti ? ti[1] + 1 : ''} in the resource map`);
};

const route: Resolver = (r, ctx) => {
  const table = ctx.idOf(refAddress(r.config.route_table_id) ?? '');
  const cidr = str(r.config.destination_cidr_block) ?? '';
  if (!table) return { why: 'its route table is created' };
  if (!(ctx.facts.routes[table] ?? []).includes(cidr)) return { why: `route ${cidr} added to ${table}` };
  return { id: routeId(table, cidr), why: `${table} routes ${cidr}` };
};

/** A subnet's association: its explicit one (moved to berth's table if that differs), or added. */
const association: Resolver = (r, ctx) => {
  const subnetId = ctx.idOf(refAddress(r.config.subnet_id) ?? '');
  if (!subnetId) return { why: 'its subnet is created' };
  const current = ctx.facts.associations[subnetId];
  if (!current) return { why: `route table association added: ${subnetId} has none (it uses the VPC's main table)` };
  const wanted = ctx.idOf(refAddress(r.config.route_table_id) ?? '');
  const moved = wanted && wanted !== current ? `; moved to ${wanted}` : '';
  return { id: associationId(subnetId, current), why: `${subnetId} is associated with ${current}${moved}` };
};

function natIndex(r: SynthResource): number {
  return Number(/-(\d+)$/.exec(localName(r.address))?.[1] ?? 0);
}

const nat: Resolver = (r, ctx) => found(ctx.facts.natGateways[natIndex(r)]?.id, 'the NAT gateway', 'no NAT gateway in the resource map');
const eip: Resolver = (r, ctx) =>
  found(ctx.facts.natGateways[natIndex(r)]?.allocationId, "the NAT gateway's Elastic IP", 'its NAT gateway is created');

const flowLog = (_r: SynthResource, ctx: ResolveCtx): Found =>
  found(ctx.facts.flowLog, 'a flow log of the VPC', 'VPC flow logs turned on (none exists)');

export const NETWORK_RESOLVERS: Record<string, Resolver> = {
  aws_vpc: vpc,
  aws_subnet: subnet,
  aws_route_table: routeTable,
  aws_route: route,
  aws_route_table_association: association,
  aws_internet_gateway: (_r, ctx) => found(ctx.facts.internetGateway, 'the internet gateway', 'no internet gateway attached to the VPC'),
  aws_nat_gateway: nat,
  aws_eip: eip,
  aws_default_security_group: (_r, ctx) => found(ctx.facts.defaultSecurityGroup, "the VPC's default security group", 'the VPC is created'),
  aws_flow_log: flowLog,
};
