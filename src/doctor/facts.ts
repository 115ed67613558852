/**
 * What the gatherers read from the account, per check group. The shapes are the SDK's own response
 * types (so recorded responses are valid fixtures), plus a few summaries the gatherers compute
 * where the raw value must not be kept: a secret is reduced to its key names and the *shape* of
 * its URLs, never its values.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CacheCluster, CacheSubnetGroup, ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { DBCluster, DBInstance, DBSubnetGroup } from '@aws-sdk/client-rds';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { VpcReads } from '../network/from-ec2.js';
import type { ManifestInfo } from './lib/image.js';
import type { NamedPolicy, PolicyDocument } from './lib/iam-policy.js';
import type { ImageRef } from './lib/refs.js';

/** The VPC, its subnets, route tables, gateways and endpoints (interface and gateway). */
export interface NetworkFacts extends VpcReads {
  /** Every security group of the VPC and the services' ECS facts (the network group's task-egress check). */
  securityGroups?: SecurityGroup[];
  services?: ServiceFacts[];
}

/** A URL held in a secret, described without its credentials. */
export interface UrlShape {
  valid: boolean;
  scheme: string;
  host: string;
  port?: string;
  path: string;
  /** Names of the query parameters (values left out). */
  queryKeys: string[];
  hasUser: boolean;
  hasPassword: boolean;
}

/** A secret as the doctor may know it: where it is and which keys it has, never a value. */
export interface SecretShape {
  /** What was asked for: a name or an ARN. */
  ref: string;
  found: boolean;
  arn?: string;
  name?: string;
  deleted?: boolean;
  error?: string;
  /** The secret exists but its value could not be read (so its keys are unknown). */
  valueError?: string;
  /** The secret exists but holds no value yet (created empty, waiting for the operator). */
  noValue?: boolean;
  kmsKeyId?: string;
  /** The SecretString is a JSON object. */
  json: boolean;
  keys: string[];
  /** URL-shaped values by key ('' for a secret that is a bare URL). */
  urls: Record<string, UrlShape>;
  /** Values that are not secret: host, port, dbname, engine. */
  plain: Record<string, string>;
}

export interface ServiceFacts {
  name: string;
  service?: Service;
  taskDefinition?: TaskDefinition;
}

export interface SecurityGroupFacts {
  network: NetworkFacts;
  /** Every security group of the VPC. */
  groups: SecurityGroup[];
  loadBalancer?: LoadBalancer;
  services: ServiceFacts[];
  dbCluster?: DBCluster;
  dbSubnetGroup?: DBSubnetGroup;
  replicationGroup?: ReplicationGroup;
  cacheClusters: CacheCluster[];
  cacheSubnetGroup?: CacheSubnetGroup;
}

export interface ImageFacts {
  ref: ImageRef;
  found: boolean;
  error?: string;
  manifest?: ManifestInfo;
  /** The architecture in the image config blob (single-manifest images). */
  configArchitecture?: string;
  configError?: string;
}

export interface TaskStartService extends ServiceFacts {
  /** Recently stopped tasks of this service's task family. */
  stoppedTasks: Task[];
  /** Error-looking last log lines of stopped tasks, by task id (redacted). */
  logLines: Record<string, string[]>;
  image?: ImageFacts;
  secrets: SecretShape[];
  logGroup?: { name: string; exists: boolean };
}

export interface TaskStartFacts {
  services: TaskStartService[];
}

export interface ProbeResult {
  url?: string;
  status?: number;
  error?: string;
  /** Why no request was made. */
  skipped?: string;
  body?: string;
}

export interface HealthService extends ServiceFacts {
  targetGroup?: TargetGroup;
  targetHealth: TargetHealthDescription[];
  probe?: ProbeResult;
}

export interface HealthFacts {
  loadBalancer?: LoadBalancer;
  listeners: Listener[];
  rules: Record<string, Rule[]>;
  services: HealthService[];
}

export interface DatabaseFacts {
  cluster?: DBCluster;
  instances: DBInstance[];
  /** The secret the services read the database credentials from. */
  secret?: SecretShape;
  sg: SecurityGroupFacts;
}

export interface RedisFacts {
  replicationGroup?: ReplicationGroup;
  secret?: SecretShape;
  sg: SecurityGroupFacts;
}

export interface HostedZoneFacts {
  id: string;
  name: string;
  /** The name servers Route 53 assigned to the zone (its delegation set). */
  nameServers: string[];
  records: ResourceRecordSet[];
}

export interface CertificateFacts {
  certificates: CertificateDetail[];
  listenerCertificateArns: string[];
  zone?: HostedZoneFacts;
  /** The name servers the domain is delegated to: a public DNS lookup, or (emulator) the zone's own NS record set. */
  delegation: { source: 'dns' | 'zone-ns-record'; nameServers: string[]; error?: string };
  loadBalancer?: LoadBalancer;
}

export interface RoleFacts {
  name: string;
  found: boolean;
  arn?: string;
  trust?: PolicyDocument;
  policies: NamedPolicy[];
  permissionsBoundary?: string;
}

export interface IamService extends ServiceFacts {
  executionRole?: RoleFacts;
  taskRole?: RoleFacts;
  secrets: SecretShape[];
}

export interface IamFacts {
  services: IamService[];
}
