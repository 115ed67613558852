/**
 * Every doctor check: its id, group and what it looks at. Runbooks refer to these ids; a test
 * keeps the two in step.
 */
import { GROUP_NAMES, type GroupName } from './types.js';

export interface CheckSpec {
  id: string;
  group: GroupName;
  title: string;
  perService: boolean;
}

const c = (id: string, title: string, perService = false): CheckSpec => ({ id, group: id.split('.')[0] as GroupName, title, perService });

export const CHECKS: readonly CheckSpec[] = [
  c('network.vpc', 'the environment VPC exists and is available'),
  c('network.subnets', 'public, private and database subnets exist in every availability zone of the plan'),
  c('network.internet-gateway', 'an internet gateway is attached to the VPC'),
  c('network.nat-gateway', 'a NAT gateway is available in a public subnet (one per AZ with nat "per-az")'),
  c('network.public-route', "each public subnet's effective route table sends 0.0.0.0/0 to the internet gateway"),
  c('network.private-route', "each private subnet's effective route table sends 0.0.0.0/0 to an available NAT gateway"),
  c(
    'network.database-route',
    "each database subnet's effective route table sends 0.0.0.0/0 to an available NAT gateway (berth's layout: a WARN where no task runs, which needs no route out)",
  ),
  c(
    'network.task-egress',
    "the service's tasks reach ECR, Secrets Manager / SSM and CloudWatch Logs from each of their subnets: route table, NAT or internet gateway or VPC endpoint, 443 egress (the shared reachability model)",
    true,
  ),

  c('security-groups.found', 'the load balancer, app, database and cache security groups exist'),
  c('security-groups.alb-ingress', 'the load balancer accepts HTTPS (443) and HTTP (80) from the internet'),
  c('security-groups.alb-to-app', 'load balancer -> service port: egress from the ALB group and ingress on the app group', true),
  c('security-groups.app-egress-https', 'the app group can reach 443 (ECR, Secrets Manager, CloudWatch Logs, external APIs)', true),
  c('security-groups.app-to-db', 'service -> database port: egress from the app group and ingress on the database group', true),
  c('security-groups.app-to-cache', 'service -> cache port: egress from the app group and ingress on the cache group', true),
  c('security-groups.db-exposure', 'nothing but the app tier can reach the database group'),
  c('security-groups.cache-exposure', 'nothing but the app tier can reach the cache group'),

  c('task-start.service', 'the ECS service exists, is active and runs its desired count', true),
  c('task-start.stopped-tasks', 'why recent tasks stopped: stop codes, reasons and exit codes, grouped and explained', true),
  c('task-start.image', "the task definition's image exists in ECR", true),
  c('task-start.architecture', "the image's CPU architecture matches the task definition's runtimePlatform", true),
  c(
    'task-start.task-definition',
    "the task definition's environment and secrets: every configured secret wired, no secret in plain environment",
    true,
  ),
  c('task-start.secrets', 'every secret the task definition names exists and holds the JSON key it asks for', true),
  c('task-start.log-group', "the container's log group exists", true),

  c('health.target-group', "the service's target group exists (HTTP, ip targets)", true),
  c('health.port', 'the container port equals the target group port and the configured port', true),
  c('health.path', 'the target group and container health checks probe the configured health path', true),
  c('health.routing', 'the load balancer routes HTTPS to the target group and redirects HTTP to HTTPS', true),
  c('health.targets', 'the target group has healthy targets (reasons of unhealthy ones explained)', true),
  c('health.endpoint', 'the public health URL answers 200', true),

  c('database.cluster', 'the Aurora cluster exists, is available and runs the configured engine'),
  c('database.writer', "the cluster's writer instance is available"),
  c(
    'database.reachability',
    'the database is reachable from the service by the shared model: same VPC (the local route), both sides of the security-group link',
    true,
  ),
  c('database.secret', 'the database secret exists, holds username and password, and points at the cluster'),

  c('redis.replication-group', 'the Redis replication group exists, is available, and its TLS / AUTH settings match the config'),
  c('redis.url', "the Redis URL the service gets: rediss:// with TLS (redis:// without), no query string, the group's endpoint"),
  c(
    'redis.reachability',
    'Redis is reachable from the service by the shared model: same VPC (the local route), both sides of the security-group link',
    true,
  ),

  c('certificate.status', 'the certificate for the public name is ISSUED (age of a pending validation)'),
  c('certificate.validation-records', "the certificate's validation CNAME records are in the hosted zone"),
  c('certificate.delegation', "the domain is delegated to the hosted zone's name servers"),
  c('certificate.expiry', 'days until the certificate expires'),
  c('certificate.listener', 'the HTTPS listener serves an issued certificate covering the public name'),
  c('certificate.alias-record', 'the public name is an alias record pointing at the load balancer'),

  c('iam.execution-role', 'the execution role exists, trusts ecs-tasks.amazonaws.com and is the one the task definition uses', true),
  c('iam.secret-read', 'the execution role may read every secret the task definition names', true),
  c('iam.ecr-pull', "the execution role may pull the task's image from ECR", true),
  c('iam.logs-write', "the execution role may write the container's logs", true),
  c('iam.task-role', 'the task role exists and is not over-broad', true),
  // A group whose facts could not be read (credentials, permissions, an unreachable endpoint) fails as a whole.
  ...GROUP_NAMES.map((g) => c(`${g}.gather`, 'the doctor could read the facts this group needs')),
];

const BY_ID = new Map(CHECKS.map((s) => [s.id, s]));

export function checkSpec(id: string): CheckSpec {
  const s = BY_ID.get(id);
  if (!s) throw new Error(`unknown doctor check ${id}`);
  return s;
}

export function isCheckId(id: string): boolean {
  return BY_ID.has(id);
}
