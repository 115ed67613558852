/**
 * Every AWS name berth derives (src/config/names.ts) checked against the rules of the service that
 * will hold it, and for uniqueness after truncation: what AWS would refuse at apply time, refused at
 * validation. Rules from the services' API references (CreateDBCluster, CreateReplicationGroup,
 * CreateRepository, CreateLoadBalancer, CreateTargetGroup, CreateRole, CreateLogGroup, CreateSecret,
 * CreateBucket naming rules, CreateCluster/CreateService/RegisterTaskDefinition, CreateTopic,
 * CreateAlias). Pure.
 */
import type { Issue } from './spec.js';
import { names, serviceNames } from './names.js';
import type { EnvironmentConfig } from './types.js';

export interface NameRule {
  what: string;
  min?: number;
  max: number;
  chars: RegExp;
  charsDoc: string;
  firstLetter?: boolean;
  noDoubleHyphen?: boolean;
  noEdgeHyphen?: boolean;
  reservedPrefixes?: string[];
  reservedSuffixes?: string[];
  extra?: (name: string) => string | undefined;
}

const ALNUM_HYPHEN = /^[A-Za-z0-9-]+$/;
const ECS = /^[A-Za-z0-9_-]+$/;

export const NAME_RULES = {
  dbCluster: {
    what: 'RDS DB cluster identifier',
    max: 63,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    firstLetter: true,
    noDoubleHyphen: true,
    noEdgeHyphen: true,
  },
  dbInstance: {
    what: 'RDS DB instance identifier',
    max: 63,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    firstLetter: true,
    noDoubleHyphen: true,
    noEdgeHyphen: true,
  },
  dbSnapshot: {
    what: 'RDS final snapshot identifier (before its -YYYYMMDDhhmm suffix)',
    max: 255 - 13,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    firstLetter: true,
    noDoubleHyphen: true,
    noEdgeHyphen: true,
  },
  dbSubnetGroup: {
    what: 'RDS DB subnet group name',
    max: 255,
    chars: /^[a-z0-9 ._-]+$/,
    charsDoc: 'lowercase letters, digits, spaces, . _ -',
    extra: (n: string) => (n === 'default' ? 'a name other than "default"' : undefined),
  },
  cacheReplicationGroup: {
    what: 'ElastiCache replication group id',
    max: 40,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    firstLetter: true,
    noDoubleHyphen: true,
    noEdgeHyphen: true,
  },
  cacheSubnetGroup: {
    what: 'ElastiCache subnet group name',
    max: 255,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    firstLetter: true,
    noDoubleHyphen: true,
    noEdgeHyphen: true,
  },
  ecrRepository: {
    what: 'ECR repository name',
    min: 2,
    max: 256,
    chars: /^[a-z0-9._/-]+$/,
    charsDoc: 'lowercase letters, digits, . _ - and /',
    extra: (n: string) =>
      /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(n)
        ? undefined
        : 'path components of letters and digits joined by single ".", "_" or "-" (no "--", no separator at either end)',
  },
  alb: {
    what: 'load balancer name',
    max: 32,
    chars: ALNUM_HYPHEN,
    charsDoc: 'letters, digits and hyphens',
    noEdgeHyphen: true,
    reservedPrefixes: ['internal-'],
  },
  targetGroup: { what: 'target group name', max: 32, chars: ALNUM_HYPHEN, charsDoc: 'letters, digits and hyphens', noEdgeHyphen: true },
  iamRole: { what: 'IAM role name', max: 64, chars: /^[\w+=,.@-]+$/, charsDoc: 'letters, digits and + = , . @ _ -' },
  logGroup: {
    what: 'CloudWatch Logs log group name',
    max: 512,
    chars: /^[.\-_/#A-Za-z0-9]+$/,
    charsDoc: 'letters, digits and . - _ / #',
    reservedPrefixes: ['aws/'],
  },
  secret: {
    what: 'Secrets Manager secret name',
    max: 512,
    chars: /^[A-Za-z0-9/_+=.@-]+$/,
    charsDoc: 'letters, digits and / _ + = . @ -',
    extra: (n: string) =>
      /-[A-Za-z0-9]{6}$/.test(n)
        ? 'no "-" followed by six characters at the end (Secrets Manager would read it as an ARN suffix)'
        : undefined,
  },
  ecsCluster: { what: 'ECS cluster name', max: 255, chars: ECS, charsDoc: 'letters, digits, _ and -' },
  ecsService: { what: 'ECS service name', max: 255, chars: ECS, charsDoc: 'letters, digits, _ and -' },
  taskFamily: { what: 'ECS task definition family', max: 255, chars: ECS, charsDoc: 'letters, digits, _ and -' },
  snsTopic: { what: 'SNS topic name', max: 256, chars: ECS, charsDoc: 'letters, digits, _ and -' },
  kmsAlias: {
    what: 'KMS alias',
    max: 256,
    chars: /^alias\/[A-Za-z0-9/_-]+$/,
    charsDoc: '"alias/" then letters, digits, / _ -',
    reservedPrefixes: ['alias/aws/'],
  },
  s3Bucket: {
    what: 'S3 bucket name',
    min: 3,
    max: 63,
    chars: /^[a-z0-9.-]+$/,
    charsDoc: 'lowercase letters, digits, . and -',
    noEdgeHyphen: true,
    reservedPrefixes: ['xn--', 'sthree-', 'amzn-s3-demo-'],
    reservedSuffixes: ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'],
    extra: (n: string) =>
      /^\d+\.\d+\.\d+\.\d+$/.test(n)
        ? 'not an IP address'
        : /\.\.|\.-|-\./.test(n)
          ? 'no ".." and no "." next to "-"'
          : !/^[a-z0-9].*[a-z0-9]$/.test(n)
            ? 'a letter or digit at both ends'
            : undefined,
  },
} satisfies Record<string, NameRule>;

/** What the name breaks, in words ("expected ..."), or undefined when AWS takes it. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  const min = rule.min ?? 1;
  if (name.length < min || name.length > rule.max) return `${rule.what} of ${min} to ${rule.max} characters; "${name}" has ${name.length}`;
  if (!rule.chars.test(name)) return `${rule.what} of ${rule.charsDoc} only`;
  if (rule.firstLetter && !/^[A-Za-z]/.test(name)) return `${rule.what} starting with a letter`;
  if (rule.noDoubleHyphen && name.includes('--')) return `${rule.what} without two hyphens in a row ("--")`;
  if (rule.noEdgeHyphen && (name.startsWith('-') || name.endsWith('-'))) return `${rule.what} that neither starts nor ends with a hyphen`;
  const pre = rule.reservedPrefixes?.find((p) => name.startsWith(p));
  if (pre) return `${rule.what} that does not start with the reserved prefix "${pre}"`;
  const suf = rule.reservedSuffixes?.find((s) => name.endsWith(s));
  if (suf) return `${rule.what} that does not end with the reserved suffix "${suf}"`;
  const more = rule.extra?.(name);
  return more ? `${rule.what}: ${more}` : undefined;
}

type Derived = { rule: NameRule; name: string; from: string; value: unknown; kind?: string };

function derivedNames(env: EnvironmentConfig): Derived[] {
  const n = names(env);
  const R = NAME_RULES;
  const fromPrefix = (rule: NameRule, name: string): Derived => ({ rule, name, from: 'app', value: env.app });
  const out: Derived[] = [
    fromPrefix(R.dbCluster, n.dbCluster),
    fromPrefix(R.dbInstance, n.dbWriterInstance),
    fromPrefix(R.dbSnapshot, n.dbFinalSnapshot),
    fromPrefix(R.dbSubnetGroup, n.dbSubnetGroup),
    fromPrefix(R.cacheReplicationGroup, n.cacheReplicationGroup),
    fromPrefix(R.cacheSubnetGroup, n.cacheSubnetGroup),
    fromPrefix(R.alb, n.alb),
    fromPrefix(R.iamRole, n.flowLogRole),
    fromPrefix(R.logGroup, n.flowLogGroup),
    fromPrefix(R.secret, n.redisSecret),
    fromPrefix(R.ecsCluster, n.cluster),
    fromPrefix(R.snsTopic, n.alarmTopic),
    fromPrefix(R.kmsAlias, n.alarmKeyAlias),
  ];
  out.push(fromPrefix(R.iamRole, n.ecsInfrastructureRole));
  if (env.state.bucket) out.push({ rule: R.s3Bucket, name: env.state.bucket, from: 'state.bucket', value: env.state.bucket });
  env.services.forEach((svc, i) => {
    const s = serviceNames(env, svc);
    const at = `services[${i}].name`;
    const own = (rule: NameRule, name: string, kind: string): Derived => ({ rule, name, from: at, value: svc.name, kind });
    out.push(
      repositoryName(env, svc, i),
      own(R.targetGroup, s.targetGroup, 'targetGroup'),
      own(R.iamRole, s.executionRole, 'executionRole'),
      own(R.iamRole, s.taskRole, 'taskRole'),
      own(R.logGroup, s.logGroup, 'logGroup'),
      own(R.taskFamily, s.taskFamily, 'taskFamily'),
      own(R.ecsService, s.service, 'ecsService'),
    );
    out.push(own(R.targetGroup, s.alternateTargetGroup, 'targetGroup'));
    for (const [k, ref] of Object.entries(svc.secrets)) {
      const secret = ref.split(':')[0]!;
      if (!secret.startsWith('@')) out.push({ rule: R.secret, name: secret, from: `services[${i}].secrets.${k}`, value: ref });
    }
  });
  return out;
}

/** The ECR repository, blamed on the field that breaks it: services[i].repository when set, else the app or the service name. */
function repositoryName(env: EnvironmentConfig, svc: EnvironmentConfig['services'][number], i: number): Derived {
  const isDefault = svc.repository === `${env.app}/${svc.name}`;
  const from = !isDefault
    ? `services[${i}].repository`
    : nameProblem(NAME_RULES.ecrRepository, `${env.app}/x`)
      ? 'app'
      : `services[${i}].name`;
  const value = from === 'app' ? env.app : from.endsWith('.name') ? svc.name : svc.repository;
  return { rule: NAME_RULES.ecrRepository, name: svc.repository, from, value, kind: 'ecrRepository' };
}

/**
 * berth's derived names, less those the resource map replaces (src/config/resource-map.ts checks
 * those): the same list made with and without the map, kept where both agree.
 */
function conventionalNames(env: EnvironmentConfig): Derived[] {
  if (!env.resources) return derivedNames(env);
  const real = derivedNames(env);
  return derivedNames({ ...env, resources: undefined }).filter((d, i) => real[i]?.name === d.name);
}

/** Push an issue for every derived name AWS would refuse, and every pair that collides (after truncation). */
export function checkDerivedNames(env: EnvironmentConfig, issues: Issue[]): void {
  const all = conventionalNames(env);
  const seen = new Set<string>();
  for (const d of all) {
    const problem = nameProblem(d.rule, d.name);
    const key = `${d.from}|${problem}`;
    if (problem && !seen.has(key)) {
      seen.add(key);
      issues.push({ path: d.from, value: d.value, expected: `a value that gives a valid ${problem} (derived name "${d.name}")` });
    }
  }
  const byKind = new Map<string, Derived>();
  for (const d of all) {
    if (!d.kind) continue;
    const k = `${d.kind}|${d.name}`;
    const first = byKind.get(k);
    if (first)
      issues.push({
        path: d.from,
        value: d.value,
        expected:
          `a name whose ${d.rule.what} differs from ${first.from}'s: both become "${d.name}"` +
          (d.rule.max <= 64 ? ` (names are cut to ${d.rule.max} characters)` : ''),
      });
    else byKind.set(k, d);
  }
}
