/**
 * What adopt knows of the existing platform: the resource map's ids, checked, and what bounded AWS
 * reads found (src/adopt/gather.ts). Plain data, so the resolver (resolve.ts) is pure and tested
 * without AWS.
 */
import type { StackKind } from '../config/names.js';
import type { GroupRole, Tier } from './resource-map.js';

/** One resource berth's stacks would create, read from the synthesized cdk.tf.json. */
export interface SynthResource {
  kind: StackKind;
  /** e.g. `aws_subnet.network_subnet-private-0`. */
  address: string;
  type: string;
  config: Record<string, unknown>;
}

export interface SgRuleFact {
  id: string;
  group: string;
  egress: boolean;
  /** `tcp`, `-1`... */
  protocol: string;
  from?: number;
  to?: number;
  cidr?: string;
  /** The referenced security group. */
  peer?: string;
}

export interface ListenerRuleFact {
  arn: string;
  listener: string;
  priority: string;
  paths: string[];
}

export interface Facts {
  vpc?: string;
  defaultSecurityGroup?: string;
  subnets: Partial<Record<Tier, string[]>>;
  /** Per tier: the route tables its subnets use now (explicit association, else the main table). */
  routeTables: Partial<Record<Tier, string[]>>;
  /** Per tier, where the map's route tables differ from those the subnets use now: the map's (stale since discovery). */
  mapRouteTables: Partial<Record<Tier, string[]>>;
  /** Subnet id -> the route table it is explicitly associated with. */
  associations: Record<string, string>;
  /** Route table id -> the destination CIDRs of its routes (the local route left out). */
  routes: Record<string, string[]>;
  internetGateway?: string;
  natGateways: { id: string; allocationId?: string }[];
  flowLog?: string;
  securityGroups: Partial<Record<GroupRole, string>>;
  /** The rules of the mapped security groups. */
  sgRules: SgRuleFact[];
  /** Resource type -> name -> import id, for what AWS identifies by name (found by its name). */
  named: Record<string, Record<string, string>>;
  /** The listeners of the load balancer (by port). */
  listeners: { arn: string; port: number }[];
  /** The non-default rules of those listeners. */
  rules: ListenerRuleFact[];
  /** Route 53 record import ids (`<zone>_<name>_<type>`) that exist. */
  records: string[];
  /** Secret ARN -> its AWSCURRENT version id. */
  secretVersions: Record<string, string>;
  /** Resource ids (`service/<cluster>/<service>`) with a scalable target. */
  scalableTargets: string[];
  /** `<resource id>/<policy name>` of existing scaling policies. */
  scalingPolicies: string[];
  dbWriter?: string;
  zone?: string;
  certificate?: string;
  /** What exists that berth's stacks cannot express, found while reading (a second container...). */
  leftAlone: LeftAlone[];
}

/** Something that exists and that berth's stacks cannot express: reported, never deleted. */
export interface LeftAlone {
  kind: StackKind;
  /** The AWS id, ARN or name. */
  resource: string;
  why: string;
}

export function emptyFacts(): Facts {
  return {
    subnets: {},
    routeTables: {},
    mapRouteTables: {},
    associations: {},
    routes: {},
    natGateways: [],
    securityGroups: {},
    sgRules: [],
    named: {},
    listeners: [],
    rules: [],
    records: [],
    secretVersions: {},
    scalableTargets: [],
    scalingPolicies: [],
    leftAlone: [],
  };
}
