/**
 * Each rule against small hand-written Terraform JSON: a baseline that passes every rule, and for
 * each rule a copy with one deliberate mistake that this rule finds, and no other rule does.
 */
import { describe, expect, it } from 'vitest';
import { RULES, secretLooking } from '../../src/check/rules.js';
import { checkStacks, waiverMatches } from '../../src/check/run.js';
import { embeddedJson, hclToJson, type TfJson } from '../../src/check/tfjson.js';

type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

const container = (over: Body = {}) => ({
  name: 'api',
  image: '${aws_ecr_repository.api.repository_url}:v1',
  essential: true,
  environment: [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'DATABASE_SECRET_ARN', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' },
    { name: 'TOKEN_TTL', value: '3600' },
  ],
  secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: '${aws_rds_cluster.db.master_user_secret[0].secret_arn}:password::' }],
  privileged: false,
  ...over,
});

const LOG_DELIVERY = {
  Effect: 'Allow',
  Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::b/alb/AWSLogs/1/*',
};
const TLS_ONLY = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const MYSQL_OLD_SHAPE = (b: ReturnType<typeof baseline>) => {
  // What berth synthesized before: Aurora MySQL exporting audit and slowquery, no parameter group.
  const db = (b.resource.aws_rds_cluster as Resources[string]).db!;
  Object.assign(db, { engine: 'aurora-mysql', enabled_cloudwatch_logs_exports: ['audit', 'error', 'slowquery'], port: 3306 });
  delete db.db_cluster_parameter_group_name;
};

/** Passes every rule. */
function baseline(): { resource: Resources; data: Resources } {
  return {
    resource: {
      aws_rds_cluster: {
        db: {
          engine: 'aurora-postgresql',
          storage_encrypted: true,
          deletion_protection: true,
          port: 5432,
          iam_database_authentication_enabled: true,
          copy_tags_to_snapshot: true,
          enabled_cloudwatch_logs_exports: ['postgresql'],
          db_cluster_parameter_group_name: '${aws_rds_cluster_parameter_group.db.name}',
        },
      },
      aws_rds_cluster_parameter_group: {
        db: {
          name: 'app-prod-db',
          family: 'aurora-mysql8.0',
          parameter: ['server_audit_logging=1', 'server_audit_events=CONNECT', 'slow_query_log=1'].map((p) => ({
            name: p.split('=')[0],
            value: p.split('=')[1],
          })),
        },
      },
      aws_rds_cluster_instance: {
        writer: {
          cluster_identifier: '${aws_rds_cluster.db.id}',
          publicly_accessible: false,
          auto_minor_version_upgrade: true,
          copy_tags_to_snapshot: true,
        },
      },
      aws_secretsmanager_secret: {
        redis: { name: 'app/prod/redis', recovery_window_in_days: 0 },
        apikey: { name: 'app/prod/api-key', recovery_window_in_days: 30 },
      },
      aws_secretsmanager_secret_version: {
        redis: { secret_id: '${aws_secretsmanager_secret.redis.id}', secret_string: '${jsonencode({"url" = "x"})}' },
      },
      aws_elasticache_replication_group: {
        redis: {
          engine: 'redis',
          at_rest_encryption_enabled: true,
          transit_encryption_enabled: true,
          port: 6379,
          auto_minor_version_upgrade: 'true',
          snapshot_retention_limit: 1,
        },
      },
      aws_lb: {
        alb: {
          load_balancer_type: 'application',
          enable_deletion_protection: true,
          drop_invalid_header_fields: true,
          access_logs: { enabled: true, bucket: '${aws_s3_bucket.logs.id}', prefix: 'alb' },
        },
      },
      aws_s3_bucket: { logs: { bucket_prefix: 'app-prod-alb-logs-' } },
      aws_s3_bucket_server_side_encryption_configuration: {
        logs: { bucket: '${aws_s3_bucket.logs.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] },
      },
      aws_s3_bucket_public_access_block: {
        logs: {
          bucket: '${aws_s3_bucket.logs.id}',
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        },
      },
      aws_s3_bucket_ownership_controls: { logs: { bucket: '${aws_s3_bucket.logs.id}', rule: { object_ownership: 'BucketOwnerEnforced' } } },
      aws_s3_bucket_lifecycle_configuration: {
        logs: { bucket: '${aws_s3_bucket.logs.id}', rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 90 }] }] },
      },
      aws_s3_bucket_policy: {
        logs: { bucket: '${aws_s3_bucket.logs.id}', policy: JSON.stringify({ Statement: [LOG_DELIVERY, TLS_ONLY] }) },
      },
      aws_lb_listener: {
        https: {
          port: 443,
          protocol: 'HTTPS',
          certificate_arn: '${aws_acm_certificate.c.arn}',
          ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.api.arn}' }],
        },
        http: {
          port: 80,
          protocol: 'HTTP',
          default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }],
        },
      },
      aws_vpc_security_group_ingress_rule: {
        alb_https: {
          security_group_id: '${aws_security_group.alb.id}',
          cidr_ipv4: '0.0.0.0/0',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
        db_from_app: {
          security_group_id: '${aws_security_group.db.id}',
          referenced_security_group_id: '${aws_security_group.app.id}',
          from_port: 5432,
          to_port: 5432,
          ip_protocol: 'tcp',
        },
      },
      aws_vpc_security_group_egress_rule: {
        app_https: {
          security_group_id: '${aws_security_group.app.id}',
          cidr_ipv4: '0.0.0.0/0',
          from_port: 443,
          to_port: 443,
          ip_protocol: 'tcp',
        },
      },
      aws_ecs_task_definition: { api: { family: 'api', container_definitions: JSON.stringify([container()]) } },
      aws_ecs_service: {
        api: {
          name: 'api',
          deployment_circuit_breaker: { enable: true, rollback: true },
          network_configuration: { assign_public_ip: false },
        },
      },
      aws_cloudwatch_log_group: { api: { name: '/ecs/app-prod/api', retention_in_days: 30 } },
      aws_ecr_repository: { api: { name: 'app/api', image_scanning_configuration: { scan_on_push: true } } },
      aws_iam_role_policy: {
        exec: {
          role: '${aws_iam_role.exec.id}',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' }],
          }),
        },
      },
      aws_iam_role_policy_attachment: { ro: { role: 'x', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
    },
    data: { aws_iam_policy_document: { doc: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] } } },
  };
}

function run(mutate: (b: ReturnType<typeof baseline>) => void, opts: { sandbox?: boolean } = {}) {
  const b = baseline();
  mutate(b);
  return checkStacks('prod', [{ name: 'app-prod-all', json: b as TfJson }], { sandbox: opts.sandbox ?? false });
}

const set = (path: string[], value: unknown) => (b: ReturnType<typeof baseline>) => {
  let o: Record<string, unknown> = b as never;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (value === undefined) delete o[path[path.length - 1]!];
  else o[path[path.length - 1]!] = value;
};

describe('the baseline', () => {
  it('passes every rule, and every rule had a resource to read', () => {
    const r = run(() => {});
    expect(r.findings).toEqual([]);
    expect(r.exitCode).toBe(0);
    const types = new Set(
      Object.entries(baseline()).flatMap(([mode, byType]) => Object.keys(byType).map((t) => (mode === 'data' ? `data.${t}` : t))),
    );
    for (const rule of RULES)
      expect(
        rule.types.some((t) => types.has(t)),
        rule.id,
      ).toBe(true);
  });

  it('rule ids are unique, well formed, and every rule says how to fix it', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^BERTH-[A-Z]+-\d{3}$/);
      expect(r.fix.length).toBeGreaterThan(20);
      if (r.id.match(/^BERTH-(DB-00[3-8]|SECRET-00[23]|LB-00[56]|BUCKET|CACHE-00[34]|ECS-003)/))
        expect(r.reason?.length ?? 0).toBeGreaterThan(20);
      expect(['critical', 'high', 'medium', 'low']).toContain(r.severity);
    }
  });
});

const CASES: [string, string, (b: ReturnType<typeof baseline>) => void, string][] = [
  [
    'BERTH-DB-001',
    'an unencrypted Aurora cluster',
    set(['resource', 'aws_rds_cluster', 'db', 'storage_encrypted'], false),
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-002',
    'a cluster without deletion protection',
    set(['resource', 'aws_rds_cluster', 'db', 'deletion_protection'], false),
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-CACHE-001',
    'Redis unencrypted at rest',
    set(['resource', 'aws_elasticache_replication_group', 'redis', 'at_rest_encryption_enabled'], 'false'),
    'aws_elasticache_replication_group.redis',
  ],
  [
    'BERTH-CACHE-002',
    'Redis without TLS',
    set(['resource', 'aws_elasticache_replication_group', 'redis', 'transit_encryption_enabled'], undefined),
    'aws_elasticache_replication_group.redis',
  ],
  [
    'BERTH-LB-001',
    'an HTTPS listener accepting TLS 1.0',
    set(['resource', 'aws_lb_listener', 'https', 'ssl_policy'], 'ELBSecurityPolicy-2016-08'),
    'aws_lb_listener.https',
  ],
  [
    'BERTH-LB-001',
    'an HTTPS listener with no policy (the default)',
    set(['resource', 'aws_lb_listener', 'https', 'ssl_policy'], undefined),
    'aws_lb_listener.https',
  ],
  [
    'BERTH-LB-002',
    'an HTTP listener that forwards',
    set(
      ['resource', 'aws_lb_listener', 'http', 'default_action'],
      [{ type: 'forward', target_group_arn: '${aws_lb_target_group.api.arn}' }],
    ),
    'aws_lb_listener.http',
  ],
  [
    'BERTH-LB-003',
    'an ALB without deletion protection',
    set(['resource', 'aws_lb', 'alb', 'enable_deletion_protection'], false),
    'aws_lb.alb',
  ],
  [
    'BERTH-LB-004',
    'an ALB that keeps invalid headers',
    set(['resource', 'aws_lb', 'alb', 'drop_invalid_header_fields'], undefined),
    'aws_lb.alb',
  ],
  [
    'BERTH-NET-001',
    'PostgreSQL open to the internet (rule resource)',
    set(['resource', 'aws_vpc_security_group_ingress_rule', 'db_from_app'], {
      cidr_ipv4: '0.0.0.0/0',
      from_port: 5432,
      to_port: 5432,
      ip_protocol: 'tcp',
    }),
    'aws_vpc_security_group_ingress_rule.db_from_app',
  ],
  [
    'BERTH-NET-001',
    'Redis open to ::/0 (inline ingress)',
    set(['resource', 'aws_security_group'], {
      cache: { ingress: [{ from_port: 6000, to_port: 7000, protocol: 'tcp', ipv6_cidr_blocks: ['::/0'] }] },
    }),
    'aws_security_group.cache',
  ],
  [
    'BERTH-NET-001',
    'all traffic from anywhere (aws_security_group_rule)',
    set(['resource', 'aws_security_group_rule'], {
      all: { type: 'ingress', from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] },
    }),
    'aws_security_group_rule.all',
  ],
  [
    'BERTH-SECRET-001',
    'a password in plain environment',
    set(
      ['resource', 'aws_ecs_task_definition', 'api', 'container_definitions'],
      JSON.stringify([container({ environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] })]),
    ),
    'aws_ecs_task_definition.api',
  ],
  [
    'BERTH-SECRET-001',
    'a connection string with credentials',
    set(
      ['resource', 'aws_ecs_task_definition', 'api', 'container_definitions'],
      JSON.stringify([container({ environment: [{ name: 'REDIS_URL', value: 'rediss://:tok3n@redis.internal:6379/0' }] })]),
    ),
    'aws_ecs_task_definition.api',
  ],
  [
    'BERTH-SECRET-001',
    'an API key in a Lambda environment',
    set(['resource', 'aws_lambda_function'], { fn: { environment: { variables: { OPENAI_API_KEY: 'sk-abc' } } } }),
    'aws_lambda_function.fn',
  ],
  [
    'BERTH-LOG-001',
    'a log group kept forever',
    set(['resource', 'aws_cloudwatch_log_group', 'api', 'retention_in_days'], undefined),
    'aws_cloudwatch_log_group.api',
  ],
  [
    'BERTH-ECR-001',
    'a repository without scan on push',
    set(['resource', 'aws_ecr_repository', 'api', 'image_scanning_configuration'], [{ scan_on_push: false }]),
    'aws_ecr_repository.api',
  ],
  [
    'BERTH-ECS-001',
    'a service whose circuit breaker does not roll back',
    set(['resource', 'aws_ecs_service', 'api', 'deployment_circuit_breaker'], { enable: true, rollback: false }),
    'aws_ecs_service.api',
  ],
  [
    'BERTH-ECS-001',
    'a service without a circuit breaker',
    set(['resource', 'aws_ecs_service', 'api', 'deployment_circuit_breaker'], undefined),
    'aws_ecs_service.api',
  ],
  [
    'BERTH-ECS-002',
    'a privileged container',
    set(['resource', 'aws_ecs_task_definition', 'api', 'container_definitions'], JSON.stringify([container({ privileged: true })])),
    'aws_ecs_task_definition.api',
  ],
  [
    'BERTH-IAM-001',
    'a policy allowing * on *',
    set(['resource', 'aws_iam_policy'], {
      admin: { policy: JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }) },
    }),
    'aws_iam_policy.admin',
  ],
  [
    'BERTH-IAM-001',
    'a policy document allowing * on *',
    set(['data', 'aws_iam_policy_document', 'doc', 'statement'], [{ actions: ['*'], resources: ['*'] }]),
    'data.aws_iam_policy_document.doc',
  ],
  [
    'BERTH-IAM-001',
    'AdministratorAccess attached',
    set(['resource', 'aws_iam_role_policy_attachment', 'ro', 'policy_arn'], 'arn:aws:iam::aws:policy/AdministratorAccess'),
    'aws_iam_role_policy_attachment.ro',
  ],
  [
    'BERTH-DB-003',
    'Aurora MySQL exporting audit and slowquery with no parameter group (the old shape)',
    MYSQL_OLD_SHAPE,
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-003',
    'a parameter group that turns on the audit log but not the slow query log',
    (b) => {
      MYSQL_OLD_SHAPE(b);
      set(['resource', 'aws_rds_cluster', 'db', 'db_cluster_parameter_group_name'], '${aws_rds_cluster_parameter_group.db.name}')(b);
      set(
        ['resource', 'aws_rds_cluster_parameter_group', 'db', 'parameter'],
        [
          { name: 'server_audit_logging', value: '1' },
          { name: 'server_audit_events', value: 'CONNECT' },
        ],
      )(b);
    },
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-004',
    'a cluster without IAM authentication',
    set(['resource', 'aws_rds_cluster', 'db', 'iam_database_authentication_enabled'], undefined),
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-005',
    'a cluster whose snapshots lose the tags',
    set(['resource', 'aws_rds_cluster', 'db', 'copy_tags_to_snapshot'], false),
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-006',
    'a cluster exporting no log',
    set(['resource', 'aws_rds_cluster', 'db', 'enabled_cloudwatch_logs_exports'], []),
    'aws_rds_cluster.db',
  ],
  [
    'BERTH-DB-007',
    'a publicly accessible writer',
    set(['resource', 'aws_rds_cluster_instance', 'writer', 'publicly_accessible'], true),
    'aws_rds_cluster_instance.writer',
  ],
  [
    'BERTH-DB-008',
    'a writer without minor upgrades',
    set(['resource', 'aws_rds_cluster_instance', 'writer', 'auto_minor_version_upgrade'], false),
    'aws_rds_cluster_instance.writer',
  ],
  [
    'BERTH-SECRET-002',
    'a generated secret with the default 30-day recovery window (the old shape)',
    set(['resource', 'aws_secretsmanager_secret', 'redis', 'recovery_window_in_days'], undefined),
    'aws_secretsmanager_secret.redis',
  ],
  [
    'BERTH-SECRET-002',
    'a generated secret kept 7 days',
    set(['resource', 'aws_secretsmanager_secret', 'redis', 'recovery_window_in_days'], 7),
    'aws_secretsmanager_secret.redis',
  ],
  [
    'BERTH-SECRET-003',
    'an operator-filled secret deleted for good on destroy',
    set(['resource', 'aws_secretsmanager_secret', 'apikey', 'recovery_window_in_days'], 0),
    'aws_secretsmanager_secret.apikey',
  ],
  [
    'BERTH-LB-005',
    'an ALB without access logs (the old shape)',
    set(['resource', 'aws_lb', 'alb', 'access_logs'], undefined),
    'aws_lb.alb',
  ],
  [
    'BERTH-LB-005',
    'access logs switched off',
    set(['resource', 'aws_lb', 'alb', 'access_logs'], { enabled: false, bucket: '${aws_s3_bucket.logs.id}' }),
    'aws_lb.alb',
  ],
  [
    'BERTH-LB-006',
    'a log bucket encrypted with SSE-KMS',
    set(
      ['resource', 'aws_s3_bucket_server_side_encryption_configuration', 'logs', 'rule'],
      [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }],
    ),
    'aws_lb.alb',
  ],
  [
    'BERTH-LB-006',
    'a log bucket policy without the log delivery grant',
    set(['resource', 'aws_s3_bucket_policy', 'logs', 'policy'], JSON.stringify({ Statement: [TLS_ONLY] })),
    'aws_lb.alb',
  ],
  [
    'BERTH-BUCKET-001',
    'a bucket without an encryption configuration',
    set(['resource', 'aws_s3_bucket_server_side_encryption_configuration'], undefined),
    'aws_s3_bucket.logs',
  ],
  [
    'BERTH-BUCKET-002',
    'a bucket that allows public policies',
    set(['resource', 'aws_s3_bucket_public_access_block', 'logs', 'block_public_policy'], false),
    'aws_s3_bucket.logs',
  ],
  [
    'BERTH-BUCKET-003',
    'a bucket that accepts plain HTTP',
    set(['resource', 'aws_s3_bucket_policy', 'logs', 'policy'], JSON.stringify({ Statement: [LOG_DELIVERY] })),
    'aws_s3_bucket.logs',
  ],
  [
    'BERTH-BUCKET-004',
    'a bucket that keeps everything forever',
    set(['resource', 'aws_s3_bucket_lifecycle_configuration'], undefined),
    'aws_s3_bucket.logs',
  ],
  [
    'BERTH-BUCKET-005',
    'a bucket that uses ACLs',
    set(['resource', 'aws_s3_bucket_ownership_controls', 'logs', 'rule'], { object_ownership: 'ObjectWriter' }),
    'aws_s3_bucket.logs',
  ],
  [
    'BERTH-CACHE-003',
    'Redis without minor upgrades',
    set(['resource', 'aws_elasticache_replication_group', 'redis', 'auto_minor_version_upgrade'], 'false'),
    'aws_elasticache_replication_group.redis',
  ],
  [
    'BERTH-CACHE-004',
    'Redis without backups',
    set(['resource', 'aws_elasticache_replication_group', 'redis', 'snapshot_retention_limit'], 0),
    'aws_elasticache_replication_group.redis',
  ],
  [
    'BERTH-ECS-003',
    'tasks with a public IP',
    set(['resource', 'aws_ecs_service', 'api', 'network_configuration'], { assign_public_ip: true }),
    'aws_ecs_service.api',
  ],
  [
    'BERTH-IAM-001',
    "cdktf's jsonencode form",
    set(
      ['resource', 'aws_iam_role_policy', 'exec', 'policy'],
      '${jsonencode({"Statement" = [{"Action" = ["*:*"], "Effect" = "Allow", "Resource" = "*"}], "Version" = "2012-10-17"})}',
    ),
    'aws_iam_role_policy.exec',
  ],
];

describe('each rule finds its mistake, and only it does', () => {
  for (const [id, what, mutate, address] of CASES) {
    it(`${id}: ${what}`, () => {
      const r = run(mutate);
      expect(r.findings.map((f) => `${f.rule} ${f.resource}`)).toEqual([`${id} ${address}`]);
      const f = r.findings[0]!;
      expect(f.stack).toBe('app-prod-all');
      expect(f.fix).toBe(RULES.find((x) => x.id === id)!.fix);
      expect(f.message.length).toBeGreaterThan(5);
      expect(r.exitCode).toBe(1);
    });
  }

  it('every rule has at least one case above', () => {
    expect(new Set(CASES.map((c) => c[0]))).toEqual(new Set(RULES.map((r) => r.id)));
  });

  it('the sandbox needs no deletion protection (database, load balancer)', () => {
    const r = run(
      (b) => {
        set(['resource', 'aws_rds_cluster', 'db', 'deletion_protection'], false)(b);
        set(['resource', 'aws_lb', 'alb', 'enable_deletion_protection'], false)(b);
      },
      { sandbox: true },
    );
    expect(r.findings).toEqual([]);
  });
});

describe('what counts as a secret in plain environment', () => {
  it('flags secret-looking names and credential-carrying values', () => {
    expect(secretLooking('JWT_SECRET_KEY', 'abc')).toMatch(/looks like a secret/);
    expect(secretLooking('GITHUB_TOKEN', 'ghp_x')).toMatch(/looks like a secret/);
    expect(secretLooking('DATABASE_URL', 'postgres://app:pw@db:5432/app')).toMatch(/URL with credentials/);
    expect(secretLooking('DSN', 'host=db password=pw')).toMatch(/password parameter/);
  });

  it('leaves pointers to secrets and ordinary settings alone', () => {
    expect(secretLooking('DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:1:secret:x')).toBeUndefined();
    expect(secretLooking('API_KEY_SECRET_NAME', 'app/openai')).toBeUndefined();
    expect(secretLooking('TOKEN_TTL', '3600')).toBeUndefined();
    expect(secretLooking('LOG_LEVEL', 'info')).toBeUndefined();
    expect(secretLooking('REDIS_URL', 'rediss://redis.internal:6379/0')).toBeUndefined();
  });
});

describe('reading embedded documents', () => {
  it("parses cdktf's jsonencode form, references included", () => {
    expect(JSON.parse(hclToJson('{"a" = [1, true, null], b = aws_x.y.arn, "c" = "${var.z}-q"}')!)).toEqual({
      a: [1, true, null],
      b: '${aws_x.y.arn}',
      c: '${var.z}-q',
    });
    expect(embeddedJson('${jsonencode([{"name" = "api", "privileged" = true}])}')).toEqual([{ name: 'api', privileged: true }]);
  });

  it('reads JSON whose numbers are interpolations', () => {
    expect(embeddedJson('[{"name":"api","portMappings":[{"containerPort":${var.port}}]}]')).toEqual([
      { name: 'api', portMappings: [{ containerPort: '${var.port}' }] },
    ]);
    expect(embeddedJson('${aws_iam_policy_document.x.json}')).toBeUndefined();
  });
});

describe('waivers', () => {
  const bad = (b: ReturnType<typeof baseline>) => set(['resource', 'aws_cloudwatch_log_group', 'api', 'retention_in_days'], undefined)(b);
  const stacks = () => {
    const b = baseline();
    bad(b);
    return [{ name: 'app-prod-all', json: b as TfJson }];
  };

  it('a waiver with a reason silences the finding and shows it as waived', () => {
    const r = checkStacks('prod', stacks(), {
      sandbox: false,
      waivers: [
        { rule: 'BERTH-LOG-001', resource: 'app-prod-all/aws_cloudwatch_log_group.api', reason: 'Audit logs: kept forever by regulation.' },
      ],
    });
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.waived).toHaveLength(1);
    expect(r.waived[0]).toMatchObject({
      rule: 'BERTH-LOG-001',
      resource: 'aws_cloudwatch_log_group.api',
      waived: { reason: 'Audit logs: kept forever by regulation.' },
    });
    expect(r.unusedWaivers).toEqual([]);
  });

  it('a waiver for another resource does not, and is reported as unused', () => {
    const w = { rule: 'BERTH-LOG-001', resource: 'app-prod-all/aws_cloudwatch_log_group.other', reason: 'A different log group entirely.' };
    const r = checkStacks('prod', stacks(), { sandbox: false, waivers: [w] });
    expect(r.findings.map((f) => f.rule)).toEqual(['BERTH-LOG-001']);
    expect(r.exitCode).toBe(1);
    expect(r.unusedWaivers).toEqual([w]);
  });

  it('matches a rule everywhere, a bare address in any stack, or stack/address', () => {
    const f = { rule: 'BERTH-LOG-001', stack: 's', resource: 'aws_x.y' };
    expect(waiverMatches({ rule: 'BERTH-LOG-001', reason: 'r' }, f)).toBe(true);
    expect(waiverMatches({ rule: 'BERTH-LOG-001', resource: 'aws_x.y', reason: 'r' }, f)).toBe(true);
    expect(waiverMatches({ rule: 'BERTH-LOG-001', resource: 's/aws_x.y', reason: 'r' }, f)).toBe(true);
    expect(waiverMatches({ rule: 'BERTH-LOG-002', reason: 'r' }, f)).toBe(false);
    expect(waiverMatches({ rule: 'BERTH-LOG-001', resource: 't/aws_x.y', reason: 'r' }, f)).toBe(false);
  });
});
