/**
 * berth's security rules over synthesized Terraform JSON, the kind Checkov and Trivy apply. Each
 * rule is a pure function from one resource (and the stacks around it) to the problems it finds,
 * with an id `BERTH-<AREA>-NNN`, a title, a severity and the fix. Add a rule: append it to RULES
 * with a fixture test in test/check/ that only it finds.
 */
import { AWS_RULES } from './rules-aws.js';
import { blocks, bool, containerDefinitions, embeddedJson, isExpression, list, num, type TfResource, type TfStack } from './tfjson.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface RuleContext {
  /** The environment runs on the local emulator (deletion protection is not wanted there). */
  sandbox: boolean;
  /** Every stack of the environment. */
  stacks: TfStack[];
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** What to change (in the environment config or the stack). */
  fix: string;
  /** Why it matters: what AWS refuses or fails to do without it, or the public control (FSBP, Checkov, Trivy) it follows. */
  reason?: string;
  /** Resource types it reads (`data.<type>` for data sources). */
  types: string[];
  /** The problems with this resource; empty when it passes. */
  check(r: TfResource, ctx: RuleContext): string[];
}

const ALL_RESOURCES = (ctx: RuleContext) => ctx.stacks.flatMap((s) => s.resources);

// ---- encryption -------------------------------------------------------------------------------

const dbEncrypted: Rule = {
  id: 'BERTH-DB-001',
  title: 'Database storage is encrypted at rest',
  severity: 'high',
  fix: "Set storage_encrypted = true on the Aurora cluster (berth's data stack does; an existing unencrypted cluster must be restored from an encrypted snapshot copy).",
  types: ['aws_rds_cluster', 'aws_db_instance'],
  check(r) {
    if (r.type === 'aws_rds_cluster' && r.body.engine_mode === 'serverless') return []; // Serverless v1 is always encrypted.
    if (r.type === 'aws_db_instance' && r.body.replicate_source_db !== undefined) return []; // follows its source
    return bool(r.body.storage_encrypted) === true ? [] : ['storage_encrypted is not true'];
  },
};

const cacheAtRest: Rule = {
  id: 'BERTH-CACHE-001',
  title: 'Redis is encrypted at rest',
  severity: 'high',
  fix: 'Set at_rest_encryption_enabled = true on the replication group (needs a replacement of an existing group).',
  types: ['aws_elasticache_replication_group'],
  check: (r) => (bool(r.body.at_rest_encryption_enabled) === true ? [] : ['at_rest_encryption_enabled is not true']),
};

const cacheInTransit: Rule = {
  id: 'BERTH-CACHE-002',
  title: 'Redis is encrypted in transit (TLS)',
  severity: 'high',
  fix: 'Set cache.transitEncryption to true in the environment config (services then get a rediss:// URL).',
  types: ['aws_elasticache_replication_group'],
  check: (r) => (bool(r.body.transit_encryption_enabled) === true ? [] : ['transit_encryption_enabled is not true']),
};

// ---- load balancer ----------------------------------------------------------------------------

/** Policies that allow only TLS 1.2 and newer. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;
const isHttps = (r: TfResource) => /^(HTTPS|TLS)$/i.test(String(r.body.protocol ?? ''));
const isHttp = (r: TfResource) => {
  const p = r.body.protocol;
  return p === undefined ? r.body.certificate_arn === undefined : /^HTTP$/i.test(String(p));
};

const albTls: Rule = {
  id: 'BERTH-LB-001',
  title: 'HTTPS listeners allow TLS 1.2 and newer only',
  severity: 'high',
  fix: 'Set ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2) on the HTTPS listener.',
  types: ['aws_lb_listener', 'aws_alb_listener'],
  check(r) {
    if (!isHttps(r)) return [];
    const p = r.body.ssl_policy;
    if (p === undefined) return ['no ssl_policy: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1'];
    if (isExpression(p)) return [];
    return TLS12_POLICY.test(String(p)) ? [] : [`ssl_policy ${String(p)} accepts protocols older than TLS 1.2`];
  },
};

const httpRedirect: Rule = {
  id: 'BERTH-LB-002',
  title: 'HTTP listeners redirect to HTTPS',
  severity: 'medium',
  fix: 'Make the port-80 listener\'s default action a redirect with protocol "HTTPS" and status_code "HTTP_301".',
  types: ['aws_lb_listener', 'aws_alb_listener'],
  check(r) {
    if (!isHttp(r)) return [];
    const actions = blocks(r.body.default_action);
    const redirects =
      actions.length > 0 &&
      actions.every((a) => a.type === 'redirect' && blocks(a.redirect).some((x) => /^HTTPS$/i.test(String(x.protocol ?? ''))));
    return redirects ? [] : ['the HTTP listener serves traffic instead of redirecting it to HTTPS'];
  },
};

const isApplicationLb = (r: TfResource) => (r.body.load_balancer_type ?? 'application') === 'application';

const albDeletionProtection: Rule = {
  id: 'BERTH-LB-003',
  title: 'The load balancer has deletion protection (outside the sandbox)',
  severity: 'medium',
  fix: 'Set enable_deletion_protection = true on the load balancer (berth leaves it off only in a sandbox environment).',
  types: ['aws_lb', 'aws_alb'],
  check: (r, ctx) =>
    ctx.sandbox || !isApplicationLb(r) || bool(r.body.enable_deletion_protection) === true
      ? []
      : ['enable_deletion_protection is not true'],
};

const albDropsInvalidHeaders: Rule = {
  id: 'BERTH-LB-004',
  title: 'The load balancer drops invalid HTTP header fields',
  severity: 'medium',
  fix: 'Set drop_invalid_header_fields = true on the application load balancer (request smuggling defence).',
  types: ['aws_lb', 'aws_alb'],
  check: (r) => (!isApplicationLb(r) || bool(r.body.drop_invalid_header_fields) === true ? [] : ['drop_invalid_header_fields is not true']),
};

// ---- network ----------------------------------------------------------------------------------

/** Database and cache ports, whatever the resource says besides. */
const DATA_PORTS: Record<number, string> = {
  3306: 'MySQL',
  5432: 'PostgreSQL',
  6379: 'Redis',
  11211: 'Memcached',
  1433: 'SQL Server',
  1521: 'Oracle',
  27017: 'MongoDB',
  5439: 'Redshift',
};
const WORLD = new Set(['0.0.0.0/0', '::/0']);

interface Ingress {
  from?: number;
  to?: number;
  allPorts: boolean;
  cidrs: string[];
}

function ingresses(r: TfResource): Ingress[] {
  const all = (p: unknown) => ['-1', 'all'].includes(String(p ?? '').toLowerCase()) || p === -1;
  if (r.type === 'aws_security_group')
    return blocks(r.body.ingress).map((b) => ({
      from: num(b.from_port),
      to: num(b.to_port),
      allPorts: all(b.protocol),
      cidrs: [...list(b.cidr_blocks), ...list(b.ipv6_cidr_blocks)].map(String),
    }));
  if (r.type === 'aws_security_group_rule') {
    if (r.body.type !== 'ingress') return [];
    return [
      {
        from: num(r.body.from_port),
        to: num(r.body.to_port),
        allPorts: all(r.body.protocol),
        cidrs: [...list(r.body.cidr_blocks), ...list(r.body.ipv6_cidr_blocks)].map(String),
      },
    ];
  }
  if (r.type === 'aws_vpc_security_group_ingress_rule')
    return [
      {
        from: num(r.body.from_port),
        to: num(r.body.to_port),
        allPorts: all(r.body.ip_protocol),
        cidrs: [r.body.cidr_ipv4, r.body.cidr_ipv6].filter((x) => x !== undefined).map(String),
      },
    ];
  return [];
}

const dataPortsOpen: Rule = {
  id: 'BERTH-NET-001',
  title: 'No database or cache port is reachable from the internet',
  severity: 'critical',
  fix: 'Allow the database and cache ports only from the app security group (referenced_security_group_id), never from 0.0.0.0/0 or ::/0.',
  types: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check(r, ctx) {
    const ports = new Map<number, string>(Object.entries(DATA_PORTS).map(([p, what]) => [Number(p), what]));
    for (const x of ALL_RESOURCES(ctx)) {
      const p = num(x.body.port);
      if (
        p !== undefined &&
        ['aws_rds_cluster', 'aws_db_instance', 'aws_elasticache_replication_group', 'aws_elasticache_cluster'].includes(x.type) &&
        !ports.has(p)
      )
        ports.set(p, `${x.type} ${x.name}`);
    }
    const out: string[] = [];
    for (const g of ingresses(r)) {
      const open = g.cidrs.filter((c) => WORLD.has(c));
      if (!open.length) continue;
      const hit = [...ports].filter(([p]) => g.allPorts || (g.from !== undefined && g.to !== undefined && g.from <= p && p <= g.to));
      if (!hit.length) continue;
      const list = hit.map(([p, what]) => `${p} (${what})`).join(', ');
      out.push(
        g.allPorts
          ? `all ports, database and cache ports included, are open to ${open.join(' and ')}`
          : `port${hit.length > 1 ? 's' : ''} ${list} ${hit.length > 1 ? 'are' : 'is'} open to ${open.join(' and ')}`,
      );
    }
    return out;
  },
};

// ---- secrets ----------------------------------------------------------------------------------

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
/** Names that carry a pointer to a secret, not the secret. */
const POINTER_NAME = /(_ARN|_NAME|_ID|_PATH|_FILE|_TTL|_HEADER|_LENGTH|_EXPIRY|_REGION)$/i;
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:[^\s@/]+@/i;
const PASSWORD_PARAM = /\b(password|passwd|pwd|secret|token|api_key|apikey)=[^&\s]+/i;

/** Does this plain environment variable carry a secret? The reason, or undefined. */
export function secretLooking(name: string, value: unknown): string | undefined {
  const v = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  if (v && CREDENTIAL_URL.test(v)) return `${name} holds a URL with credentials in it`;
  if (v && PASSWORD_PARAM.test(v)) return `${name} holds a password parameter`;
  if (SECRET_NAME.test(name) && !POINTER_NAME.test(name) && v !== '' && !/^arn:aws[a-z-]*:/.test(v))
    return `${name} looks like a secret and is a plain environment value`;
  return undefined;
}

const secretsInEnvironment: Rule = {
  id: 'BERTH-SECRET-001',
  title: 'Secrets are not plain environment values',
  severity: 'high',
  fix: 'Move the value to Secrets Manager and reference it under the service\'s `secrets` (e.g. "API_KEY": "<secret name>:<json key>"), not `environment`.',
  types: ['aws_ecs_task_definition', 'aws_lambda_function'],
  check(r) {
    const out: string[] = [];
    if (r.type === 'aws_ecs_task_definition') {
      const defs = containerDefinitions(r.body);
      if (!defs) {
        // Unreadable: scan the text for name/value pairs.
        const text = String(r.body.container_definitions ?? '');
        const re = /\\?"name\\?"\s*[:=]\s*\\?"([A-Za-z_][A-Za-z0-9_]*)\\?"\s*,\s*\\?"value\\?"\s*[:=]\s*\\?"((?:[^"\\]|\\.)*)\\?"/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(text))) {
          const why = secretLooking(m[1]!, m[2]);
          if (why) out.push(why);
        }
        return out;
      }
      for (const c of defs)
        for (const e of c.environment ?? []) {
          const why = e?.name ? secretLooking(e.name, e.value) : undefined;
          if (why) out.push(`container ${c.name ?? '?'}: ${why}`);
        }
    } else {
      for (const b of blocks(r.body.environment)) {
        const vars = b.variables && typeof b.variables === 'object' ? (b.variables as Record<string, unknown>) : {};
        for (const [k, v] of Object.entries(vars)) {
          const why = secretLooking(k, v);
          if (why) out.push(why);
        }
      }
    }
    return out;
  },
};

// ---- logs, images, containers -----------------------------------------------------------------

const logRetention: Rule = {
  id: 'BERTH-LOG-001',
  title: 'Every log group has a retention period',
  severity: 'medium',
  fix: 'Set retention_in_days on the log group (services: `logRetentionDays`; flow logs: `network.flowLogRetentionDays`).',
  types: ['aws_cloudwatch_log_group'],
  check(r) {
    const d = num(r.body.retention_in_days);
    if (isExpression(r.body.retention_in_days)) return [];
    return d !== undefined && d > 0 ? [] : ['no retention_in_days: logs are kept (and billed) forever'];
  },
};

const ecrScan: Rule = {
  id: 'BERTH-ECR-001',
  title: 'Images are scanned on push',
  severity: 'medium',
  fix: 'Set image_scanning_configuration { scan_on_push = true } on the repository (or enable registry-wide scanning).',
  types: ['aws_ecr_repository'],
  check(r, ctx) {
    if (blocks(r.body.image_scanning_configuration).some((b) => bool(b.scan_on_push) === true)) return [];
    const registryWide = ALL_RESOURCES(ctx).some(
      (x) =>
        x.type === 'aws_ecr_registry_scanning_configuration' &&
        (x.body.scan_type === 'ENHANCED' ||
          blocks(x.body.rule).some((b) => ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'].includes(String(b.scan_frequency)))),
    );
    return registryWide ? [] : ['scan_on_push is not enabled'];
  },
};

const dbDeletionProtection: Rule = {
  id: 'BERTH-DB-002',
  title: 'The database has deletion protection (outside the sandbox)',
  severity: 'medium',
  fix: 'Set database.deletionProtection to true in the environment config (the default).',
  types: ['aws_rds_cluster', 'aws_db_instance'],
  check: (r, ctx) => (ctx.sandbox || bool(r.body.deletion_protection) === true ? [] : ['deletion_protection is not true']),
};

const circuitBreaker: Rule = {
  id: 'BERTH-ECS-001',
  title: 'ECS services roll back failed deployments (circuit breaker)',
  severity: 'high',
  fix: 'Set deployment_circuit_breaker { enable = true, rollback = true } on the ECS service.',
  types: ['aws_ecs_service'],
  check(r) {
    const ctl = blocks(r.body.deployment_controller)[0]?.type;
    if (ctl === 'CODE_DEPLOY' || ctl === 'EXTERNAL') return [];
    const cb = blocks(r.body.deployment_circuit_breaker)[0];
    if (!cb || bool(cb.enable) !== true) return ['the deployment circuit breaker is off'];
    if (bool(cb.rollback) !== true) return ['the deployment circuit breaker does not roll back'];
    return [];
  },
};

const privileged: Rule = {
  id: 'BERTH-ECS-002',
  title: 'Containers are not privileged',
  severity: 'high',
  fix: 'Remove "privileged": true from the container definition (Fargate refuses it; on EC2 it gives the container the host).',
  types: ['aws_ecs_task_definition'],
  check(r) {
    const defs = containerDefinitions(r.body);
    if (!defs)
      return /\\?"privileged\\?"\s*[:=]\s*true/.test(String(r.body.container_definitions ?? '')) ? ['a container is privileged'] : [];
    return defs.filter((c) => bool(c.privileged) === true).map((c) => `container ${c.name ?? '?'} is privileged`);
  },
};

// ---- IAM --------------------------------------------------------------------------------------

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
const star = (v: unknown) => list(v).some((x) => x === '*' || x === '*:*');

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
}

function wildcardStatements(doc: unknown): number {
  if (!doc || typeof doc !== 'object') return 0;
  const stmts = list((doc as { Statement?: unknown }).Statement) as Statement[];
  return stmts.filter((s) => s && (s.Effect ?? 'Allow') === 'Allow' && s.NotAction === undefined && star(s.Action) && star(s.Resource))
    .length;
}

const POLICY_ATTRS: Record<string, string[]> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: [],
};

const iamAdmin: Rule = {
  id: 'BERTH-IAM-001',
  title: 'No IAM policy allows every action on every resource',
  severity: 'critical',
  fix: 'Grant the actions the role needs on the resources it uses (least privilege); never "Action": "*" with "Resource": "*" or AdministratorAccess.',
  types: [
    ...Object.keys(POLICY_ATTRS),
    'data.aws_iam_policy_document',
    'aws_iam_role_policy_attachment',
    'aws_iam_user_policy_attachment',
    'aws_iam_group_policy_attachment',
    'aws_iam_policy_attachment',
  ],
  check(r) {
    const out: string[] = [];
    if (r.mode === 'data') {
      const n = blocks(r.body.statement).filter(
        (s) => (s.effect ?? 'Allow') === 'Allow' && s.not_actions === undefined && star(s.actions) && star(s.resources),
      ).length;
      if (n) out.push(`${n} statement${n === 1 ? '' : 's'} allow action * on resource *`);
      return out;
    }
    if (r.type.endsWith('_attachment')) {
      if (ADMIN_POLICY.test(String(r.body.policy_arn ?? ''))) out.push('attaches AdministratorAccess');
      return out;
    }
    const docs: unknown[] = (POLICY_ATTRS[r.type] ?? []).map((a) => r.body[a]);
    if (r.type === 'aws_iam_role') {
      for (const b of blocks(r.body.inline_policy)) docs.push(b.policy);
      if (list(r.body.managed_policy_arns).some((a) => ADMIN_POLICY.test(String(a)))) out.push('attaches AdministratorAccess');
    }
    const n = docs.map((d) => wildcardStatements(embeddedJson(d))).reduce((a, b) => a + b, 0);
    if (n) out.push(`${n} statement${n === 1 ? '' : 's'} allow action * on resource *`);
    return out;
  },
};

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  dbEncrypted,
  dbDeletionProtection,
  cacheAtRest,
  cacheInTransit,
  albTls,
  httpRedirect,
  albDeletionProtection,
  albDropsInvalidHeaders,
  dataPortsOpen,
  secretsInEnvironment,
  logRetention,
  ecrScan,
  circuitBreaker,
  privileged,
  iamAdmin,
  ...AWS_RULES,
];
