/**
 * The environment's resource map (`resources`, src/config/types.ts): the real id or name of each
 * role berth knows, on a platform berth did not build. adopt reads it for the roles whose AWS
 * identity is an id (VPC, subnets, route tables, groups...); names reach the stacks through
 * src/config/names.ts. Pure.
 */
import type { EnvironmentConfig, ResourceMap } from '../config/types.js';

export type { ResourceMap };
export type Tier = 'public' | 'private' | 'database';
export type GroupRole = keyof NonNullable<ResourceMap['securityGroups']>;

/** The environment's resource map, or undefined when it has none (or an empty one). */
export function resourceMap(env: EnvironmentConfig): ResourceMap | undefined {
  const r = env.resources;
  return r && Object.keys(r).length ? r : undefined;
}
