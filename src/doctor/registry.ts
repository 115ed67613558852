/** The check groups: each a gatherer (I/O) and a pure check over what it gathered. */
import { checkCertificate } from './checks/certificate.js';
import { checkDatabase } from './checks/database.js';
import { checkHealth } from './checks/health.js';
import { checkIam } from './checks/iam.js';
import { checkNetwork } from './checks/network.js';
import { checkRedis } from './checks/redis.js';
import { checkSecurityGroups } from './checks/security-groups.js';
import { checkTaskStart } from './checks/task-start.js';
import * as g from './gather/groups.js';
import type { Source } from './gather/source.js';
import type { CheckInput, Finding, GroupName } from './types.js';

export interface CheckGroup<F = unknown> {
  name: GroupName;
  title: string;
  gather: (src: Source) => Promise<F>;
  check: (facts: F, input: CheckInput) => Finding[];
}

const group = <F>(x: CheckGroup<F>) => x as unknown as CheckGroup;

export const GROUPS: readonly CheckGroup[] = [
  group({ name: 'network', title: 'VPC, subnets, gateways and effective routes', gather: g.gatherNetwork, check: checkNetwork }),
  group({
    name: 'security-groups',
    title: 'ALB -> service -> database / cache, both sides of each link',
    gather: g.gatherSecurityGroups,
    check: checkSecurityGroups,
  }),
  group({
    name: 'task-start',
    title: 'the service runs; why tasks stopped; image, architecture, secrets, logs',
    gather: g.gatherTaskStart,
    check: checkTaskStart,
  }),
  group({
    name: 'health',
    title: 'target group port and path, routing, target health, the public health URL',
    gather: g.gatherHealth,
    check: checkHealth,
  }),
  group({
    name: 'database',
    title: 'Aurora cluster and writer, reachability, credentials secret',
    gather: g.gatherDatabase,
    check: checkDatabase,
  }),
  group({ name: 'redis', title: 'replication group, the rediss:// URL, reachability', gather: g.gatherRedis, check: checkRedis }),
  group({
    name: 'certificate',
    title: 'ACM status and expiry, validation records, delegation, alias record',
    gather: g.gatherCertificate,
    check: checkCertificate,
  }),
  group({ name: 'iam', title: 'execution role: secrets, ECR pull, logs; task role', gather: g.gatherIam, check: checkIam }),
];
