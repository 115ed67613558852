/**
 * The environment's resource map (`resources` in environments/<env>.json, issue #13): the real id or
 * name of each role berth knows, on a platform berth did not build. adopt reads it for the roles
 * whose AWS identity is an id (VPC, subnets, route tables, groups...); names reach the stacks
 * through src/config/names.ts. Pure.
 */
import type { EnvironmentConfig } from '../config/types.js';

export type Tier = 'public' | 'private' | 'database';
export type GroupRole = 'alb' | 'service' | 'database' | 'cache';

export interface ServiceResources {
  service?: string;
  taskFamily?: string;
  container?: string;
  targetGroup?: string;
  logGroup?: string;
  listenerRule?: string;
}

export interface ResourceMap {
  cluster?: string;
  vpc?: string;
  subnets?: Partial<Record<Tier, string[]>>;
  routeTables?: Partial<Record<Tier, string[]>>;
  internetGateway?: string;
  natGateways?: string[];
  securityGroups?: Partial<Record<GroupRole, string>>;
  loadBalancer?: { name?: string; httpListener?: string; httpsListener?: string };
  certificate?: string;
  hostedZone?: string;
  database?: { cluster?: string; subnetGroup?: string; writerInstance?: string };
  cache?: { replicationGroup?: string; subnetGroup?: string };
  services?: Record<string, ServiceResources>;
}

/** The environment's resource map, or undefined when it has none. */
export function resourceMap(env: EnvironmentConfig): ResourceMap | undefined {
  const r = (env as EnvironmentConfig & { resources?: ResourceMap }).resources;
  return r && typeof r === 'object' ? r : undefined;
}
