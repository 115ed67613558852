/**
 * The edge and dns stacks on an existing load balancer and zone: listeners by port, path rules by
 * their path pattern (or the resource map's rule), the alias and the zone and certificate from the
 * map. The load balancer's other listeners and rules are left alone. Pure.
 */
import type { Facts, LeftAlone } from './facts.js';
import { recordId } from './import-ids.js';
import { refAddress, str } from './refs.js';
import { found, type Resolver } from './resolve-types.js';

const listener: Resolver = (r, ctx) => {
  const lb = ctx.idOf(refAddress(r.config.load_balancer_arn) ?? '');
  if (!lb) return { why: 'its load balancer is created' };
  const port = Number(r.config.port);
  return found(ctx.facts.listeners.find((l) => l.port === port)?.arn, `the listener on ${port}`, `listener on ${port} added`);
};

function pathOf(config: Record<string, unknown>): string | undefined {
  const cond = (config.condition as { path_pattern?: { values?: string[] } }[] | undefined)?.[0];
  return cond?.path_pattern?.values?.[0];
}

const listenerRule: Resolver = (r, ctx) => {
  const l = ctx.idOf(refAddress(r.config.listener_arn) ?? '');
  const path = pathOf(r.config);
  if (!l) return { why: 'its listener is created' };
  const m = ctx.facts.rules.find((x) => x.listener === l && path !== undefined && x.paths.includes(path));
  return found(m?.arn, `the rule for ${path}`, `listener rule for ${path} added`);
};

const record: Resolver = (r, ctx) => {
  if (r.config.for_each !== undefined)
    return { why: 'validation records are written with allow_overwrite (an upsert of any existing one)' };
  const zone = ctx.facts.zone;
  const name = str(r.config.name);
  if (!zone || !name) return { why: 'its zone is created' };
  const id = recordId(zone, name, String(r.config.type));
  return found(
    ctx.facts.records.includes(id) ? id : undefined,
    `the ${r.config.type} record ${name}`,
    `${r.config.type} record ${name} added`,
  );
};

export const EDGE_RESOLVERS: Record<string, Resolver> = {
  aws_lb_listener: listener,
  aws_lb_listener_rule: listenerRule,
  aws_route53_record: record,
  aws_route53_zone: (_r, ctx) => found(ctx.facts.zone, 'the hosted zone', 'hosted zone created'),
  aws_acm_certificate: (_r, ctx) => found(ctx.facts.certificate, 'the certificate', 'certificate requested'),
  aws_acm_certificate_validation: () => ({ why: 'not an AWS object: waits until the certificate is issued' }),
};

/** Listeners and rules of the load balancer that berth's edge does not express. */
export function extraEdge(facts: Facts, imported: Set<string>): LeftAlone[] {
  const out: LeftAlone[] = [];
  for (const l of facts.listeners)
    if (!imported.has(l.arn))
      out.push({ kind: 'edge', resource: l.arn, why: `listener on ${l.port} is not one of berth's (80, 443); left as it is` });
  for (const x of facts.rules)
    if (!imported.has(x.arn))
      out.push({
        kind: 'edge',
        resource: x.arn,
        why: `listener rule ${x.priority} (${x.paths.join(', ') || 'no path condition'}) matches no service of the environment; left as it is`,
      });
  return out;
}
