/**
 * What `berth discover` read from AWS, as AWS described it (the SDK's own shapes), before anything
 * is placed into berth's schema (src/discover/place*.ts). Secret VALUES are never kept: of a
 * secret, only the host and port it names (`SecretEndpoint`).
 */
import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, Rule, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CacheCluster, CacheSubnetGroup, ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { DBCluster, DBSubnetGroup } from '@aws-sdk/client-rds';
import type { VpcReads } from '../network/from-ec2.js';

export interface DiscoveredService {
  service: Service;
  taskDefinition?: TaskDefinition;
  /** Retention of its log group (undefined: never expires, or the group is missing). */
  logRetentionDays?: number;
  logGroupExists?: boolean;
}

/** The host (and port) one secret names, read from its JSON (`host`, `port`, `url`, ...); never its other values. */
export interface SecretEndpoint {
  /** The secret's ARN as the task definition references it (without a JSON key). */
  secretArn: string;
  secretName: string;
  host?: string;
  port?: number;
  /** Why it could not be read (access denied, not JSON, not found). */
  unreadable?: string;
}

export interface EdgeFacts {
  targetGroups: TargetGroup[];
  loadBalancers: LoadBalancer[];
  listeners: Listener[];
  /** Rules by listener ARN. */
  rules: Record<string, Rule[]>;
  certificate?: CertificateDetail;
  /** The Route 53 alias record that points at the load balancer, and its zone. */
  record?: { zoneId: string; zoneName: string; name: string };
}

export interface NetworkFacts extends VpcReads {
  securityGroups: SecurityGroup[];
}

export interface DataFacts {
  secrets: SecretEndpoint[];
  dbClusters: DBCluster[];
  dbSubnetGroups: DBSubnetGroup[];
  replicationGroups: ReplicationGroup[];
  cacheClusters: CacheCluster[];
  cacheSubnetGroups: CacheSubnetGroup[];
}

export interface DiscoveryFacts {
  region: string;
  cluster: string;
  services: DiscoveredService[];
  edge: EdgeFacts;
  network: NetworkFacts;
  data: DataFacts;
  /** Reads that failed without stopping discovery (access denied on one service, ...): what and why. */
  unread: { what: string; why: string }[];
}
