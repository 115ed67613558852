/**
 * Why a plan changes what it changes, in a few words a reviewer can check: for an adopted platform
 * (`berth adopt`) every change after the imports is one of berth's secure defaults, and the review
 * names it ("route table association added", "egress 5432 to db added", "deletion protection on").
 * Tags berth puts on everything collapse into one line. Pure.
 */
import type { AttributeChange, ChangeAction, ResourceDetail } from './plan-detail.js';

export interface WhyLine {
  /** The attribute (or `tags` for all tag changes together). */
  attribute: string;
  before?: string;
  after?: string;
  why: string;
}

/** Attribute (first path segment) -> why berth sets it. */
const ATTRIBUTE_WHY: Readonly<Record<string, string>> = {
  deletion_protection: 'deletion protection on',
  enable_deletion_protection: 'deletion protection on',
  backup_retention_period: 'backups kept longer',
  enabled_cloudwatch_logs_exports: 'database logs exported to CloudWatch Logs',
  iam_database_authentication_enabled: 'IAM database authentication allowed',
  copy_tags_to_snapshot: 'tags copied to snapshots',
  db_cluster_parameter_group_name: "berth's cluster parameters (they fill the exported logs)",
  vpc_security_group_ids: 'its own security group',
  security_group_ids: 'its own security group',
  security_groups: 'its own security group',
  publicly_accessible: 'not publicly accessible',
  auto_minor_version_upgrade: 'minor version upgrades on',
  preferred_backup_window: 'backup window set',
  preferred_maintenance_window: 'maintenance window set',
  maintenance_window: 'maintenance window set',
  snapshot_window: 'snapshot window set',
  snapshot_retention_limit: 'snapshots kept',
  serverlessv2_scaling_configuration: 'capacity range from the environment',
  drop_invalid_header_fields: 'invalid header fields dropped (request smuggling)',
  access_logs: 'access logs on',
  desync_mitigation_mode: 'desync mitigation defensive',
  ssl_policy: 'TLS 1.2+/1.3 policy',
  default_action: 'HTTP redirects to HTTPS',
  health_check: "the service's health check",
  deregistration_delay: 'deregistration delay 30 s',
  map_public_ip_on_launch: 'no public IP on launch',
  enable_dns_hostnames: 'DNS hostnames on (endpoints, RDS names)',
  enable_dns_support: 'DNS support on',
  image_scanning_configuration: 'images scanned on push',
  image_tag_mutability: 'tag mutability set',
  retention_in_days: 'log retention set',
  deployment_circuit_breaker: 'circuit breaker with rollback',
  deployment_minimum_healthy_percent: 'rolling deploys keep full capacity',
  deployment_maximum_percent: 'rolling deploys keep full capacity',
  health_check_grace_period_seconds: 'health check grace period',
  enable_execute_command: 'ECS Exec off',
  enable_ecs_managed_tags: 'ECS-managed tags on',
  propagate_tags: 'tags propagated from the service',
  network_configuration: 'private subnets, app group, no public IP',
  setting: 'Container Insights on',
  route_table_id: "moved to berth's route table",
  gateway_id: 'default route to the internet gateway',
  nat_gateway_id: 'default route to the NAT gateway',
  description: "berth's description of the rule",
  assume_role_policy: 'trust limited to this account',
  automatic_failover_enabled: 'failover with a replica',
  multi_az_enabled: 'Multi-AZ with a replica',
  num_cache_clusters: 'replicas from the environment',
};

/** Arguments only terraform reads (none is sent to AWS): after an import they read null. */
const TERRAFORM_ONLY = new Set([
  'revoke_rules_on_delete',
  'force_destroy',
  'force_delete',
  'skip_final_snapshot',
  'final_snapshot_identifier',
  'apply_immediately',
  'wait_for_steady_state',
  'skip_destroy',
  'allow_overwrite',
  'recovery_window_in_days',
  'deletion_window_in_days',
  'delete_automated_backups',
]);

/** `security_app-out-db-5432` -> `egress 5432 to db added`. */
function ruleWhy(address: string): string | undefined {
  const m = /_([a-z]+)-(in|out)-([a-z]+)-(\d+)$/.exec(address);
  if (m) return m[2] === 'out' ? `egress ${m[4]} to ${m[3]} added` : `ingress ${m[4]} from ${m[3]} added`;
  const h = /_([a-z]+)-(in|out)-(\d+|https)$/.exec(address);
  return h
    ? `${h[2] === 'out' ? 'egress' : 'ingress'} ${h[3] === 'https' ? 443 : h[3]} ${h[2] === 'out' ? 'to' : 'from'} anywhere added`
    : undefined;
}

const CREATE_WHY: Readonly<Record<string, string>> = {
  aws_route_table_association: 'route table association added',
  aws_route: 'route added',
  aws_flow_log: 'VPC flow logs on',
  aws_s3_bucket: 'access log bucket added',
  aws_appautoscaling_target: 'service autoscaling added',
  aws_appautoscaling_policy: 'target tracking policy added',
  aws_cloudwatch_metric_alarm: 'alarm added',
  aws_ecs_task_definition: 'new task definition revision (the running one stays until the next deploy)',
  aws_ecr_lifecycle_policy: 'image lifecycle policy set',
  aws_iam_role: 'least-privilege role added',
  aws_iam_role_policy: 'least-privilege policy added',
  aws_rds_cluster_parameter_group: 'cluster parameters that fill the exported logs',
};

/** Why a resource is created. */
export function createWhy(address: string): string {
  const type = address.slice(0, address.indexOf('.'));
  if (type.startsWith('aws_vpc_security_group_')) return ruleWhy(address) ?? 'security group rule added';
  return CREATE_WHY[type] ?? `${type.replace(/^aws_/, '').replace(/_/g, ' ')} added`;
}

const isTag = (a: AttributeChange) => /^tags(_all)?(\.|$)/.test(a.path);

/** An update's attributes, each with why (tags in one line). */
export function updateWhy(r: ResourceDetail): WhyLine[] {
  const tags = r.attributes.filter(isTag);
  const out: WhyLine[] = r.attributes
    .filter((a) => !isTag(a))
    .map((a) => {
      const head = a.path.split(/[.[]/)[0]!;
      const why = TERRAFORM_ONLY.has(head)
        ? 'terraform-only setting (nothing changes in AWS)'
        : (ATTRIBUTE_WHY[head] ?? "berth's configuration");
      return { attribute: a.path, before: a.before, after: a.after, why };
    });
  if (tags.length) {
    const keys = [...new Set(tags.map((t) => t.path.replace(/^tags(_all)?\.?/, '')).filter(Boolean))].sort();
    out.push({ attribute: 'tags', why: `berth's tags (${keys.join(', ')})` });
  }
  return out;
}

/** One line of an adopted stack's review: what berth does to one resource (one attribute of an update), and why. */
export interface ReviewLine {
  address: string;
  /** `import`: taken over as it is; `import+update`: taken over, then this attribute changed. */
  action: 'import' | 'import+update' | Exclude<ChangeAction, 'no-op' | 'read' | 'forget'>;
  attribute?: string;
  before?: string;
  after?: string;
  why: string;
}

/**
 * The review of a stack whose plan imports (`berth adopt`): each import, then each change berth's
 * stacks make, attribute by attribute, with why (values already masked by planDetail). A
 * replacement or destroy says what forces it. Pure.
 */
export function reviewOf(changes: readonly ResourceDetail[], imports: readonly string[]): ReviewLine[] {
  const changed = new Set(changes.map((c) => c.address));
  const out: ReviewLine[] = imports
    .filter((a) => !changed.has(a))
    .map((address) => ({ address, action: 'import', why: 'exists: imported as it is' }));
  for (const c of changes) {
    if (c.action === 'create') out.push({ address: c.address, action: 'create', why: createWhy(c.address) });
    else if (c.action === 'update')
      for (const w of updateWhy(c)) out.push({ address: c.address, action: c.importing ? 'import+update' : 'update', ...w });
    else if (c.action === 'replace' || c.action === 'destroy')
      out.push({
        address: c.address,
        action: c.action,
        why: c.forcedBy.length ? `${c.forcedBy.join(', ')} cannot change in place` : (c.reason ?? c.action),
      });
  }
  return out;
}
