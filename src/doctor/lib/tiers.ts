/**
 * Which tier a subnet belongs to: the resource map's tiers when it pins subnets (a platform berth did
 * not build); else its `tier` tag, else its Name tag, else its CIDR in the subnet plan
 * (src/config/network.ts), which is how the network stack carves them.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import { names, refLabel } from '../../config/names.js';
import { subnetPlan } from '../../config/network.js';
import type { EnvironmentConfig } from '../../config/types.js';
import { tag } from './finding.js';

export type Tier = 'public' | 'private' | 'database';
export const TIERS: readonly Tier[] = ['public', 'private', 'database'];

function tierWord(v: string | undefined): Tier | undefined {
  if (!v) return undefined;
  const s = v.toLowerCase();
  if (s === 'public') return 'public';
  if (s === 'private' || s === 'app' || s === 'application') return 'private';
  if (s === 'database' || s === 'db' || s === 'data') return 'database';
  return undefined;
}

export function subnetTier(s: Subnet, env: EnvironmentConfig): Tier | undefined {
  // The resolver first: a tier the resource map pins by id.
  const refs = names(env).refs;
  const pinned = TIERS.find((t) => refs.subnets(t).some((r) => 'id' in r && r.id === s.SubnetId));
  if (pinned) return pinned;
  const byTag = tierWord(tag(s.Tags, 'tier') ?? tag(s.Tags, 'Tier') ?? tag(s.Tags, 'berth:tier'));
  if (byTag) return byTag;
  const name = (tag(s.Tags, 'Name') ?? '').toLowerCase();
  const m = /(?:^|[-_])(public|private|database|db|data)(?:[-_]|$)/.exec(name);
  if (m) return tierWord(m[1]);
  const plan = subnetPlan(env.network.cidr, env.network.azCount).find((p) => p.cidr === s.CidrBlock);
  return plan?.tier;
}

/** The subnets of each tier the resource map pins (by id; a subnet may serve two tiers), or undefined when it pins none. */
function pinnedTiers(subnets: Subnet[], env: EnvironmentConfig): Record<Tier, Subnet[]> | undefined {
  if (!env.resources?.subnets) return undefined;
  const refs = names(env).refs;
  const out: Record<Tier, Subnet[]> = { public: [], private: [], database: [] };
  for (const t of TIERS) {
    if (!env.resources.subnets[t]) continue;
    const ids = refs.subnets(t).map(refLabel);
    out[t] = subnets.filter((s) => ids.includes(s.SubnetId ?? ''));
  }
  return out;
}

export function subnetsByTier(subnets: Subnet[], env: EnvironmentConfig): Record<Tier, Subnet[]> {
  const out: Record<Tier, Subnet[]> = pinnedTiers(subnets, env) ?? { public: [], private: [], database: [] };
  if (!env.resources?.subnets)
    for (const s of subnets) {
      const t = subnetTier(s, env);
      if (t) out[t].push(s);
    }
  for (const t of TIERS)
    out[t].sort(
      (a, b) => (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? '') || (a.CidrBlock ?? '').localeCompare(b.CidrBlock ?? ''),
    );
  return out;
}

export const cidrsOf = (subnets: Subnet[]) => subnets.map((s) => s.CidrBlock).filter((c): c is string => Boolean(c));
