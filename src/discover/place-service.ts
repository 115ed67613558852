/**
 * One ECS service in berth's terms: its application container (the one the load balancer targets,
 * else the first essential one), image repository and tag, port, CPU architecture, cpu/memory,
 * counts, health check, environment and secret references (names, never values), log retention; and
 * its roles in the resource map (service, family, container, target group, log group and stream
 * prefix, listener rule, IAM roles). What berth's one-container service cannot hold is listed.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { ServiceResources } from '../config/types.js';
import type { DiscoveredService, DiscoveryFacts } from './facts.js';
import { secretNameOf, secretArnOf } from './gather-data.js';
import type { Notes } from './notes.js';
import { routeOf } from './place-edge.js';

const RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A berth service name (2-20 lowercase) from an ECS service name: "rag-backend-service" -> "rag-backend". */
export function berthServiceName(ecsName: string, taken: Set<string>): string {
  let s = ecsName
    .toLowerCase()
    .replace(/[-_]?service$/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  if (s.length < 2) s = `svc-${s}`.slice(0, 20).replace(/-+$/, '') || 'svc';
  let name = s;
  for (let i = 2; taken.has(name); i++) name = `${s.slice(0, 17).replace(/-+$/, '')}-${i}`;
  taken.add(name);
  return name;
}

function appContainer(s: DiscoveredService): ContainerDefinition | undefined {
  const defs = s.taskDefinition?.containerDefinitions ?? [];
  const target = s.service.loadBalancers?.[0]?.containerName;
  return defs.find((d) => d.name === target) ?? defs.find((d) => d.essential !== false) ?? defs[0];
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` -> repo and tag. */
function ecrImage(image: string): { repository?: string; tag?: string } {
  const m = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?/.exec(image);
  return m ? { repository: m[1], tag: m[2] } : {};
}

function envAndSecrets(c: ContainerDefinition, at: string, notes: Notes) {
  const environment: Record<string, string> = {};
  for (const e of c.environment ?? []) if (e.name && ENV_KEY.test(e.name)) environment[e.name] = e.value ?? '';
  const secrets: Record<string, string> = {};
  for (const x of c.secrets ?? []) {
    const arn = x.valueFrom ? secretArnOf(x.valueFrom) : undefined;
    if (!x.name || !ENV_KEY.test(x.name)) continue;
    if (!arn) {
      notes.notPlaced(`secret ${x.name} comes from SSM Parameter Store (${x.valueFrom}); berth's secrets are Secrets Manager secrets`, {
        field: `${at}.secrets.${x.name}`,
      });
      continue;
    }
    const key = x.valueFrom!.split(':')[7];
    secrets[x.name] = key ? `${secretNameOf(arn)}:${key}` : secretNameOf(arn);
  }
  return { environment, secrets };
}

function roleName(arn: string | undefined): string | undefined {
  return arn ? arn.split('/').pop() : undefined;
}

export function placeService(f: DiscoveryFacts, s: DiscoveredService, name: string, at: string, notes: Notes) {
  const td = s.taskDefinition;
  const c = appContainer(s);
  const cfg: Record<string, unknown> = { name };
  const res: ServiceResources = { service: s.service.serviceName };
  if (!td || !c) {
    notes.notPlaced(`the task definition of ${s.service.serviceName} could not be read`, { field: at, resource: s.service.taskDefinition });
    return { cfg: { ...cfg, port: s.service.loadBalancers?.[0]?.containerPort ?? 80 }, res };
  }
  for (const other of (td.containerDefinitions ?? []).filter((d) => d !== c))
    notes.notPlaced(`container ${other.name} of ${td.family}: berth runs one container per task`, {
      field: at,
      resource: `${td.family}/${other.name}`,
    });
  const img = ecrImage(c.image ?? '');
  if (img.repository) cfg.repository = img.repository;
  else notes.doubt(`image ${c.image} is not in ECR; repository left at berth's default`, { field: `${at}.repository` });
  if (img.tag && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(img.tag)) cfg.imageTag = img.tag;
  const lbPort = s.service.loadBalancers?.[0]?.containerPort;
  cfg.port = lbPort ?? c.portMappings?.[0]?.containerPort ?? 80;
  if (!lbPort && !c.portMappings?.length) notes.doubt('no container port found; port 80 assumed', { field: `${at}.port` });
  cfg.cpu = Number(td.cpu ?? 512);
  cfg.memory = Number(td.memory ?? 1024);
  const arch = td.runtimePlatform?.cpuArchitecture;
  cfg.cpuArchitecture = arch === 'ARM64' ? 'ARM64' : 'X86_64';
  if (!arch) notes.doubt('the task definition does not state its CPU architecture; X86_64 assumed', { field: `${at}.cpuArchitecture` });
  const desired = s.service.desiredCount ?? 1;
  Object.assign(cfg, { desiredCount: desired, minCount: desired, maxCount: Math.max(1, desired * 2) });
  notes.doubt('autoscaling was not read: minCount = desiredCount, maxCount = twice it', { field: `${at}.maxCount` });
  const tgArn = s.service.loadBalancers?.[0]?.targetGroupArn;
  const tg = f.edge.targetGroups.find((t) => t.TargetGroupArn === tgArn);
  if ((s.service.loadBalancers?.length ?? 0) > 1)
    notes.notPlaced('the service registers with more than one target group; berth keeps the first', { field: at });
  if (tg?.HealthCheckPath && /^\/[^\s?#]*$/.test(tg.HealthCheckPath)) cfg.healthPath = tg.HealthCheckPath;
  const route = routeOf(f, tgArn, at, notes);
  if (route.pathPattern) cfg.pathPattern = route.pathPattern;
  Object.assign(cfg, envAndSecrets(c, at, notes));
  if (s.logRetentionDays && RETENTIONS.includes(s.logRetentionDays)) cfg.logRetentionDays = s.logRetentionDays;
  else
    notes.doubt(
      s.logGroupExists ? "the log group never expires its events; logRetentionDays left at berth's default" : 'the log group was not found',
      { field: `${at}.logRetentionDays` },
    );
  if (tg) cfg.healthCheck = healthCheckOf(tg, s.service.healthCheckGracePeriodSeconds);
  Object.assign(res, serviceResources(td, c, tg?.TargetGroupName, route.ruleArn, `resources.services.${name}`, notes));
  return { cfg, res };
}

function serviceResources(
  td: import('@aws-sdk/client-ecs').TaskDefinition,
  c: ContainerDefinition,
  targetGroup: string | undefined,
  ruleArn: string | undefined,
  at: string,
  notes: Notes,
): ServiceResources {
  const log = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options : undefined;
  if (!log) notes.notPlaced(`container ${c.name} does not log to CloudWatch Logs (awslogs)`, { field: `${at}.logGroup` });
  return {
    taskFamily: td.family,
    container: c.name,
    ...(targetGroup ? { targetGroup } : {}),
    ...(log?.['awslogs-group'] ? { logGroup: log['awslogs-group'] } : {}),
    ...(log?.['awslogs-stream-prefix'] ? { logStreamPrefix: log['awslogs-stream-prefix'] } : {}),
    ...(ruleArn ? { listenerRule: ruleArn } : {}),
    ...(roleName(td.executionRoleArn) ? { executionRole: roleName(td.executionRoleArn) } : {}),
    ...(roleName(td.taskRoleArn) ? { taskRole: roleName(td.taskRoleArn) } : {}),
  };
}

function healthCheckOf(tg: import('@aws-sdk/client-elastic-load-balancing-v2').TargetGroup, grace: number | undefined) {
  const hc: Record<string, number> = {};
  if (tg.HealthCheckIntervalSeconds) hc.intervalSeconds = tg.HealthCheckIntervalSeconds;
  if (tg.HealthCheckTimeoutSeconds) hc.timeoutSeconds = tg.HealthCheckTimeoutSeconds;
  if (tg.HealthyThresholdCount) hc.healthyThreshold = tg.HealthyThresholdCount;
  if (tg.UnhealthyThresholdCount) hc.unhealthyThreshold = tg.UnhealthyThresholdCount;
  if (grace !== undefined) hc.gracePeriodSeconds = grace;
  return hc;
}
