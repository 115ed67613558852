/**
 * Security-group rules: does any group of a side let tcp `port` out to (egress) or in from
 * (ingress) a peer, by group reference, by a CIDR that covers every address of the peer, or by
 * prefix list.
 */
import { ANYWHERE, contains } from './cidr.js';
import type { NetFacts, NetRule } from './types.js';

/** The other end of a link as the rules see it. */
export interface RulePeer {
  groupIds?: string[];
  /** The peer's addresses or ranges: a CIDR rule must cover all of them. */
  cidrs?: string[];
  prefixListIds?: string[];
}

function coversPort(r: NetRule, port: number): boolean {
  const p = String(r.protocol).toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  const from = r.fromPort ?? 0;
  const to = r.toPort ?? 65535;
  return (from === -1 && to === -1) || (from <= port && port <= to);
}

function matchesPeer(r: NetRule, peer: RulePeer): boolean {
  if ((r.groupIds ?? []).some((g) => peer.groupIds?.includes(g))) return true;
  if ((r.prefixListIds ?? []).some((p) => peer.prefixListIds?.includes(p))) return true;
  const cidrs = peer.cidrs ?? [];
  // 0.0.0.0/0 covers any peer, even one whose addresses are not known.
  return (r.cidrs ?? []).some((c) => c === ANYWHERE || (cidrs.length > 0 && cidrs.every((x) => contains(c, x))));
}

/** Does this one rule let tcp `port` through to/from `peer`? (The doctor's group checks ask this too.) */
export function ruleAllows(r: NetRule, port: number, peer: RulePeer): boolean {
  return coversPort(r, port) && matchesPeer(r, peer);
}

/** The first of `groupIds` whose rules in `dir` let tcp `port` through to/from `peer`. */
export function allowedBy(f: NetFacts, groupIds: string[], dir: 'ingress' | 'egress', port: number, peer: RulePeer): string | undefined {
  for (const id of groupIds) {
    const g = f.securityGroups.find((x) => x.id === id);
    if (g && g[dir].some((r) => ruleAllows(r, port, peer))) return id;
  }
  return undefined;
}
