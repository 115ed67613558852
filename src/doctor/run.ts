/**
 * `berth doctor`: gather the facts of the selected check groups in parallel (one shared, memoized
 * Source), run each group's pure check, and return every finding. Exit code: 1 when any finding
 * FAILs, 0 otherwise (WARN does not fail the run).
 */
import { sts } from '../aws/clients.js';
import type { AwsContext } from '../aws/context.js';
import { classifyAwsError, type AwsFailure } from '../aws/failures.js';
import { withDeadline } from '../aws/deadline.js';
import { awsLimits } from '../aws/limits.js';
import { httpGet } from '../http/get.js';
import { environmentContext } from '../sandbox/context.js';
import type { EnvironmentConfig } from '../config/types.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { redact } from '../output/redact.js';
import { CHECKS, isCheckId } from './catalog.js';
import { Source, type GatherOptions } from './gather/source.js';
import { forPlatform, platformKind, type PlatformKind } from './lib/discovered.js';
import { fail } from './lib/finding.js';
import { GROUPS } from './registry.js';
import { GROUP_NAMES, type Finding, type GroupName, type Status } from './types.js';

export interface DoctorOptions {
  env: EnvironmentConfig;
  ctx?: AwsContext;
  /** Group names (`network`) or check ids (`network.private-route`); empty: everything. */
  select?: string[];
  service?: string;
  now?: Date;
  resolveNs?: GatherOptions['resolveNs'];
  fetch?: GatherOptions['fetch'];
  /** A group still gathering after this long fails (default: 60 s, less with a small BERTH_AWS_TIMEOUT). */
  groupTimeoutMs?: number;
  /** Called as each group finishes (progress). */
  onGroup?: (name: GroupName, findings: Finding[], ms: number) => void;
}

export interface DoctorReport {
  ok: boolean;
  exitCode: number;
  environment: string;
  app: string;
  region: string;
  endpoint?: string;
  services: string[];
  /** Who manages the platform: berth's stacks, discovered only (AWS CLI fixes), or adopted (fixes through berth plan/apply). */
  platform: PlatformKind;
  groups: { name: GroupName; title: string; durationMs: number; pass: number; warn: number; fail: number; error?: string }[];
  summary: Record<Lowercase<Status>, number>;
  durationMs: number;
  findings: Finding[];
  /** When AWS could not be read at all (unreachable, no credentials...): the named failure; exitCode is its code. */
  error?: { code: string; message: string; hint?: string; exitCode: number };
}

/** How long one group may gather: 60 s, or the read-command bound when BERTH_AWS_TIMEOUT makes that shorter. */
export function groupTimeoutMs(): number {
  return Math.min(60_000, awsLimits().commandBoundMs);
}

/** The AWS failure that kept doctor from reading the account, if any (the lowest exit code among them). */
function blockingFailure(failures: AwsFailure[]): AwsFailure | undefined {
  return [...failures].sort((a, b) => a.exitCode - b.exitCode)[0];
}

export function parseSelection(select: string[] = []): { groups: GroupName[]; checks: string[] } {
  const groups = new Set<GroupName>();
  const checks: string[] = [];
  const bad: string[] = [];
  for (const s of select) {
    if ((GROUP_NAMES as readonly string[]).includes(s)) groups.add(s as GroupName);
    else if (isCheckId(s)) {
      checks.push(s);
      groups.add(s.split('.')[0] as GroupName);
    } else bad.push(s);
  }
  if (bad.length)
    throw new UsageError(`unknown check group${bad.length > 1 ? 's' : ''} ${bad.join(', ')}; valid groups: ${GROUP_NAMES.join(', ')}`, {
      code: 'usage.unknown-name',
      hint: `Run every group with \`berth doctor --env <env>\`, or name some: \`berth doctor --env <env> network security-groups\`. Single checks work too, e.g. network.private-route (${CHECKS.length} in all; \`berth doctor --list\`).`,
    });
  return { groups: groups.size ? GROUP_NAMES.filter((g) => groups.has(g)) : [...GROUP_NAMES], checks };
}

/** The classes in which no check could read anything: doctor says so at once instead of failing every group slowly. */
const BLOCKING = new Set([
  'aws.no-credentials',
  'aws.bad-credentials',
  'aws.unreachable',
  'aws.timeout',
  'aws.throttled',
  'aws.service-error',
  'aws.unknown-region',
]);

/**
 * One cheap call (sts:GetCallerIdentity needs no permission) before the groups: unreachable, bad
 * credentials, throttling... end the run with that failure.
 */
async function canReachAws(ctx: AwsContext): Promise<void> {
  try {
    const { GetCallerIdentityCommand } = await import('../aws/sdk/sts.js');
    await (await sts(ctx)).send(new GetCallerIdentityCommand({}));
  } catch (e) {
    const named = classifyAwsError(e);
    if (named && BLOCKING.has(named.id)) throw named;
  }
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const started = Date.now();
  const { env } = o;
  const { groups, checks } = parseSelection(o.select);
  let services = env.services;
  if (o.service) {
    services = env.services.filter((s) => s.name === o.service);
    if (!services.length)
      throw new UsageError(
        `--service ${o.service}: no such service in ${env.name} (services: ${env.services.map((s) => s.name).join(', ')})`,
      );
  }
  const ctx = o.ctx ?? environmentContext(env);
  const now = o.now ?? new Date();
  const src = new Source({ ctx, env, services, resolveNs: o.resolveNs, fetch: o.fetch ?? httpGet });
  const input = { env, services, now };
  const platform = platformKind(env);
  const failures: AwsFailure[] = [];
  // The reachability call goes out with the groups' first reads, not before them: when it fails
  // (unreachable, bad credentials...), the run ends at once with that failure.
  let ended = false;
  const reach = canReachAws(ctx).catch((e: unknown) => {
    ended = true; // the groups still reading report no progress after the run has failed
    throw e;
  });
  const gathering = Promise.all(
    groups.map(async (name) => {
      const g = GROUPS.find((x) => x.name === name)!;
      const t0 = Date.now();
      let findings: Finding[];
      let error: string | undefined;
      try {
        const facts = await withDeadline(g.gather(src), o.groupTimeoutMs ?? groupTimeoutMs(), `reading the ${name} facts`);
        findings = forPlatform(g.check(facts, input), env, platform);
      } catch (e) {
        const named = classifyAwsError(e);
        if (named) failures.push(named);
        const err = e as { name?: string; message?: string };
        error = redact(`${err?.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err?.message ?? String(e)}`);
        findings = [
          fail(`${name}.gather`, {
            resource: ctx.endpoint ?? ctx.region,
            message: `could not read the ${name} facts: ${error}`,
            evidence: { region: ctx.region, endpoint: ctx.endpoint ?? null },
            fix: {
              note: 'Check the credentials and region (aws sts get-caller-identity), and that they may call the Describe/List/Get APIs of EC2, ECS, ELB, RDS, ElastiCache, IAM, ACM, Route 53, Secrets Manager, ECR and CloudWatch Logs.',
            },
          }),
        ];
      }
      if (checks.length) findings = findings.filter((f) => checks.includes(f.check) || f.check.endsWith('.gather'));
      const ms = Date.now() - t0;
      if (!ended) o.onGroup?.(name, findings, ms);
      return { name, title: g.title, findings, ms, error };
    }),
  );
  const [, results] = await Promise.all([reach, gathering]);
  const findings = results.flatMap((r) => r.findings);
  const count = (fs: Finding[], s: Status) => fs.filter((f) => f.status === s).length;
  const summary = { pass: count(findings, 'PASS'), warn: count(findings, 'WARN'), fail: count(findings, 'FAIL') };
  const blocked = blockingFailure(failures);
  return {
    ok: summary.fail === 0 && !blocked,
    exitCode: blocked ? blocked.exitCode : summary.fail ? EXIT.DOCTOR_FAILED : EXIT.OK,
    ...(blocked ? { error: { code: blocked.id, message: blocked.message, hint: blocked.hint, exitCode: blocked.exitCode } } : {}),
    environment: env.name,
    app: env.app,
    region: ctx.region,
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    services: services.map((s) => s.name),
    platform,
    groups: results.map((r) => ({
      name: r.name,
      title: r.title,
      durationMs: r.ms,
      pass: count(r.findings, 'PASS'),
      warn: count(r.findings, 'WARN'),
      fail: count(r.findings, 'FAIL'),
      ...(r.error ? { error: r.error } : {}),
    })),
    summary,
    durationMs: Date.now() - started,
    findings,
  };
}
