/**
 * Every AWS name berth gives a resource, derived from the environment config. The stacks create
 * resources under these names and the operations commands find them by the same names, so neither
 * needs terraform state to locate the other. Pure and cheap: no cdktf, no SDK.
 */
import type { EnvironmentConfig, ServiceConfig } from './types.js';

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

export function names(env: EnvironmentConfig) {
  const p = prefix(env);
  const fqdn = env.domain.record ? `${env.domain.record}.${env.domain.name}` : env.domain.name;
  return {
    prefix: p,
    /** The terraform stack id of a stack kind, e.g. `chatbot-prod-network`. */
    stack: (kind: StackKind) => `${p}-${kind}`,
    vpc: `${p}-vpc`,
    cluster: `${p}`,
    alb: truncate(`${p}-alb`, 32),
    /** S3 bucket_prefix of the ALB access log bucket (terraform adds a unique suffix; at most 37 characters). */
    albLogBucketPrefix: `${truncate(p, 26)}-alb-logs-`,
    albSecurityGroup: `${p}-alb`,
    serviceSecurityGroup: `${p}-app`,
    databaseSecurityGroup: `${p}-db`,
    cacheSecurityGroup: `${p}-cache`,
    dbCluster: `${p}-db`,
    dbSubnetGroup: `${p}-db`,
    cacheReplicationGroup: truncate(`${p}-redis`, 40),
    cacheSubnetGroup: `${p}-cache`,
    /** Secrets Manager name of the Redis connection secret {host, port, password, url}. */
    redisSecret: `${env.app}/${env.name}/redis`,
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
    internetGateway: `${p}-igw`,
    subnet: (tier: 'public' | 'private' | 'database', az: number) => `${p}-${tier}-${az + 1}`,
    routeTable: (tier: 'public' | 'private' | 'database', az?: number) => (az === undefined ? `${p}-${tier}` : `${p}-${tier}-${az + 1}`),
    natGateway: (az: number) => `${p}-nat-${az + 1}`,
    /** The role ECS assumes to re-weight listener rules in blue/green, canary and linear releases (one per environment). */
    ecsInfrastructureRole: truncate(`${p}-ecs-infrastructure`, 64),
    dbWriterInstance: `${p}-db-writer`,
    dbFinalSnapshot: `${p}-db-final`,
    fqdn,
    publicUrl: `https://${fqdn}`,
  };
}

export function serviceNames(env: EnvironmentConfig, svc: ServiceConfig) {
  const p = prefix(env);
  return {
    service: svc.name,
    taskFamily: `${p}-${svc.name}`,
    container: svc.name,
    repository: svc.repository,
    /** Target group names are limited to 32 characters. */
    targetGroup: truncate(`${p}-${svc.name}`, 32),
    /** The second target group of a blue/green, canary or linear service (the new revision's while a release runs); 32 characters. */
    alternateTargetGroup: `${truncate(`${p}-${svc.name}`, 28)}-alt`,
    logGroup: `/ecs/${p}/${svc.name}`,
    executionRole: truncate(`${p}-${svc.name}-exec`, 64),
    taskRole: truncate(`${p}-${svc.name}-task`, 64),
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
