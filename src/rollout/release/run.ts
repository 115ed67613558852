/**
 * `berth deploy` with a blue/green, canary or linear strategy, once the new revision is
 * registered: start the release (UpdateService with the strategy's deploymentConfiguration and the
 * load balancer's advancedConfiguration), find ECS's service deployment, watch every stage and
 * judge each on evidence (verdict.ts); on failure ask ECS to roll back FIRST (StopServiceDeployment
 * ROLLBACK), then watch traffic return and explain why in the words of a failed rolling deploy.
 */
import { FLAG_DEFAULTS } from '../../cli-args/defaults.js';
import { parseDurationText } from '../../cli-args/duration.js';
import { shortTd } from '../../ecs/ids.js';
import { logStreamName } from '../../ecs/logs.js';
import { toMs } from '../../ecs/time.js';
import { healthUrl, httpCheck } from '../../http/check.js';
import { publicHealthPath } from '../../config/names.js';
import { TEST_HEADER } from '../../config/routes.js';
import { BerthError } from '../../output/errors.js';
import type { DeployOptions, Op, RevisionRef } from '../op-types.js';
import { opsOf } from '../operate.js';
import type { SmokeResult } from '../types.js';
import { makeReleaseFetcher } from './fetch.js';
import { sdkReleaseOps, type MetricSums, type ReleaseOps } from './ops.js';
import { releaseLoadBalancers, resolveTraffic, type ReleaseTraffic } from './setup.js';
import { deploymentConfiguration, plannedSteps, type ReleaseSettings } from './settings.js';
import type { ReleaseReport, ReleaseRollback } from './report.js';
import { stagesOf } from './stages.js';
import type { ReleaseIdentity, ReleaseJudgement, ReleaseSnapshot } from './types.js';
import { judgeRelease, rollbackState, trafficBackAt } from './verdict.js';
import { watchRelease } from './watch.js';

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ACTIVE = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];
const ALL = [...ACTIVE, 'SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export function releaseOpsOf(op: Op): ReleaseOps {
  return op.releaseOps ?? sdkReleaseOps(op.ctx);
}

/** Before anything changes: the traffic pieces exist, and the service deployments already known (none of them is ours). */
export interface PreparedRelease {
  settings: ReleaseSettings;
  traffic: ReleaseTraffic;
  previous: Set<string>;
  warnings: string[];
}

export async function prepareRelease(op: Op, settings: ReleaseSettings): Promise<PreparedRelease> {
  const ops = releaseOpsOf(op);
  const svc = await opsOf(op).describeService(op.loc);
  const traffic = await resolveTraffic(ops, op.env, op.svc, svc, settings.strategy);
  const known = await ops.listServiceDeployments(op.loc, ALL);
  const active = known.filter((d) => ACTIVE.includes(d.status ?? ''));
  const warnings = active.length
    ? [`a service deployment was in progress when berth started (${active.map((d) => `${d.serviceDeploymentArn} ${d.status}`).join('; ')})`]
    : [];
  return { settings, traffic, previous: new Set(known.map((d) => d.serviceDeploymentArn)), warnings };
}

interface Ctx {
  op: Op;
  o: DeployOptions;
  p: PreparedRelease;
  ops: ReleaseOps;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
}

/** Our service deployment: the newest one ECS lists that was not there before the update (bounded wait). */
async function findDeployment(c: Ctx, startedAt: number): Promise<string> {
  const deadline = startedAt + c.o.timeoutMs;
  for (;;) {
    const ds = await c.ops.listServiceDeployments(c.op.loc, ALL);
    const mine = ds
      .filter((d) => !c.p.previous.has(d.serviceDeploymentArn))
      .sort((a, b) => (toMs(b.createdAt) ?? 0) - (toMs(a.createdAt) ?? 0))[0];
    if (mine) return mine.serviceDeploymentArn;
    if (c.now() >= deadline)
      throw new BerthError(`ECS listed no service deployment for ${c.op.svc.name} within the timeout after UpdateService.`);
    await c.sleep(c.pollMs);
  }
}

function testSmoke(op: Op, testPath: string | undefined): (() => Promise<SmokeResult>) | undefined {
  const hu = healthUrl(op.env, op.svc, op.ctx);
  if (!testPath || !hu.requestUrl) return undefined;
  const swap = (u: string) => u.slice(0, u.length - publicHealthPath(op.svc).length) + testPath;
  const u = { ...hu, publicUrl: swap(hu.publicUrl), requestUrl: swap(hu.requestUrl) };
  return async () => {
    const r = await httpCheck(u, { timeoutMs: 5000, headers: { [TEST_HEADER]: op.svc.name } });
    return {
      url: r.url,
      ok: r.ok || (r.status !== undefined && r.status >= 300 && r.status < 400),
      status: r.status,
      error: r.error,
      latencyMs: r.latencyMs,
    };
  };
}

function progressLine(j: ReleaseJudgement, s: ReleaseSettings): string {
  const e = j.evidence;
  const m = e.metrics;
  return (
    `${(e.stage ?? e.status ?? 'starting').toLowerCase().replace(/_/g, ' ')}: ${e.production.new}% on the new revision (${s.strategy})` +
    (e.targets.total ? `, targets ${e.targets.healthy}/${e.targets.total} healthy` : '') +
    (m ? `, ${m.requests} requests, ${m.http5xx} 5xx` : '')
  );
}

async function watchRollback(
  c: Ctx,
  id: ReleaseIdentity,
  timeline: ReleaseSnapshot[],
  fetch: () => Promise<ReleaseSnapshot>,
  by: ReleaseRollback['by'],
) {
  const requestedMs = c.now();
  const judgedAt = toMs(timeline[timeline.length - 1]?.at) ?? requestedMs;
  if (by === 'berth') await c.ops.stopServiceDeployment(id.deploymentArn);
  const deadline = requestedMs + c.o.timeoutMs;
  const step = await c.op.reporter.step(`returning traffic to ${shortTd(id.oldTaskDefinition)}`);
  const res = await watchRelease(
    {
      fetch,
      judge: (tl) => ({ verdict: c.now() >= deadline ? 'timed-out' : rollbackState(tl) }),
      sleep: c.sleep,
      now: c.now,
    },
    { pollMs: Math.min(c.pollMs, 1000) },
    timeline,
  );
  const verdict = res.judgement.verdict as ReleaseRollback['verdict'];
  if (verdict === 'succeeded') step.succeed(`traffic back on ${shortTd(id.oldTaskDefinition)}`);
  else step.fail(`rollback ${verdict}`);
  const backMs = trafficBackAt(res.timeline, judgedAt);
  const last = [...res.timeline].reverse().find((s) => s.deployment)?.deployment;
  return { verdict, by, requestedMs, backMs, status: last?.status, timeline: res.timeline };
}

function rollbackReport(r: Awaited<ReturnType<typeof watchRollback>>, firstFailureAt: string | undefined): ReleaseRollback {
  const first = firstFailureAt ? Date.parse(firstFailureAt) : undefined;
  const secs = (a: number, b: number) => Math.round((a - b) / 100) / 10;
  return {
    by: r.by,
    ...(r.by === 'berth' ? { requestedAt: new Date(r.requestedMs).toISOString() } : {}),
    ...(r.backMs !== undefined ? { trafficBackAt: new Date(r.backMs).toISOString() } : {}),
    ...(r.backMs !== undefined && first !== undefined ? { trafficBackAfterFirstFailureSeconds: secs(r.backMs, first) } : {}),
    ...(r.backMs !== undefined && r.by === 'berth'
      ? { trafficBackAfterRequestSeconds: secs(Math.max(r.backMs, r.requestedMs), r.requestedMs) }
      : {}),
    status: r.status,
    verdict: r.verdict,
  };
}

export interface ReleaseRun {
  judgement: ReleaseJudgement;
  report: ReleaseReport;
  startedAt: number;
}

/** Start the release of `newRev` (registered) and watch it to its end, rolling traffic back on failure. */
export async function runRelease(
  op: Op,
  o: DeployOptions,
  p: PreparedRelease,
  oldRev: RevisionRef,
  newRev: RevisionRef,
): Promise<ReleaseRun> {
  const now = o.now ?? Date.now;
  const pollMs =
    o.pollMs ?? parseDurationText(op.ctx.sandbox ? FLAG_DEFAULTS.sandboxPollInterval : FLAG_DEFAULTS.pollInterval, '--poll-interval');
  const c: Ctx = { op, o, p, ops: releaseOpsOf(op), now, sleep: o.sleep ?? sleepReal, pollMs };
  const { traffic: t, settings: s } = p;
  const metricsStart = new Date(Math.floor(now() / 60_000) * 60_000);
  const baseline: MetricSums | undefined = await c.ops
    .metrics({ loadBalancerArn: t.loadBalancerArn, targetGroupArn: t.greenTargetGroupArn, start: metricsStart, end: new Date(now()) })
    .catch(() => undefined);
  const smoke = testSmoke(op, s.deployment.testPath);
  const startedAt = now();
  await opsOf(op).updateService(op.loc, {
    taskDefinition: newRev.arn,
    deploymentConfiguration: deploymentConfiguration(s, smoke ? o.timeoutMs / 60_000 : undefined),
    loadBalancers: releaseLoadBalancers(t),
  });
  const deploymentArn = await findDeployment(c, startedAt);
  const id: ReleaseIdentity = {
    strategy: s.strategy,
    service: op.svc.name,
    deploymentArn,
    newTaskDefinition: newRev.arn,
    oldTaskDefinition: oldRev.arn,
    startedAt,
    timeoutMs: o.timeoutMs,
    maxFailedTasks: o.maxFailedTasks,
    thresholds: s.thresholds,
    alarms: s.deployment.alarms,
    testPath: s.deployment.testPath,
    container: op.loc.container,
    healthPath: op.svc.healthPath,
    port: op.svc.port,
    image: newRev.image,
  };
  const fetch = makeReleaseFetcher(
    {
      ops: c.ops,
      traffic: t,
      tasks: () => c.ops.serviceTasks(op.loc),
      logLines: (tid) => c.ops.logLines(op.loc.logGroup, logStreamName(op.loc.streamPrefix, op.loc.container, tid)),
      testSmoke: smoke,
      now,
      metricsStart,
    },
    baseline,
  );
  return watchToEnd(c, id, () => fetch(id), t, startedAt);
}

async function watchToEnd(
  c: Ctx,
  id: ReleaseIdentity,
  fetch: () => Promise<ReleaseSnapshot>,
  t: ReleaseTraffic,
  startedAt: number,
): Promise<ReleaseRun> {
  const s = c.p.settings;
  const title = `${s.strategy} release of ${shortTd(id.newTaskDefinition)}`;
  const step = await c.op.reporter.step(title);
  const res = await watchRelease(
    {
      fetch,
      judge: (tl) => judgeRelease(id, tl),
      sleep: c.sleep,
      now: c.now,
      onProgress: (j) => step.update(`${title} — ${progressLine(j, s)}`),
    },
    { pollMs: c.pollMs },
  );
  const j = res.judgement;
  if (j.verdict === 'succeeded') step.succeed(`${title}: succeeded`);
  else step.fail(`${title}: ${j.verdict}`);
  let rollback: ReleaseRollback | null = null;
  let timeline = res.timeline;
  if (j.verdict !== 'succeeded' && j.verdict !== 'superseded') {
    const by: ReleaseRollback['by'] = j.verdict === 'rolled-back-by-ecs' ? 'ecs' : j.verdict === 'stopped' ? 'outside' : 'berth';
    const r = await watchRollback(c, id, timeline, fetch, by);
    timeline = r.timeline;
    rollback = rollbackReport(r, j.evidence.firstFailureAt);
  }
  const last = [...timeline].reverse().find((x) => x.deployment)?.deployment;
  const report: ReleaseReport = {
    strategy: s.strategy,
    deploymentArn: id.deploymentArn,
    status: last?.status,
    stage: last?.lifecycleStage,
    production: [...timeline].reverse().find((x) => x.listener)?.listener ?? j.evidence.production,
    stages: stagesOf(timeline),
    plannedSteps: plannedSteps(s),
    targetGroups: { old: t.blueTargetGroupArn, new: t.greenTargetGroupArn },
    signals: j.evidence.signals,
    metrics: j.evidence.metrics,
    firstFailureAt: j.evidence.firstFailureAt,
    rollback,
  };
  return { judgement: j, report, startedAt };
}
