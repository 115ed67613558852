/**
 * The four security groups (by role, from the resource map) and berth's rules between them: a rule
 * berth would create is imported when the group already has exactly it (direction, protocol, port,
 * peer CIDR or group); otherwise it is added. The groups' other rules are left alone (berth manages
 * rules one resource each and never removes one it does not manage). Pure.
 */
import type { GroupRole } from './resource-map.js';
import type { Facts, LeftAlone, SgRuleFact, SynthResource } from './facts.js';
import { localName, refAddress, str } from './refs.js';
import { found, type Found, type ResolveCtx, type Resolver } from './resolve-types.js';

/** The role of each of berth's groups, by its address. */
const ROLE: Record<string, GroupRole> = { security_alb: 'alb', security_app: 'service', security_db: 'database', security_cache: 'cache' };
const WORD: Record<GroupRole, string> = { alb: 'load balancer', service: 'app', database: 'db', cache: 'cache' };

const group: Resolver = (r, ctx) => {
  const role = ROLE[localName(r.address)];
  return found(
    role ? ctx.facts.securityGroups[role] : undefined,
    `the ${role} security group`,
    `no ${role} security group in the resource map`,
  );
};

function roleOf(groupId: string | undefined, facts: Facts): string {
  const role = (Object.keys(facts.securityGroups) as GroupRole[]).find((k) => facts.securityGroups[k] === groupId);
  return role ? WORD[role] : (groupId ?? '?');
}

/** The existing rule that is exactly this one, if any. */
export function matchRule(r: SynthResource, egress: boolean, ctx: ResolveCtx): SgRuleFact | undefined {
  const groupId = ctx.idOf(refAddress(r.config.security_group_id) ?? '');
  if (!groupId) return undefined;
  const peer = refAddress(r.config.referenced_security_group_id);
  const peerId = peer ? ctx.idOf(peer) : undefined;
  if (peer && !peerId) return undefined;
  const cidr = str(r.config.cidr_ipv4);
  const port = Number(r.config.from_port);
  return ctx.facts.sgRules.find(
    (x) =>
      x.group === groupId &&
      x.egress === egress &&
      x.protocol === String(r.config.ip_protocol) &&
      x.from === port &&
      x.to === Number(r.config.to_port) &&
      (peer ? x.peer === peerId : x.cidr === cidr),
  );
}

function rule(egress: boolean): Resolver {
  return (r: SynthResource, ctx: ResolveCtx): Found => {
    const m = matchRule(r, egress, ctx);
    if (m) return { id: m.id, why: 'the group has this rule' };
    const groupId = ctx.idOf(refAddress(r.config.security_group_id) ?? '');
    const peer = refAddress(r.config.referenced_security_group_id);
    const peerId = peer ? ctx.idOf(peer) : undefined;
    const other = peer
      ? peerId
        ? roleOf(peerId, ctx.facts)
        : localName(peer).replace(/^security_/, '')
      : (str(r.config.cidr_ipv4) ?? '?');
    const dir = egress ? `egress ${r.config.from_port} to ${other}` : `ingress ${r.config.from_port} from ${other}`;
    return { why: `${dir} added${groupId ? ` to ${groupId}` : ''}` };
  };
}

export const SECURITY_RESOLVERS: Record<string, Resolver> = {
  aws_security_group: group,
  aws_vpc_security_group_ingress_rule: rule(false),
  aws_vpc_security_group_egress_rule: rule(true),
};

/** The mapped groups' rules no berth rule took over: left as they are. */
export function extraRules(facts: Facts, imported: Set<string>): LeftAlone[] {
  return facts.sgRules
    .filter((x) => !imported.has(x.id))
    .map((x) => {
      const ports = x.protocol === '-1' ? 'all traffic' : `${x.protocol} ${x.from === x.to ? x.from : `${x.from}-${x.to}`}`;
      const peer = x.peer ?? x.cidr ?? '?';
      return {
        kind: 'security' as const,
        resource: x.id,
        why: `${roleOf(x.group, facts)} group ${x.group}: ${x.egress ? 'egress' : 'ingress'} ${ports} ${x.egress ? 'to' : 'from'} ${peer} is not one of berth's rules; left as it is`,
      };
    });
}
