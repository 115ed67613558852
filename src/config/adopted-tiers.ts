/**
 * The network tiers of a platform berth did not build, as its resource map (`resources`) describes
 * them. A two-tier platform runs its data stores in the services' own subnets: its map names
 * private subnets and no database subnets of their own (or the same ids for both). Its stacks then
 * place the database on the private subnets instead of creating a database tier beside them, and
 * create no more private route tables than the platform has. Without a map (a platform berth
 * builds) both answers are berth's plan: a database tier of its own, one private table per AZ. Pure.
 */
import type { EnvironmentConfig } from './types.js';

/** Does the database share the private subnets (a mapped platform with no database tier of its own)? */
export function databaseSharesPrivateTier(env: EnvironmentConfig): boolean {
  const s = env.resources?.subnets;
  if (!s?.private?.length) return false;
  return (s.database ?? []).every((id) => s.private!.includes(id));
}

/** How many private route tables the stacks create: the map's count on a mapped platform (at most one per AZ), else one per AZ. */
export function privateRouteTableCount(env: EnvironmentConfig, azCount: number): number {
  const mapped = env.resources?.routeTables?.private?.length ?? 0;
  return mapped ? Math.min(mapped, azCount) : azCount;
}

/**
 * Does the cache share the database's security group (a mapped platform naming one group for both,
 * as the RAG guide's DB-SG)? The security stack then keeps that one group for both stores, with the
 * Redis rules on it, instead of moving Redis to a new group its map would no longer name.
 */
export function cacheSharesDatabaseGroup(env: EnvironmentConfig): boolean {
  const g = env.resources?.securityGroups;
  return Boolean(g?.cache && g.cache === g.database);
}
