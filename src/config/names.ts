/**
 * THE resolver of every AWS name and id berth uses, derived from the environment config: the
 * environment's resource map (`resources`, a platform berth did not build) first, berth's naming
 * convention otherwise. The stacks create resources under these names and the operations commands
 * and the doctor find them by the same names, so none needs terraform state to locate the other, and
 * nothing else computes a name. Pure and cheap: no cdktf, no SDK.
 */
import { createHash } from 'node:crypto';
import type { EnvironmentConfig, ServiceConfig } from './types.js';

/**
 * How to find an EC2 resource: by the id the resource map pins, or by berth's name for it (a `Name`
 * tag, or the group name of a security group). Lookups filter on whichever it is (`ec2Filter`).
 */
export type Ref = { id: string } | { name: string; by: 'tag:Name' | 'group-name' };
type Tier = 'public' | 'private' | 'database';
export type SecurityGroupRole = 'alb' | 'service' | 'database' | 'cache';

/** The EC2 describe filter that finds `ref`: `idFilter` (e.g. "vpc-id") for an id, its tag or group name otherwise. */
export function ec2Filter(ref: Ref, idFilter: string): { Name: string; Values: string[] } {
  return 'id' in ref ? { Name: idFilter, Values: [ref.id] } : { Name: ref.by, Values: [ref.name] };
}

/** The id or the name a reference holds, as shown to people (in findings, fixes, errors). */
export function refLabel(ref: Ref): string {
  return 'id' in ref ? ref.id : ref.name;
}

/** Whether the environment pins any real resource (a platform berth did not build). */
export function hasResourceMap(env: EnvironmentConfig): boolean {
  return env.resources !== undefined && Object.keys(env.resources).length > 0;
}

export const STACK_KINDS = ['network', 'security', 'data', 'cache', 'registry', 'dns', 'edge', 'service', 'alarms'] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Which stacks each stack reads outputs from (cross-stack references). */
export const STACK_DEPENDENCIES: Record<StackKind, readonly StackKind[]> = {
  network: [],
  security: ['network'],
  data: ['network', 'security'],
  cache: ['network', 'security'],
  registry: [],
  dns: [],
  edge: ['network', 'security', 'dns'],
  service: ['network', 'security', 'data', 'cache', 'registry', 'edge'],
  alarms: ['edge', 'service'],
};

export function prefix(env: EnvironmentConfig): string {
  return `${env.app}-${env.name}`;
}

/** berth's Name tags (and group names) of the network pieces and security groups it creates. */
function ec2Convention(p: string) {
  return {
    vpc: `${p}-vpc`,
    internetGateway: `${p}-igw`,
    subnet: (tier: Tier, az: number) => `${p}-${tier}-${az + 1}`,
    routeTable: (tier: Tier, az?: number) => (az === undefined ? `${p}-${tier}` : `${p}-${tier}-${az + 1}`),
    natGateway: (az: number) => `${p}-nat-${az + 1}`,
    securityGroup: { alb: `${p}-alb`, service: `${p}-app`, database: `${p}-db`, cache: `${p}-cache` } as Record<SecurityGroupRole, string>,
  };
}

/** The EC2 references of an environment: the resource map's ids, berth's Name tags and group names otherwise. */
function ec2Refs(env: EnvironmentConfig, c: ReturnType<typeof ec2Convention>) {
  const r = env.resources ?? {};
  const tag = (name: string): Ref => ({ name, by: 'tag:Name' });
  const ids = (xs: string[]): Ref[] => xs.map((id) => ({ id }));
  const perAz = (f: (az: number) => string) => Array.from({ length: env.network.azCount }, (_, az) => tag(f(az)));
  const natCount = env.network.nat === 'per-az' ? env.network.azCount : 1;
  return {
    vpc: r.vpc ? { id: r.vpc } : tag(c.vpc),
    internetGateway: r.internetGateway ? { id: r.internetGateway } : tag(c.internetGateway),
    natGateways: r.natGateways ? ids(r.natGateways) : Array.from({ length: natCount }, (_, i) => tag(c.natGateway(i))),
    /** A tier's subnets, in AZ order for berth's own. */
    subnets: (tier: Tier): Ref[] => (r.subnets?.[tier] ? ids(r.subnets[tier]) : perAz((az) => c.subnet(tier, az))),
    /** A tier's route tables: berth's one public table and one per AZ for private and database. */
    routeTables: (tier: Tier): Ref[] =>
      r.routeTables?.[tier]
        ? ids(r.routeTables[tier])
        : tier === 'public'
          ? [tag(c.routeTable('public'))]
          : perAz((az) => c.routeTable(tier, az)),
    securityGroup: (role: SecurityGroupRole): Ref =>
      r.securityGroups?.[role] ? { id: r.securityGroups[role] } : { name: c.securityGroup[role], by: 'group-name' },
  };
}

export function names(env: EnvironmentConfig) {
  const p = prefix(env);
  const r = env.resources ?? {};
  const fqdn = env.domain.record ? `${env.domain.record}.${env.domain.name}` : env.domain.name;
  const c = ec2Convention(p);
  return {
    prefix: p,
    /** The terraform stack id of a stack kind, e.g. `chatbot-prod-network`. */
    stack: (kind: StackKind) => `${p}-${kind}`,
    /** How lookups find the VPC, subnets, route tables, gateways and security groups (ids from the map, else names). */
    refs: ec2Refs(env, c),
    /** berth's Name tag of the VPC it creates (lookups use `refs.vpc`). */
    vpc: c.vpc,
    cluster: r.cluster ?? `${p}`,
    alb: r.loadBalancer?.name ?? truncate(`${p}-alb`, 32),
    /** Pinned by the resource map only; berth's own are found through the load balancer. */
    albArn: r.loadBalancer?.arn,
    httpListenerArn: r.loadBalancer?.httpListener,
    httpsListenerArn: r.loadBalancer?.httpsListener,
    certificateArn: r.certificate,
    /** The hosted zone id when known without a lookup (the map, or domain.zoneId). */
    hostedZoneId: r.hostedZone ?? env.domain.zoneId,
    /** Prefix of berth's CloudWatch alarm names for this environment. */
    alarmPrefix: p,
    /** S3 bucket_prefix of the ALB access log bucket (terraform adds a unique suffix; at most 37 characters). */
    albLogBucketPrefix: `${truncate(p, 26)}-alb-logs-`,
    /** berth's group names of the security groups it creates (lookups use `refs.securityGroup(role)`). */
    albSecurityGroup: c.securityGroup.alb,
    serviceSecurityGroup: c.securityGroup.service,
    databaseSecurityGroup: c.securityGroup.database,
    cacheSecurityGroup: c.securityGroup.cache,
    dbCluster: r.database?.cluster ?? `${p}-db`,
    dbSubnetGroup: r.database?.subnetGroup ?? `${p}-db`,
    /** The database credentials' secret when the map pins one (berth's own is managed by RDS: the cluster's MasterUserSecret). */
    databaseSecret: r.database?.secret,
    cacheReplicationGroup: r.cache?.replicationGroup ?? truncate(`${p}-redis`, 40),
    cacheSubnetGroup: r.cache?.subnetGroup ?? `${p}-cache`,
    /** Secrets Manager name (or ARN, from the map) of the Redis connection secret {host, port, password, url}. */
    redisSecret: r.cache?.secret ?? `${env.app}/${env.name}/redis`,
    alarmTopic: `${p}-alarms`,
    /** KMS key (alias) that encrypts the alarm topic; CloudWatch alarms cannot use aws/sns. */
    alarmKeyAlias: `alias/${p}-alarms`,
    /** The environment's CloudWatch dashboard. */
    dashboard: p,
    alb5xxAlarm: `${p}-alb-5xx-rate`,
    albLatencyAlarm: `${p}-alb-p95-latency`,
    flowLogGroup: `/vpc/${p}/flow-logs`,
    flowLogRole: truncate(`${p}-flow-logs`, 64),
    /** `Name` tags of the network pieces (AZ index from 0, shown from 1). */
    internetGateway: c.internetGateway,
    subnet: c.subnet,
    routeTable: c.routeTable,
    natGateway: c.natGateway,
    /** The role ECS assumes to re-weight listener rules in blue/green, canary and linear releases (one per environment). */
    ecsInfrastructureRole: truncate(`${p}-ecs-infrastructure`, 64),
    dbWriterInstance: r.database?.writerInstance ?? `${p}-db-writer`,
    dbFinalSnapshot: `${p}-db-final`,
    fqdn,
    publicUrl: `https://${fqdn}`,
  };
}

export function serviceNames(env: EnvironmentConfig, svc: ServiceConfig) {
  const p = prefix(env);
  const r = env.resources?.services?.[svc.name] ?? {};
  return {
    service: r.service ?? svc.name,
    taskFamily: r.taskFamily ?? `${p}-${svc.name}`,
    container: r.container ?? svc.name,
    repository: svc.repository,
    /** Target group names are limited to 32 characters. */
    targetGroup: r.targetGroup ?? truncate(`${p}-${svc.name}`, 32),
    /** The second target group of every service: the new revision's while a blue/green, canary or linear release runs; 32 characters. */
    alternateTargetGroup: alternateTargetGroupName(`${p}-${svc.name}`),
    logGroup: r.logGroup ?? `/ecs/${p}/${svc.name}`,
    /** The awslogs-stream-prefix: streams are `<prefix>/<container>/<task id>`. */
    logStreamPrefix: r.logStreamPrefix ?? svc.name,
    /** The listener rule routing to this service when the map pins it (berth's own are found through the listener). */
    listenerRuleArn: r.listenerRule,
    executionRole: r.executionRole ?? truncate(`${p}-${svc.name}-exec`, 64),
    taskRole: r.taskRole ?? truncate(`${p}-${svc.name}-task`, 64),
    cpuAlarm: `${p}-${svc.name}-cpu-high`,
    memoryAlarm: `${p}-${svc.name}-memory-high`,
    unhealthyHostsAlarm: `${p}-${svc.name}-unhealthy-hosts`,
    cpuScalingPolicy: `${p}-${svc.name}-cpu-target`,
    memoryScalingPolicy: `${p}-${svc.name}-memory-target`,
    /** The public health URL of this service (its health path on the environment's host). */
    healthUrl: `${names(env).publicUrl}${publicHealthPath(svc)}`,
  };
}

/**
 * The path at which the service's health endpoint is reachable through the ALB: the health path
 * itself when it falls under the service's path pattern, else under the pattern's prefix.
 */
export function publicHealthPath(svc: ServiceConfig): string {
  const pat = svc.pathPattern;
  if (pat === '/*' || pat === '/') return svc.healthPath;
  const base = pat.replace(/\*.*$/, '').replace(/\/$/, '');
  return svc.healthPath.startsWith(base + '/') ? svc.healthPath : `${base}${svc.healthPath}`;
}

/**
 * `<prefix>-<service>-alt` when it fits the 32 characters of a target group name; else the first 21
 * characters, 6 hex of a hash of the whole, and `-alt`: unique per environment and service however
 * long the prefix (cutting alone would give every service of a long prefix the same name).
 */
function alternateTargetGroupName(base: string): string {
  const full = `${base}-alt`;
  if (full.length <= 32) return full;
  return `${truncate(base, 21)}-${createHash('sha256').update(base).digest('hex').slice(0, 6)}-alt`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n).replace(/-+$/, '');
}

/** Stacks in an order where every stack comes after the ones it depends on. */
export function stackOrder(kinds: readonly StackKind[] = STACK_KINDS): StackKind[] {
  const out: StackKind[] = [];
  const seen = new Set<StackKind>();
  const visit = (k: StackKind) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const d of STACK_DEPENDENCIES[k]) visit(d);
    out.push(k);
  };
  kinds.forEach(visit);
  return out;
}
