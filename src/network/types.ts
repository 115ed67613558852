/**
 * The network facts the reachability model reads, in one plain JSON shape that both berth's doctor
 * (from the EC2 API, see from-ec2.ts) and the sandbox emulator (from moto's state, see
 * src/sandbox/moto/berth_moto/reach/) produce, and the verdict it gives. The conformance cases in
 * test/network/conformance.json are written in these shapes and run against both implementations.
 */

export interface NetRule {
  /** 'tcp', 'udp', 'icmp' or '-1' (all traffic). */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs?: string[];
  groupIds?: string[];
  prefixListIds?: string[];
}

export interface NetSecurityGroup {
  id: string;
  vpcId?: string;
  ingress: NetRule[];
  egress: NetRule[];
}

export interface NetRoute {
  /** Destination CIDR, or a prefix list id (gateway endpoints). */
  destination: string;
  /** 'local', igw-…, nat-…, vpce-…, or another target id (instance, transit gateway, peering). */
  target: string;
  /** 'active' (default) or 'blackhole'. */
  state?: string;
}

export interface NetRouteTable {
  id: string;
  vpcId: string;
  main?: boolean;
  /** Subnets explicitly associated with the table. */
  subnetIds: string[];
  routes: NetRoute[];
}

export interface NetEndpoint {
  id: string;
  vpcId: string;
  /** e.g. com.amazonaws.ap-northeast-2.ecr.api */
  service: string;
  type: 'Interface' | 'Gateway';
  state?: string;
  privateDns?: boolean;
  subnetIds?: string[];
  securityGroupIds?: string[];
  routeTableIds?: string[];
}

export interface NetFacts {
  region: string;
  vpcs: { id: string; cidr: string }[];
  subnets: { id: string; vpcId: string; cidr: string }[];
  routeTables: NetRouteTable[];
  internetGateways: { id: string; vpcIds: string[] }[];
  natGateways: { id: string; subnetId: string; state?: string; public?: boolean }[];
  endpoints: NetEndpoint[];
  securityGroups: NetSecurityGroup[];
}

/** Where a Fargate task (awsvpc) sits: its ENI's subnet, groups and whether it has a public IP. */
export interface TaskPlace {
  subnetId: string;
  securityGroupIds: string[];
  publicIp?: boolean;
}

/** The AWS services a Fargate task needs before and while it starts. */
export const AWS_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** A destination inside the VPC (a database, a cache): its subnets (or address) and groups. */
export interface PeerPlace {
  subnetIds?: string[];
  /** Addresses or ranges it answers on; default: its subnets' CIDRs. */
  cidrs?: string[];
  securityGroupIds: string[];
  port: number;
}

export type Problem =
  | 'no-subnet'
  | 'no-route-table'
  | 'no-default-route'
  | 'blackhole'
  | 'no-public-ip'
  | 'igw-detached'
  | 'nat-missing'
  | 'nat-unavailable'
  | 'nat-no-internet'
  | 'unmodelled-target'
  | 'endpoint-unavailable'
  | 'other-vpc'
  | 'sg-egress'
  | 'sg-ingress';

export interface Blocker {
  problem: Problem;
  /** The resources that block, by id (subnet, route table, gateway, group). */
  ids: string[];
}

export type Via = 'internet-gateway' | 'nat-gateway' | 'interface-endpoint' | 'gateway-endpoint' | 'local';

export interface Verdict {
  ok: boolean;
  /** The way the traffic goes (or would go, were nothing blocking it). */
  via?: Via;
  /** The resource ids it passes, in order: subnet, route table, gateway(s) or endpoint. */
  path: string[];
  blockers: Blocker[];
}
