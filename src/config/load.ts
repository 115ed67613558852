/**
 * Loading an environment: read the file, validate it against the schema, fill defaults, then check
 * the rules that span fields. Every problem is collected and reported at once (exit code 2).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { decodeUtf8, JsonTextError, MAX_FILE_BYTES, parseStrictJson } from './json-text.js';
import { checkDerivedNames } from './aws-names.js';
import { isAwsRegion } from './aws-regions.js';
import { auroraVersionProblem, vpcCidrProblem } from './aws-rules.js';
import { looksLikeCredential } from './credential-like.js';
import { checkDeployment, checkTestPath } from './deployment-rules.js';
import { isNetworkAddress } from './network.js';
import { paths } from './paths.js';
import { checkResourceMap } from './resource-map.js';
import { environmentSpec } from './schema.js';
import { check, type Issue } from './spec.js';
import type { EnvironmentConfig, ServiceConfig } from './types.js';

export class ConfigError extends UsageError {
  readonly file: string;
  readonly issues: Issue[];
  constructor(file: string, issues: Issue[]) {
    super(
      `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the environment config:\n` +
        issues.map(formatIssue).join('\n'),
      {
        details: { file, issues: issues.map((i) => ({ ...i, value: shortValue(i.value) })) },
        code: issues.some((i) => i.line !== undefined) ? ERROR_CODES.configSyntax : ERROR_CODES.configInvalid,
      },
    );
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatIssue(i: Issue): string {
  const where = i.line !== undefined ? ` (line ${i.line}, column ${i.column})` : '';
  if (i.path === '(file)') return `  - line ${i.line}, column ${i.column}: ${i.expected}`;
  const found = i.value === undefined ? 'nothing' : showValue(i.value);
  return `  - ${i.path || '(root)'}${where}: found ${found}; expected ${i.expected}`;
}

/** A value as shown in a message: JSON, cut to 80 characters (a 10 MB string is not echoed back). */
function showValue(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x) => (typeof x === 'string' && x.length > 80 ? x.slice(0, 80) + '…' : x)) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
}

function shortValue(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? showValue(v) : typeof v === 'string' && v.length > 200 ? v.slice(0, 200) + '…' : v;
}

/** Fargate task sizes: valid memory (MiB) for each cpu (units), Linux platform 1.4.0. */
export const FARGATE: Record<number, number[]> = (() => {
  const r = (a: number, b: number, s: number) => Array.from({ length: (b - a) / s + 1 }, (_, i) => a + i * s);
  return {
    256: [512, 1024, 2048],
    512: r(1024, 4096, 1024),
    1024: r(2048, 8192, 1024),
    2048: r(4096, 16384, 1024),
    4096: r(8192, 30720, 1024),
    8192: r(16384, 61440, 4096),
    16384: r(32768, 122880, 8192),
  };
})();

const DEFAULT_VERSION = { postgresql: '16.6', mysql: '8.0.mysql_aurora.3.08.0' } as const;
const DATABASE_KEYS = ['username', 'password'];
const REDIS_KEYS = ['url', 'host', 'port', 'password'];

/** Validate a parsed JSON value as an environment. `expectedName` is the file's base name, if any. */
export function parseEnvironment(raw: unknown, file: string, expectedName?: string): EnvironmentConfig {
  const issues: Issue[] = [];
  const env = check(environmentSpec, raw, '', issues) as EnvironmentConfig | undefined;
  if (env && typeof env === 'object') {
    crossChecks(env, expectedName, issues);
    awsChecks(env, issues);
    checkResourceMap(env, issues);
    // Derived names need every field they are made of; checked once the rest is sound.
    if (!issues.length) checkDerivedNames(env, issues);
  }
  // Never echo back what looks like a credential, whatever the problem with it.
  for (const i of issues) if (typeof i.value === 'string' && looksLikeCredential(i.value)) i.value = '(hidden)';
  if (issues.length) throw new ConfigError(file, issues);
  return env!;
}

function crossChecks(env: EnvironmentConfig, expectedName: string | undefined, issues: Issue[]): void {
  if (expectedName && env.name && env.name !== expectedName)
    issues.push({ path: 'name', value: env.name, expected: `"${expectedName}", the file's name` });
  if (env.domain?.zone === 'existing' && !env.domain.zoneId)
    issues.push({ path: 'domain.zoneId', value: undefined, expected: 'a hosted zone id when domain.zone is "existing"' });
  if (env.domain?.zone === 'create' && env.domain.zoneId)
    issues.push({
      path: 'domain.zoneId',
      value: env.domain.zoneId,
      expected: 'no zoneId when domain.zone is "create" (set zone to "existing" to use it)',
    });
  if (env.network?.cidr && !isNetworkAddress(env.network.cidr))
    issues.push({ path: 'network.cidr', value: env.network.cidr, expected: 'a network address with no host bits set, e.g. "10.0.0.0/16"' });
  if (env.database) {
    if (env.database.minCapacity > env.database.maxCapacity)
      issues.push({
        path: 'database.minCapacity',
        value: env.database.minCapacity,
        expected: `at most database.maxCapacity (${env.database.maxCapacity})`,
      });
    if (env.database.minCapacity !== undefined && (env.database.minCapacity * 2) % 1 !== 0)
      issues.push({ path: 'database.minCapacity', value: env.database.minCapacity, expected: 'a multiple of 0.5 ACU' });
    if (env.database.engine && !env.database.version) env.database.version = DEFAULT_VERSION[env.database.engine];
  }
  if (env.cache?.authToken && !env.cache.transitEncryption)
    issues.push({
      path: 'cache.authToken',
      value: true,
      expected: 'false when cache.transitEncryption is false (ElastiCache needs TLS for AUTH)',
    });
  if (env.state?.backend === 's3' && !env.state.bucket)
    issues.push({ path: 'state.bucket', value: undefined, expected: 'an S3 bucket name when state.backend is "s3"' });
  if (env.state?.backend === 'local' && !env.sandbox)
    issues.push({
      path: 'state.backend',
      value: 'local',
      expected: '"s3": local state is for sandbox environments only (set sandbox: true)',
    });
  if (env.sandbox && env.account)
    issues.push({ path: 'account', value: env.account, expected: 'no account for a sandbox environment (it never talks to AWS)' });

  const svcs = Array.isArray(env.services) ? env.services : [];
  const seenNames = new Map<string, number>();
  const seenPatterns = new Map<string, number>();
  svcs.forEach((s: ServiceConfig, i) => {
    if (!s || typeof s !== 'object') return;
    const at = `services[${i}]`;
    if (s.name) {
      if (seenNames.has(s.name))
        issues.push({ path: `${at}.name`, value: s.name, expected: `a name not already used by services[${seenNames.get(s.name)}]` });
      else seenNames.set(s.name, i);
      if (!s.repository && env.app) s.repository = `${env.app}/${s.name}`;
    }
    if (s.pathPattern) {
      if (seenPatterns.has(s.pathPattern))
        issues.push({
          path: `${at}.pathPattern`,
          value: s.pathPattern,
          expected: `a path pattern not already routed to services[${seenPatterns.get(s.pathPattern)}]`,
        });
      else seenPatterns.set(s.pathPattern, i);
    }
    if (s.cpu && s.memory && FARGATE[s.cpu] && !FARGATE[s.cpu]!.includes(s.memory))
      issues.push({
        path: `${at}.memory`,
        value: s.memory,
        expected: `a Fargate memory size for cpu ${s.cpu}: ${summarise(FARGATE[s.cpu]!)}`,
      });
    if (typeof s.minCount === 'number' && typeof s.maxCount === 'number' && s.minCount > s.maxCount)
      issues.push({ path: `${at}.minCount`, value: s.minCount, expected: `at most maxCount (${s.maxCount})` });
    if (
      typeof s.desiredCount === 'number' &&
      typeof s.minCount === 'number' &&
      typeof s.maxCount === 'number' &&
      (s.desiredCount < s.minCount || s.desiredCount > s.maxCount)
    )
      issues.push({
        path: `${at}.desiredCount`,
        value: s.desiredCount,
        expected: `a count within minCount..maxCount (${s.minCount}..${s.maxCount})`,
      });
    if (s.healthCheck && s.healthCheck.timeoutSeconds >= s.healthCheck.intervalSeconds)
      issues.push({
        path: `${at}.healthCheck.timeoutSeconds`,
        value: s.healthCheck.timeoutSeconds,
        expected: `less than intervalSeconds (${s.healthCheck.intervalSeconds})`,
      });
    secretRefChecks(env, s, i, issues);
    checkDeployment(s, i, issues);
  });
  if (svcs.every((s) => s && typeof s === 'object' && typeof s.name === 'string' && typeof s.pathPattern === 'string'))
    svcs.forEach((_s, i) => checkTestPath(svcs, i, issues));
}

/** A service's secret references: the keys berth's own secrets have, and no name also set as a plain variable. */
function secretRefChecks(env: EnvironmentConfig, s: ServiceConfig, i: number, issues: Issue[]): void {
  const at = `services[${i}]`;
  for (const [k, ref] of Object.entries(s.secrets ?? {})) {
    if (typeof ref !== 'string') continue;
    const [secret, key] = ref.split(':');
    if (secret === '@database' && (!key || !DATABASE_KEYS.includes(key)))
      issues.push({ path: `${at}.secrets.${k}`, value: ref, expected: `"@database:<key>" with key one of ${DATABASE_KEYS.join(', ')}` });
    if (secret === '@redis' && (!key || !REDIS_KEYS.includes(key)))
      issues.push({ path: `${at}.secrets.${k}`, value: ref, expected: `"@redis:<key>" with key one of ${REDIS_KEYS.join(', ')}` });
    if (secret === '@redis' && !env.cache?.authToken && key === 'password')
      issues.push({ path: `${at}.secrets.${k}`, value: ref, expected: 'no Redis password reference when cache.authToken is false' });
    if (k in (s.environment ?? {}))
      issues.push({ path: `${at}.secrets.${k}`, value: ref, expected: `a name not also set in services[${i}].environment` });
  }
}

/** What AWS itself would refuse: unknown regions, private CIDRs, engine versions, credentials pasted as names. */
function awsChecks(env: EnvironmentConfig, issues: Issue[]): void {
  const regionDoc = 'an AWS region that exists, such as "us-east-1" or "ap-northeast-2"';
  if (typeof env.region === 'string' && !isAwsRegion(env.region)) issues.push({ path: 'region', value: env.region, expected: regionDoc });
  if (typeof env.state?.region === 'string' && !isAwsRegion(env.state.region))
    issues.push({ path: 'state.region', value: env.state.region, expected: regionDoc });
  if (typeof env.network?.cidr === 'string' && isNetworkAddress(env.network.cidr)) {
    const p = vpcCidrProblem(env.network.cidr);
    if (p) issues.push({ path: 'network.cidr', value: env.network.cidr, expected: p });
  }
  const db = env.database;
  if (db && typeof db.version === 'string' && (db.engine === 'postgresql' || db.engine === 'mysql')) {
    const p = auroraVersionProblem(db.engine, db.version);
    if (p) issues.push({ path: 'database.version', value: db.version, expected: p });
  }
  const svcs = Array.isArray(env.services) ? env.services : [];
  svcs.forEach((s, i) => {
    if (!s || typeof s !== 'object') return;
    for (const [k, ref] of Object.entries(s.secrets ?? {})) {
      const like = typeof ref === 'string' ? looksLikeCredential(ref) : undefined;
      if (like)
        issues.push({
          path: `services[${i}].secrets.${k}`,
          value: '(hidden)',
          expected: `the NAME of a Secrets Manager secret ("<name>[:<json key>]"); this looks like ${like} itself. Store the value in Secrets Manager and put its name here`,
        });
    }
    for (const [k, v] of Object.entries(s.environment ?? {})) {
      const like = typeof v === 'string' ? looksLikeCredential(v) : undefined;
      if (like)
        issues.push({
          path: `services[${i}].environment.${k}`,
          value: '(hidden)',
          expected: `no credential in plain environment variables; this looks like ${like}. Put it in Secrets Manager and reference it under services[${i}].secrets`,
        });
    }
  });
}

export function summarise(xs: number[]): string {
  return xs.length > 4 ? `${xs[0]} to ${xs[xs.length - 1]} in steps of ${xs[1]! - xs[0]!}` : xs.join(', ');
}

/** Parse JSON text strictly (src/config/json-text.ts), turning a problem into a config error with line and column. */
export function parseJsonText(text: string | Uint8Array, file: string): unknown {
  try {
    return parseStrictJson(typeof text === 'string' ? text : decodeUtf8(text));
  } catch (e) {
    if (!(e instanceof JsonTextError)) throw e;
    throw new ConfigError(file, [{ path: e.path ?? '(file)', value: undefined, expected: e.problem, line: e.line, column: e.column }]);
  }
}

/**
 * Resolve `--env`: a path to a .json file, or a name looked up in `environments/`. The name
 * `sandbox` falls back to berth's built-in sandbox environment when the project has none.
 */
export function resolveEnvironmentFile(env: string): string {
  if (!env)
    throw new UsageError('--env is empty; expected the name of an environment (environments/<name>.json) or a path to one.', {
      code: ERROR_CODES.flagFormat,
    });
  if (env.endsWith('.json')) {
    if (!existsSync(env))
      throw new UsageError(`--env ${env}: no such file; expected an environment .json file.`, { code: ERROR_CODES.configNotFound });
    return env;
  }
  if (!/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(env))
    throw new UsageError(`--env "${env}": expected an environment name (lowercase letters, digits, dashes) or a path to a .json file.`, {
      code: ERROR_CODES.flagFormat,
    });
  const file = paths.environmentFile(env);
  if (existsSync(file)) return file;
  if (env === 'sandbox' && existsSync(paths.templateEnvironment('sandbox'))) return paths.templateEnvironment('sandbox');
  throw new UsageError(`--env ${env}: no environment file ${file}; expected an existing environment.`, {
    code: ERROR_CODES.configNotFound,
    hint: `Create one with \`berth init ${env} --template <platform|two-service>\`, or pass a path to a .json file.`,
  });
}

export function loadEnvironment(env: string): EnvironmentConfig {
  const file = resolveEnvironmentFile(env);
  let text: Uint8Array;
  try {
    const st = statSync(file);
    if (!st.isFile())
      throw new UsageError(`--env ${env}: ${file} is not a regular file; expected an environment .json file.`, {
        code: ERROR_CODES.configNotFound,
      });
    if (st.size > MAX_FILE_BYTES)
      throw new ConfigError(file, [
        {
          path: '(file)',
          value: undefined,
          expected: `a file of ${st.size} bytes; expected at most ${MAX_FILE_BYTES} bytes for an environment file`,
          line: 1,
          column: 1,
        },
      ]);
    text = readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read the environment file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, {
      code: ERROR_CODES.configNotFound,
    });
  }
  const base = basename(file, '.json');
  return parseEnvironment(parseJsonText(text, file), file, file === paths.templateEnvironment('sandbox') ? 'sandbox' : base);
}
