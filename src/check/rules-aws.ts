/**
 * Rules for what real AWS refuses or quietly does not do, and the controls AWS Foundational Security
 * Best Practices (FSBP), Checkov and Trivy hold for the resource types berth synthesizes: RDS/Aurora,
 * Secrets Manager, the load balancer and its access log bucket, S3, ElastiCache and ECS. Each names
 * the control it follows in `reason`. Pure functions over synthesized Terraform JSON.
 */
import type { Rule, RuleContext } from './rules.js';
import { blocks, bool, embeddedJson, isExpression, list, num, type TfResource } from './tfjson.js';

const inStack = (ctx: RuleContext, r: TfResource) => ctx.stacks.find((s) => s.name === r.stack)?.resources ?? [];

/** The resource of `type` that `value` refers to (`${type.name.attr}`), or whose `name` is the literal value. */
function referenced(ctx: RuleContext, r: TfResource, value: unknown, type: string): TfResource | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const m = new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.`).exec(text);
  const pool = inStack(ctx, r).filter((x) => x.type === type);
  if (m) return pool.find((x) => x.name === m[1]);
  return ctx.stacks.flatMap((s) => s.resources).find((x) => x.type === type && (x.body.name === text || x.body.bucket === text));
}

/** Resources of `type` in the stack whose `bucket` (or other attribute) points at this resource. */
function companions(ctx: RuleContext, r: TfResource, type: string, attr = 'bucket'): TfResource[] {
  const ref = new RegExp(`\\$\\{${r.type}\\.${r.name.replace(/[-]/g, '\\-')}\\.`);
  return inStack(ctx, r).filter((x) => x.type === type && ref.test(String(x.body[attr] ?? '')));
}

const isMysql = (r: TfResource) => /mysql/.test(String(r.body.engine ?? ''));
const isPostgres = (r: TfResource) => /postgres/.test(String(r.body.engine ?? ''));

// ---- RDS / Aurora -----------------------------------------------------------------------------

/** Aurora MySQL exports a log only when a cluster parameter turns it on. */
const LOG_SWITCHES: Record<string, { param: string; value: RegExp; also?: { param: string; value: RegExp } }> = {
  audit: { param: 'server_audit_logging', value: /^(1|ON)$/i, also: { param: 'server_audit_events', value: /\S/ } },
  slowquery: { param: 'slow_query_log', value: /^(1|ON)$/i },
  general: { param: 'general_log', value: /^(1|ON)$/i },
};

const dbLogsProduced: Rule = {
  id: 'BERTH-DB-003',
  title: 'Every exported database log is turned on by the cluster parameter group',
  severity: 'medium',
  fix:
    'Give the cluster a parameter group (aws_rds_cluster_parameter_group, family aurora-mysql8.0) with server_audit_logging=1 ' +
    'and server_audit_events for `audit`, slow_query_log=1 (and long_query_time) for `slowquery`, general_log=1 for `general`.',
  reason:
    'Aurora MySQL only writes the audit, slow query and general logs when the parameters enable them; exported without them, the ' +
    'CloudWatch log groups stay empty (AWS, "Publishing Aurora MySQL logs to CloudWatch Logs").',
  types: ['aws_rds_cluster'],
  check(r, ctx) {
    if (!isMysql(r)) return [];
    const exported = list(r.body.enabled_cloudwatch_logs_exports)
      .map(String)
      .filter((l) => LOG_SWITCHES[l]);
    if (!exported.length) return [];
    const pg = referenced(ctx, r, r.body.db_cluster_parameter_group_name, 'aws_rds_cluster_parameter_group');
    const params = new Map(blocks(pg?.body.parameter).map((p) => [String(p.name), String(p.value ?? '')]));
    const empty = exported
      .map((log) => ({
        log,
        off: [LOG_SWITCHES[log]!, ...(LOG_SWITCHES[log]!.also ? [LOG_SWITCHES[log]!.also!] : [])].filter(
          (x) => !x.value.test(params.get(x.param) ?? ''),
        ),
      }))
      .filter((x) => x.off.length);
    if (!empty.length) return [];
    const what = empty.map((x) => `${x.log} (${x.off.map((o) => o.param).join(', ')})`).join(' and ');
    return [
      `exports logs that nothing turns on, so their log groups stay empty: ${what} ` +
        (pg ? 'not set in its parameter group' : 'with no parameter group of the stacks'),
    ];
  },
};

const dbIamAuth: Rule = {
  id: 'BERTH-DB-004',
  title: 'IAM database authentication is enabled',
  severity: 'medium',
  fix: 'Set iam_database_authentication_enabled = true on the cluster.',
  reason: 'FSBP RDS.12 / Checkov CKV_AWS_162: lets people and tasks connect with short-lived IAM tokens instead of shared passwords.',
  types: ['aws_rds_cluster'],
  check: (r) => (bool(r.body.iam_database_authentication_enabled) === true ? [] : ['iam_database_authentication_enabled is not true']),
};

const dbCopyTags: Rule = {
  id: 'BERTH-DB-005',
  title: 'Snapshots inherit the database tags',
  severity: 'low',
  fix: 'Set copy_tags_to_snapshot = true on the cluster and its instances.',
  reason:
    'FSBP RDS.16 / Checkov CKV_AWS_313: untagged snapshots lose their owner and environment, and escape tag-based access and cost ' +
    'controls.',
  types: ['aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_db_instance'],
  check: (r) => (bool(r.body.copy_tags_to_snapshot) === true ? [] : ['copy_tags_to_snapshot is not true']),
};

const dbLogExports: Rule = {
  id: 'BERTH-DB-006',
  title: 'The database publishes its logs to CloudWatch Logs',
  severity: 'medium',
  fix: 'Set enabled_cloudwatch_logs_exports: ["postgresql"] for Aurora PostgreSQL, ["audit", "error", "slowquery"] for Aurora MySQL.',
  reason:
    'FSBP RDS.34 (Aurora MySQL audit logs) and RDS.36/RDS.37 / Checkov CKV_AWS_324: without them there is no record of who ' +
    'connected and what failed.',
  types: ['aws_rds_cluster'],
  check(r) {
    const logs = list(r.body.enabled_cloudwatch_logs_exports).map(String);
    if (isExpression(r.body.enabled_cloudwatch_logs_exports)) return [];
    const need = isMysql(r) ? ['audit', 'error'] : isPostgres(r) ? ['postgresql'] : [];
    const missing = need.filter((l) => !logs.includes(l));
    return missing.length ? [`does not export the ${missing.join(' and ')} log${missing.length > 1 ? 's' : ''}`] : [];
  },
};

const dbNotPublic: Rule = {
  id: 'BERTH-DB-007',
  title: 'Database instances are not publicly accessible',
  severity: 'critical',
  fix: 'Set publicly_accessible = false on every instance (the database is reached from the app security group only).',
  reason: 'FSBP RDS.2 / Checkov CKV_AWS_17 / Trivy AVD-AWS-0180.',
  types: ['aws_rds_cluster_instance', 'aws_db_instance'],
  check: (r) => (bool(r.body.publicly_accessible) === true ? ['publicly_accessible is true'] : []),
};

const dbMinorUpgrades: Rule = {
  id: 'BERTH-DB-008',
  title: 'Database instances take minor version upgrades',
  severity: 'low',
  fix: 'Set auto_minor_version_upgrade = true (the default) on every instance.',
  reason: 'FSBP RDS.13 / Checkov CKV_AWS_226: security fixes arrive as minor versions.',
  types: ['aws_rds_cluster_instance', 'aws_db_instance'],
  check: (r) => (bool(r.body.auto_minor_version_upgrade) === false ? ['auto_minor_version_upgrade is false'] : []),
};

// ---- Secrets Manager --------------------------------------------------------------------------

const generatedSecretsDeleted: Rule = {
  id: 'BERTH-SECRET-002',
  title: 'Secrets terraform fills in are deleted for good on destroy',
  severity: 'medium',
  fix:
    'Set recovery_window_in_days = 0 on a secret whose value the stack writes (aws_secretsmanager_secret_version): it can be ' +
    'generated again, and a recovery window keeps its name taken.',
  reason:
    'A deleted secret keeps its name for its recovery window (7-30 days, 30 by default): creating the environment again in that ' +
    'time fails with "a secret with this name is already scheduled for deletion" (Secrets Manager DeleteSecret).',
  types: ['aws_secretsmanager_secret'],
  check(r, ctx) {
    if (r.body.name === undefined || r.body.name_prefix !== undefined) return [];
    if (!companions(ctx, r, 'aws_secretsmanager_secret_version', 'secret_id').length) return [];
    const w = num(r.body.recovery_window_in_days);
    return w === 0
      ? []
      : [
          `recovery_window_in_days is ${w ?? '30 (the default)'}: ` +
            `destroying and re-creating the environment within that time fails on the name ${String(r.body.name)}`,
        ];
  },
};

const operatorSecretsKept: Rule = {
  id: 'BERTH-SECRET-003',
  title: 'Secrets operators fill in stay recoverable after destroy (outside the sandbox)',
  severity: 'medium',
  fix: 'Leave recovery_window_in_days at 7-30 (berth: 30) on a secret whose value the stack does not write: destroy then only schedules it.',
  reason:
    'Nothing in terraform can recreate a value an operator put: with a recovery window of 0 a destroy deletes it for good, ' +
    'with 7-30 days `aws secretsmanager restore-secret` brings it back.',
  types: ['aws_secretsmanager_secret'],
  check(r, ctx) {
    if (ctx.sandbox || companions(ctx, r, 'aws_secretsmanager_secret_version', 'secret_id').length) return [];
    return num(r.body.recovery_window_in_days) === 0 ? ['recovery_window_in_days is 0: a destroy deletes the value for good'] : [];
  },
};

// ---- load balancer access logs ----------------------------------------------------------------

const albAccessLogs: Rule = {
  id: 'BERTH-LB-005',
  title: 'The load balancer writes access logs to S3',
  severity: 'medium',
  fix:
    'Set access_logs { enabled = true, bucket = <the log bucket>, prefix = "alb" } on the load balancer, with a log bucket the ' +
    'ELB log delivery may write to.',
  reason: 'FSBP ELB.5 / Checkov CKV_AWS_91 / Trivy AVD-AWS-0052: without access logs there is no record of who called what.',
  types: ['aws_lb', 'aws_alb'],
  check(r) {
    if ((r.body.load_balancer_type ?? 'application') !== 'application') return [];
    const a = blocks(r.body.access_logs)[0];
    return a && bool(a.enabled) !== false && a.bucket !== undefined ? [] : ['access logs are not enabled'];
  },
};

/** What the ELB log delivery needs of the bucket: a write grant to the ELB account or the log delivery service, and SSE-S3. */
function deliveryProblems(ctx: RuleContext, bucket: TfResource): string[] {
  const out: string[] = [];
  const sse = companions(ctx, bucket, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((c) => blocks(c.body.rule));
  const algos = sse.flatMap((x) => blocks(x.apply_server_side_encryption_by_default)).map((d) => String(d.sse_algorithm ?? ''));
  if (algos.some((a) => /kms/i.test(a)))
    out.push('the log bucket is encrypted with SSE-KMS: ALB access log delivery supports SSE-S3 (AES256) only');
  const policies = companions(ctx, bucket, 'aws_s3_bucket_policy').map((p) =>
    JSON.stringify(embeddedJson(p.body.policy) ?? p.body.policy ?? ''),
  );
  const grants = policies.some(
    (p) =>
      /logdelivery\.elasticloadbalancing\.amazonaws\.com|aws_elb_service_account|arn:aws[a-z-]*:iam::\d{12}:root/.test(p) &&
      /s3:PutObject/.test(p),
  );
  if (!grants)
    out.push(
      'the log bucket policy does not let ELB log delivery write (s3:PutObject for logdelivery.elasticloadbalancing.amazonaws.com ' +
        'or the regional ELB account)',
    );
  return out;
}

const albLogBucket: Rule = {
  id: 'BERTH-LB-006',
  title: 'The access log bucket accepts ELB log delivery',
  severity: 'medium',
  fix:
    'Encrypt the log bucket with SSE-S3 (AES256) and give it a bucket policy granting s3:PutObject on ' +
    '<prefix>/AWSLogs/<account>/* to logdelivery.elasticloadbalancing.amazonaws.com (and the regional ELB account in regions ' +
    'opened before August 2022).',
  reason:
    'AWS refuses to enable access logs (or delivery fails) when the bucket policy lacks the grant, and ALB log delivery does not ' +
    'support SSE-KMS (AWS, "Enable access logs for your Application Load Balancer").',
  types: ['aws_lb', 'aws_alb'],
  check(r, ctx) {
    const a = blocks(r.body.access_logs)[0];
    if (!a || bool(a.enabled) === false) return [];
    const bucket = referenced(ctx, r, a.bucket, 'aws_s3_bucket');
    return bucket ? deliveryProblems(ctx, bucket) : [];
  },
};

// ---- S3 ---------------------------------------------------------------------------------------

const s3Encrypted: Rule = {
  id: 'BERTH-BUCKET-001',
  title: 'S3 buckets have default encryption configured',
  severity: 'medium',
  fix: 'Add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "AES256" (or "aws:kms" where nothing forbids it).',
  reason: 'Checkov CKV_AWS_145 / Trivy AVD-AWS-0088 / FSBP S3.17: the encryption is stated, not left to account defaults.',
  types: ['aws_s3_bucket'],
  check: (r, ctx) =>
    companions(ctx, r, 'aws_s3_bucket_server_side_encryption_configuration').length ||
    blocks(r.body.server_side_encryption_configuration).length
      ? []
      : ['no server-side encryption configuration'],
};

const s3PublicBlock: Rule = {
  id: 'BERTH-BUCKET-002',
  title: 'S3 buckets block public access',
  severity: 'high',
  fix:
    'Add aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and ' +
    'restrict_public_buckets all true.',
  reason: 'FSBP S3.8 / Checkov CKV2_AWS_6 / Trivy AVD-AWS-0086..0094.',
  types: ['aws_s3_bucket'],
  check(r, ctx) {
    const b = companions(ctx, r, 'aws_s3_bucket_public_access_block')[0];
    if (!b) return ['no public access block'];
    const off = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].filter(
      (k) => bool(b.body[k]) !== true,
    );
    return off.length ? [`public access block leaves ${off.join(', ')} off`] : [];
  },
};

const s3TlsOnly: Rule = {
  id: 'BERTH-BUCKET-003',
  title: 'S3 buckets refuse requests without TLS',
  severity: 'medium',
  fix: 'Add a bucket policy statement denying s3:* when aws:SecureTransport is false.',
  reason: 'FSBP S3.5 / Checkov CKV_AWS_379-family: requests over plain HTTP are refused.',
  types: ['aws_s3_bucket'],
  check(r, ctx) {
    const policies = companions(ctx, r, 'aws_s3_bucket_policy').map((p) =>
      JSON.stringify(embeddedJson(p.body.policy) ?? p.body.policy ?? ''),
    );
    return policies.some((p) => /aws:SecureTransport/.test(p) && /Deny/.test(p))
      ? []
      : ['no policy denies requests without TLS (aws:SecureTransport)'];
  },
};

const s3Retention: Rule = {
  id: 'BERTH-BUCKET-004',
  title: 'S3 buckets expire what they collect',
  severity: 'low',
  fix: 'Add aws_s3_bucket_lifecycle_configuration with an enabled rule that expires objects (e.g. accessLogs.retentionDays).',
  reason: 'Checkov CKV2_AWS_61: logs kept forever grow without bound in size and cost.',
  types: ['aws_s3_bucket'],
  check(r, ctx) {
    const rules = companions(ctx, r, 'aws_s3_bucket_lifecycle_configuration').flatMap((l) => blocks(l.body.rule));
    return rules.some((x) => String(x.status) === 'Enabled' && blocks(x.expiration).some((e) => num(e.days) !== undefined))
      ? []
      : ['no lifecycle rule expires its objects'];
  },
};

const s3NoAcls: Rule = {
  id: 'BERTH-BUCKET-005',
  title: 'S3 buckets do not use ACLs (bucket owner enforced)',
  severity: 'low',
  fix: 'Add aws_s3_bucket_ownership_controls with object_ownership "BucketOwnerEnforced".',
  reason: 'FSBP S3.12 / Checkov CKV2_AWS_65: access is governed by policies only.',
  types: ['aws_s3_bucket'],
  check(r, ctx) {
    const o = companions(ctx, r, 'aws_s3_bucket_ownership_controls').flatMap((c) => blocks(c.body.rule));
    return o.some((x) => x.object_ownership === 'BucketOwnerEnforced') ? [] : ['object ownership is not BucketOwnerEnforced'];
  },
};

// ---- ElastiCache, ECS -------------------------------------------------------------------------

const cacheMinorUpgrades: Rule = {
  id: 'BERTH-CACHE-003',
  title: 'Redis takes minor version upgrades',
  severity: 'low',
  fix: 'Set auto_minor_version_upgrade = true on the replication group.',
  reason: 'FSBP ElastiCache.2: security fixes arrive as minor versions.',
  types: ['aws_elasticache_replication_group'],
  check: (r) => (bool(r.body.auto_minor_version_upgrade) === false ? ['auto_minor_version_upgrade is false'] : []),
};

const cacheBackups: Rule = {
  id: 'BERTH-CACHE-004',
  title: 'Redis keeps automatic backups (outside the sandbox)',
  severity: 'low',
  fix: 'Set cache.snapshotRetentionDays to 1 or more in the environment config.',
  reason: 'FSBP ElastiCache.1 / Checkov CKV_AWS_134.',
  types: ['aws_elasticache_replication_group'],
  check: (r, ctx) =>
    ctx.sandbox || (num(r.body.snapshot_retention_limit) ?? 0) >= 1 || isExpression(r.body.snapshot_retention_limit)
      ? []
      : ['snapshot_retention_limit is 0: no automatic backups'],
};

const ecsNoPublicIp: Rule = {
  id: 'BERTH-ECS-003',
  title: 'ECS tasks get no public IP',
  severity: 'high',
  fix: 'Set network_configuration { assign_public_ip = false } and run the tasks in private subnets behind the NAT.',
  reason: 'FSBP ECS.2 / Checkov CKV_AWS_333.',
  types: ['aws_ecs_service'],
  check: (r) => (blocks(r.body.network_configuration).some((n) => bool(n.assign_public_ip) === true) ? ['assign_public_ip is true'] : []),
};

/** The rules for what AWS refuses or quietly does not do, and the FSBP/Checkov/Trivy controls. */
export const AWS_RULES: readonly Rule[] = [
  dbLogsProduced,
  dbIamAuth,
  dbCopyTags,
  dbLogExports,
  dbNotPublic,
  dbMinorUpgrades,
  generatedSecretsDeleted,
  operatorSecretsKept,
  albAccessLogs,
  albLogBucket,
  s3Encrypted,
  s3PublicBlock,
  s3TlsOnly,
  s3Retention,
  s3NoAcls,
  cacheMinorUpgrades,
  cacheBackups,
  ecsNoPublicIp,
];
