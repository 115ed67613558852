/**
 * Which of the resources berth's stacks would create already exist, and the id terraform imports
 * each by: the resources of every stack (read from the synthesized configuration), resolved against
 * what adopt read of the platform (facts.ts). A resource found is imported, with the attributes it
 * keeps as they are (keep.ts); one not found is created, with why. Each AWS object is imported at
 * most once. What exists but berth cannot express is reported, left alone. Pure.
 */
import { stackOrder, type StackKind } from '../config/names.js';
import type { AdoptionFile } from '../config/adoption.js';
import { ADOPTION_VERSION } from '../config/adoption.js';
import type { Facts, LeftAlone, SynthResource } from './facts.js';
import { keepFor } from './keep.js';
import { byAddress, str } from './refs.js';
import { EDGE_RESOLVERS, extraEdge } from './resolve-edge.js';
import { NETWORK_RESOLVERS } from './resolve-network.js';
import { SECURITY_RESOLVERS, extraRules } from './resolve-security.js';
import { SERVICE_RESOLVERS } from './resolve-service.js';
import type { ResolveCtx, Resolver } from './resolve-types.js';

export interface Decision {
  kind: StackKind;
  address: string;
  type: string;
  action: 'import' | 'create';
  id?: string;
  /** import: the attributes kept as they are. */
  keep?: string[];
  why: string;
}

export interface Adoption {
  decisions: Decision[];
  leftAlone: LeftAlone[];
}

/** The argument that names a resource AWS identifies by name (facts.named[type][name]). */
export const NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_cloudwatch_log_group: 'name',
  aws_iam_role: 'name',
  aws_db_subnet_group: 'name',
  aws_rds_cluster_parameter_group: 'name',
  aws_rds_cluster: 'cluster_identifier',
  aws_rds_cluster_instance: 'identifier',
  aws_elasticache_subnet_group: 'name',
  aws_elasticache_replication_group: 'replication_group_id',
  aws_secretsmanager_secret: 'name',
  aws_ecr_repository: 'name',
  aws_ecs_cluster: 'name',
  aws_lb: 'name',
  aws_lb_target_group: 'name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_cloudwatch_dashboard: 'dashboard_name',
};

const byName: Resolver = (r, ctx) => {
  const attr = NAME_ATTRIBUTE[r.type]!;
  const name = str(r.config[attr]);
  if (!name) return { why: 'its name is only known at apply' };
  const id = ctx.facts.named[r.type]?.[name];
  return id ? { id, why: `${name} exists` } : { why: `${name} created (none exists)` };
};

const RESOLVERS: Record<string, Resolver> = {
  ...Object.fromEntries(Object.keys(NAME_ATTRIBUTE).map((t) => [t, byName])),
  ...NETWORK_RESOLVERS,
  ...SECURITY_RESOLVERS,
  ...EDGE_RESOLVERS,
  ...SERVICE_RESOLVERS,
};

/** Anchors first, so that the resources that refer to them find their ids. */
const FIRST = [
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_nat_gateway',
  'aws_security_group',
  'aws_iam_role',
  'aws_lb',
  'aws_lb_listener',
  'aws_lb_target_group',
  'aws_ecs_cluster',
  'aws_ecs_service',
  'aws_appautoscaling_target',
  'aws_ecr_repository',
  'aws_secretsmanager_secret',
  'aws_sns_topic',
];
const rank = (type: string) => (FIRST.includes(type) ? FIRST.indexOf(type) : FIRST.length);
/** One group mapped to two roles (a platform sharing a group between its database and cache): the database keeps it. */
const GROUP_ORDER = ['security_alb', 'security_app', 'security_db', 'security_cache'];
const within = (r: SynthResource) => {
  const i = GROUP_ORDER.indexOf(r.address.slice(r.address.indexOf('.') + 1));
  return i < 0 ? GROUP_ORDER.length : i;
};

export function resolveAdoption(resources: readonly SynthResource[], facts: Facts): Adoption {
  const ids = new Map<string, string>();
  const used = new Map<string, string>(); // `${type} ${id}` -> address
  const ctx: ResolveCtx = { facts, resources: byAddress(resources), idOf: (a) => ids.get(a) };
  const decided = new Map<string, Decision>();
  const ordered = [...resources].sort((a, b) => rank(a.type) - rank(b.type) || within(a) - within(b));
  for (const r of ordered) {
    const resolver = RESOLVERS[r.type];
    const f = resolver ? resolver(r, ctx) : { why: 'no existing counterpart is looked up for this type' };
    const dup = f.id !== undefined ? used.get(`${r.type} ${f.id}`) : undefined;
    const base = { kind: r.kind, address: r.address, type: r.type };
    if (f.id !== undefined && !dup) {
      ids.set(r.address, f.id);
      used.set(`${r.type} ${f.id}`, r.address);
      decided.set(r.address, { ...base, action: 'import', id: f.id, keep: keepFor(r.type), why: f.why });
    } else {
      const why = dup ? `created: ${f.id} is already taken over by ${dup}` : f.why;
      decided.set(r.address, { ...base, action: 'create', why });
    }
  }
  const importedIds = new Set([...decided.values()].flatMap((d) => (d.id ? [d.id] : [])));
  const leftAlone = [...facts.leftAlone, ...extraRules(facts, importedIds), ...extraEdge(facts, importedIds)];
  const order = stackOrder();
  const decisions = resources.map((r) => decided.get(r.address)!).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return { decisions, leftAlone };
}

/** The adoption file of these decisions (src/config/adoption.ts). */
export function adoptionOf(envName: string, a: Adoption): AdoptionFile {
  const stacks: AdoptionFile['stacks'] = {};
  for (const d of a.decisions) {
    if (d.action !== 'import') continue;
    const s = (stacks[d.kind] ??= { imports: {}, keep: {} });
    s.imports[d.address] = d.id!;
    if (d.keep?.length) s.keep[d.address] = d.keep;
  }
  return { version: ADOPTION_VERSION, environment: envName, stacks };
}
