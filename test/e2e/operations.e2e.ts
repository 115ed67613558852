/**
 * The operation commands (issue 5) end to end on THE sandbox of the run: the real CLI (spawned),
 * checked from outside berth with the AWS SDK against the emulator and with HTTP requests to the
 * sandbox's public URL. Every test leaves the service on a good tag, running its desired count,
 * healthy (the files after this one rely on it).
 *
 * The sandbox's extended moto simulates ECS: image tags `fail-exit`, `fail-pull`, `fail-arch` and
 * `fail-health` fail the way ECS fails, and the service's circuit breaker rolls back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../../src/config/names.js';
import type { ServiceConfig } from '../../src/config/types.js';
import { sandbox, type RunResult, type Sandbox } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
let svc: ServiceConfig;
/** Fast watches: the sandbox's ECS runs at 1/20 of real time. */
const WATCH = ['--poll-interval', '1s', '--timeout', '3m'];

beforeAll(async () => {
  sb = await sandbox();
  svc = sb.env.services[0]!;
});

async function berth(...args: string[]): Promise<RunResult & { j: Json }> {
  const r = await sb.berth(...args);
  return { ...r, j: (r.json ?? {}) as Json };
}

const why = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout.slice(0, 4000)}\nstderr: ${r.stderr.slice(-4000)}`;

/** The service as ECS and the target group report it (SDK, not berth). */
async function world() {
  const { DescribeServicesCommand, DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const { DescribeTargetHealthCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const ecs = await sb.client('ecs');
  const elb = await sb.client('elbv2');
  const s = (await ecs.send(new DescribeServicesCommand({ cluster: sb.cluster, services: [serviceNames(sb.env, svc).service] })))
    .services![0]!;
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition! }))).taskDefinition!;
  const states: { id: string; state: string; reason?: string }[] = [];
  for (const lb of s.loadBalancers ?? []) {
    const th = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: lb.targetGroupArn! }));
    for (const d of th.TargetHealthDescriptions ?? [])
      states.push({ id: d.Target!.Id!, state: d.TargetHealth!.State!, reason: d.TargetHealth!.Reason });
  }
  const image =
    td.containerDefinitions!.find((c) => c.name === serviceNames(sb.env, svc).container)?.image ?? td.containerDefinitions![0]!.image!;
  return {
    service: s,
    taskDefinition: s.taskDefinition!,
    revision: td.revision!,
    image,
    tag: image.split(':').pop()!,
    desired: s.desiredCount!,
    running: s.runningCount!,
    deployments: s.deployments ?? [],
    healthy: states.filter((t) => t.state === 'healthy').length,
    targets: states,
  };
}

/** What the sandbox's public URL answers on the service's health path. */
async function serving(): Promise<{ status: number; version?: string }> {
  const res = await fetch(`${sb.publicUrl}${svc.healthPath}`);
  const body = res.ok ? ((await res.json()) as { version?: string }) : {};
  return { status: res.status, version: body.version };
}

/** ECS and the target group agree the service is settled on `revision`, serving `tag`. */
async function expectSettled(revision: number, tag: string) {
  const w = await world();
  expect({
    revision: w.revision,
    tag: w.tag,
    running: w.running,
    deployments: w.deployments.length,
    rollout: w.deployments[0]?.rolloutState,
  }).toEqual({
    revision,
    tag,
    running: w.desired,
    deployments: 1,
    rollout: 'COMPLETED',
  });
  expect(w.healthy).toBe(w.desired * (w.service.loadBalancers?.length ?? 1));
  expect(w.targets.filter((t) => t.state !== 'healthy')).toEqual([]);
  expect(await serving()).toEqual({ status: 200, version: tag });
}

/** Wait (bounded) until ECS reports the service settled: one COMPLETED deployment, running = desired, all targets healthy. */
async function waitSettled(limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const w = await world();
    if (
      w.deployments.length === 1 &&
      w.deployments[0]!.rolloutState === 'COMPLETED' &&
      w.running === w.desired &&
      w.targets.every((t) => t.state === 'healthy') &&
      w.healthy === w.desired
    )
      return w;
    if (Date.now() > deadline)
      throw new Error(
        `the service did not settle within ${limitMs / 1000}s: ${JSON.stringify({ deployments: w.deployments.map((d) => [d.taskDefinition, d.rolloutState, d.runningCount]), targets: w.targets })}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Set the service's circuit breaker and health check grace period (SDK), returning what it had. */
async function circuitBreaker(enable: boolean, graceSeconds?: number) {
  const { UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
  const ecs = await sb.client('ecs');
  const s = (await world()).service;
  const before = { ...s.deploymentConfiguration!, grace: s.healthCheckGracePeriodSeconds };
  const { grace: _g, ...config } = before;
  await ecs.send(
    new UpdateServiceCommand({
      cluster: sb.cluster,
      service: serviceNames(sb.env, svc).service,
      deploymentConfiguration: { ...config, deploymentCircuitBreaker: { enable, rollback: enable } },
      ...(graceSeconds !== undefined ? { healthCheckGracePeriodSeconds: graceSeconds } : {}),
    }),
  );
  return before;
}

let baseline: { revision: number; tag: string };
/** Revisions by what they run, as the tests create them. */
const rev: Record<string, number> = {};

afterAll(async () => {
  // Leave the sandbox healthy for the files after this one, whatever failed above.
  if (!sb) return;
  const w = await world().catch(() => undefined);
  if (w?.service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === false)
    await circuitBreaker(true, svc.healthCheck.gracePeriodSeconds);
  const good = w && /^v\d+$/.test(w.tag) && w.desired === svc.desiredCount;
  if (!good || w.deployments.length !== 1 || w.running !== w.desired) {
    if (w && w.desired !== svc.desiredCount) await sb.berth('scale', '--env', 'sandbox', '--count', String(svc.desiredCount), ...WATCH);
    if (!w || !/^v\d+$/.test(w.tag)) await sb.berth('deploy', '--env', 'sandbox', '--tag', 'v1', ...WATCH);
    await waitSettled(120_000);
  }
});

describe('berth deploy / rollback on the sandbox', () => {
  it('starts from a settled service (the sandbox as up left it)', async () => {
    const w = await waitSettled();
    baseline = { revision: w.revision, tag: w.tag };
    rev[w.tag] = w.revision;
    expect(w.desired).toBe(svc.desiredCount);
    await expectSettled(baseline.revision, baseline.tag);
  });

  it('a good deploy (--tag v2): exit 0, the JSON names both revisions, the image, the deployment and the verdict; ECS runs it, healthy; the public URL serves v2', async () => {
    const r = await berth('deploy', '--env', 'sandbox', '--tag', 'v2', '--json', ...WATCH);
    expect(r.code, why(r)).toBe(0);
    const j = r.j;
    expect(j).toMatchObject({
      ok: true,
      command: 'deploy',
      service: svc.name,
      cluster: sb.cluster,
      verdict: 'succeeded',
      exitCode: 0,
      rollback: null,
      failures: [],
    });
    expect(j.oldRevision).toMatchObject({
      revision: baseline.revision,
      image: expect.stringMatching(new RegExp(`/${serviceNames(sb.env, svc).repository}:${baseline.tag}$`)),
    });
    expect(j.newRevision.revision).toBeGreaterThan(baseline.revision);
    expect(j.newRevision.image).toMatch(
      new RegExp(`\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/${serviceNames(sb.env, svc).repository}:v2$`),
    );
    expect(j.image).toBe(j.newRevision.image);
    expect(j.deploymentId).toMatch(/^ecs-svc\/\d{19}$/);
    rev.v2 = j.newRevision.revision;

    const w = await world();
    expect(w.taskDefinition).toBe(j.newRevision.arn);
    expect(w.deployments.map((d) => d.id)).toEqual([j.deploymentId]);
    await expectSettled(rev.v2!, 'v2');
  });

  it('rollback without --to goes to the previously healthy revision; --to <n> goes to that revision', async () => {
    const back = await berth('rollback', '--env', 'sandbox', '--yes', '--json', ...WATCH);
    expect(back.code, why(back)).toBe(0);
    expect(back.j).toMatchObject({
      command: 'rollback',
      verdict: 'succeeded',
      oldRevision: { revision: rev.v2 },
      newRevision: { revision: baseline.revision },
    });
    expect(back.j.reasons[0]).toMatch(/^target chosen: /);
    await expectSettled(baseline.revision, baseline.tag);

    const to = await berth('rollback', '--env', 'sandbox', '--to', String(rev.v2), '--yes', '--json', ...WATCH);
    expect(to.code, why(to)).toBe(0);
    expect(to.j).toMatchObject({ verdict: 'succeeded', oldRevision: { revision: baseline.revision }, newRevision: { revision: rev.v2 } });
    await expectSettled(rev.v2!, 'v2');
  });

  it('rollback without --yes and without a terminal changes nothing (exit 2)', async () => {
    const r = await berth('rollback', '--env', 'sandbox', '--json', ...WATCH);
    expect(r.code, why(r)).toBe(2);
    expect(r.stderr).toContain('--yes');
    await expectSettled(rev.v2!, 'v2');
  });

  const broken: [tag: string, extra: string[], reason: RegExp][] = [
    ['fail-exit', [], /Essential container \S+ exited with code 1/],
    ['fail-pull', ['--no-image-check'], /CannotPullContainerError/],
    ['fail-arch', [], /exec format error/],
  ];
  for (const [tag, extra, reason] of broken) {
    it(`a broken deploy (--tag ${tag}): exit 10, the reasons say why in words, and the service is back on the previous revision, serving it`, async () => {
      const before = await world();
      const r = await berth('deploy', '--env', 'sandbox', '--tag', tag, ...extra, '--json', ...WATCH);
      expect(r.code, why(r)).toBe(10);
      expect(r.j).toMatchObject({
        ok: false,
        verdict: expect.stringMatching(/^(failed|rolled-back-by-ecs)$/),
        exitCode: 10,
        oldRevision: { revision: before.revision },
      });
      expect(r.j.newRevision.image).toMatch(new RegExp(`:${tag}$`));
      expect((r.j.reasons as string[]).join('\n')).toMatch(reason);
      expect(r.j.rollback).toMatchObject({ verdict: 'succeeded', to: { arn: before.taskDefinition } });
      expect(r.j.failures.length).toBeGreaterThan(0);
      await expectSettled(before.revision, before.tag);
    });
  }

  it('the human output of a broken deploy names the failure and the rollback (exit 10)', async () => {
    const before = await world();
    const r = await sb.berth('deploy', '--env', 'sandbox', '--tag', 'fail-exit', ...WATCH);
    expect(r.code, why(r)).toBe(10);
    expect(r.stdout).toMatch(/deploy api: FAILED/);
    expect(r.stdout).toMatch(/Essential container \S+ exited with code 1/);
    expect(r.stdout).toMatch(/rollback by (ECS \(circuit breaker\)|berth) to \S+: succeeded/);
    // the crashed task's own last log lines
    expect(r.stdout).toContain('RuntimeError: start-up check failed');
    await expectSettled(before.revision, before.tag);
  });
});

describe('berth status / health on the sandbox', () => {
  it('on the healthy service: status exits 0 with the counts, the deployment and the autoscaling range; health exits 0 with every target healthy and the certificate', async () => {
    const w = await world();
    const st = await berth('status', '--env', 'sandbox', '--json');
    expect(st.code, why(st)).toBe(0);
    const s = (st.j.services as Json[]).find((x) => x.name === svc.name)!;
    expect(s).toMatchObject({
      found: true,
      desired: w.desired,
      running: w.desired,
      pending: 0,
      autoscaling: { min: svc.minCount, max: svc.maxCount },
    });
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      revision: w.revision,
      rolloutState: 'COMPLETED',
      image: w.image,
      running: w.desired,
    });
    expect(s.targets).toMatchObject({ total: w.desired, healthy: w.desired, unhealthy: 0, reasons: {} });
    expect(st.j.cluster).toBe(sb.cluster);

    const h = await berth('health', '--env', 'sandbox', '--json');
    expect(h.code, why(h)).toBe(0);
    expect(h.j.healthy).toBe(true);
    const hs = (h.j.services as Json[])[0]!;
    expect(hs).toMatchObject({ service: svc.name, healthy: true, problems: [] });
    expect(hs.targets).toHaveLength(w.desired);
    expect(hs.targets.every((t: Json) => t.state === 'healthy' && t.port === svc.port)).toBe(true);
    expect(hs.http).toMatchObject({ ok: true, status: 200 });
    expect(hs.certificate?.daysLeft).toBeGreaterThan(14);
    expect(hs.certificate?.status ?? 'ISSUED').toBe('ISSUED');

    const human = await sb.berth('health', '--env', 'sandbox');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${svc.name}: healthy`));
    expect(human.stdout).toMatch(/certificate: \d+ days left/);
  });

  it('--no-rollback on a failing image: exit 12, the failed revision stays; health exits 1 with the reason code and status shows it; a good deploy restores', async () => {
    // Without the circuit breaker ECS keeps the failed revision too (with it, ECS would roll it
    // back on its own a moment later), and a long grace period keeps ECS from replacing the
    // unhealthy tasks at once: the unhealthy state lasts long enough to look at.
    const savedConfig = await circuitBreaker(false, 600);
    try {
      const before = await world();
      const r = await berth('deploy', '--env', 'sandbox', '--tag', 'fail-health', '--no-rollback', '--json', ...WATCH);
      expect(r.code, why(r)).toBe(12);
      expect(r.j).toMatchObject({ verdict: 'failed', exitCode: 12, rollback: null });
      expect((r.j.reasons as string[]).join('\n')).toMatch(/Target\.ResponseCodeMismatch|failed the load balancer health check/);
      const w = await world();
      expect(w.taskDefinition).toBe(r.j.newRevision.arn);
      expect(w.deployments[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: r.j.newRevision.arn });
      // the old tasks keep serving (minimumHealthyPercent 100)
      expect((await serving()).version).toBe(before.tag);

      // health sees the failing targets by their reason code (bounded wait: tasks cycle initial -> unhealthy -> replaced)
      let h: RunResult & { j: Json } = await berth('health', '--env', 'sandbox', '--json');
      for (let i = 0; i < 30 && !/Target\.ResponseCodeMismatch/.test(JSON.stringify(h.j.services?.[0]?.problems ?? [])); i++) {
        await new Promise((res) => setTimeout(res, 300));
        h = await berth('health', '--env', 'sandbox', '--json');
      }
      expect(h.code, why(h)).toBe(1);
      expect(h.j.healthy).toBe(false);
      const problems = (h.j.services[0].problems as string[]).join('\n');
      expect(problems).toMatch(/target \S+ unhealthy \(Target\.ResponseCodeMismatch: Health checks failed with these codes: \[500\]\)/);
      const human = await sb.berth('health', '--env', 'sandbox');
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(new RegExp(`${svc.name}: UNHEALTHY`));

      const st = await berth('status', '--env', 'sandbox', '--json');
      expect(st.code).toBe(0);
      const s = (st.j.services as Json[])[0]!;
      expect(s.deployments.length).toBeGreaterThanOrEqual(2);
      expect(s.deployments[0]).toMatchObject({ status: 'PRIMARY', revision: r.j.newRevision.revision, image: r.j.newRevision.image });
      expect(s.deployments.some((d: Json) => d.revision === before.revision && d.running > 0)).toBe(true);

      // restore with a good deploy over the failed one (re-enabling the breaker first would let it
      // roll the failed deployment back on its own, racing the restore)
      const good = await berth('deploy', '--env', 'sandbox', '--tag', 'v3', '--json', ...WATCH);
      expect(good.code, why(good)).toBe(0);
      rev.v3 = good.j.newRevision.revision;
    } finally {
      await circuitBreaker(savedConfig.deploymentCircuitBreaker?.enable !== false, savedConfig.grace ?? svc.healthCheck.gracePeriodSeconds);
    }
    expect((await world()).service.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    await expectSettled(rev.v3!, 'v3');
    expect((await berth('health', '--env', 'sandbox', '--json')).code).toBe(0);
  });
});

describe('berth scale / restart on the sandbox', () => {
  it('scale --count 3 (within 1..4): exit 0, watched until 3 run healthy; outside the range: exit 2, nothing changed; back to 2', async () => {
    const up = await berth('scale', '--env', 'sandbox', '--count', '3', '--json', ...WATCH);
    expect(up.code, why(up)).toBe(0);
    expect(up.j).toMatchObject({
      command: 'scale',
      verdict: 'succeeded',
      desiredCount: 3,
      range: { min: svc.minCount, max: svc.maxCount, updated: false },
    });
    let w = await world();
    expect({ desired: w.desired, running: w.running, healthy: w.healthy }).toEqual({ desired: 3, running: 3, healthy: 3 });

    const out = await berth('scale', '--env', 'sandbox', '--count', String(svc.maxCount + 1), '--json', ...WATCH);
    expect(out.code, why(out)).toBe(2);
    expect(out.stderr).toContain(`outside the autoscaling range ${svc.minCount}..${svc.maxCount}`);
    expect((await world()).desired).toBe(3);

    const down = await berth('scale', '--env', 'sandbox', '--count', String(svc.desiredCount), '--json', ...WATCH);
    expect(down.code, why(down)).toBe(0);
    w = await world();
    expect({ desired: w.desired, running: w.running, healthy: w.healthy }).toEqual({
      desired: svc.desiredCount,
      running: svc.desiredCount,
      healthy: svc.desiredCount,
    });
  });

  it('restart: exit 0, a new deployment of the same revision replaced every task, watched to completion', async () => {
    const { ListTasksCommand } = await import('@aws-sdk/client-ecs');
    const ecs = await sb.client('ecs');
    const list = async () =>
      (await ecs.send(new ListTasksCommand({ cluster: sb.cluster, serviceName: svc.name, desiredStatus: 'RUNNING' }))).taskArns ?? [];
    const before = await world();
    const tasksBefore = await list();
    const r = await berth('restart', '--env', 'sandbox', '--json', ...WATCH);
    expect(r.code, why(r)).toBe(0);
    expect(r.j).toMatchObject({
      command: 'restart',
      verdict: 'succeeded',
      oldRevision: { revision: before.revision },
      newRevision: { revision: before.revision },
    });
    expect(before.deployments.map((d) => d.id)).not.toContain(r.j.deploymentId);
    const w = await waitSettled();
    expect(w.deployments[0]!.id).toBe(r.j.deploymentId);
    const tasksAfter = await list();
    expect(tasksAfter).toHaveLength(before.desired);
    expect(tasksAfter.filter((t) => tasksBefore.includes(t))).toEqual([]);
    await expectSettled(before.revision, before.tag);
  });
});

describe('berth logs on the sandbox', () => {
  const logGroup = () => serviceNames(sb.env, svc).logGroup;

  it('--since: only events from then on, in time order; a longer window holds more', async () => {
    const wide = await berth('logs', '--env', 'sandbox', '--since', '30m', '--json');
    expect(wide.code, why(wide)).toBe(0);
    const all = wide.json as Json[];
    expect(all.length).toBeGreaterThan(10);
    const ts = all.map((e) => Date.parse(e.timestamp));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    // a cut in the middle of what exists
    const cut = ts[Math.floor(ts.length / 2)]!;
    const since = new Date(cut).toISOString();
    const narrow = await berth('logs', '--env', 'sandbox', '--since', since, '--json');
    expect(narrow.code, why(narrow)).toBe(0);
    const some = narrow.json as Json[];
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length + 50); // new lines may arrive meanwhile
    expect(some.every((e) => Date.parse(e.timestamp) >= cut)).toBe(true);
    expect(all.some((e) => Date.parse(e.timestamp) < cut)).toBe(true);
  });

  it('--filter ERROR: only matching lines, and the ones the AWS CLI finds', async () => {
    const r = await berth('logs', '--env', 'sandbox', '--since', '30m', '--filter', 'ERROR', '--json');
    expect(r.code, why(r)).toBe(0);
    const evs = r.json as Json[];
    expect(evs.length).toBeGreaterThan(0); // the failing deploys above logged their fatal errors
    expect(evs.every((e) => /ERROR/.test(e.message))).toBe(true);
    const times = evs.map((e) => Date.parse(e.timestamp));
    const start = Math.min(...times);
    const cli = await sb.aws(
      'logs',
      'filter-log-events',
      '--log-group-name',
      logGroup(),
      '--filter-pattern',
      'ERROR',
      '--start-time',
      String(start),
      '--end-time',
      String(Math.max(...times) + 1),
    );
    const theirs = ((cli.json as Json).events as Json[]).map((e) => e.message);
    for (const e of evs) expect(theirs).toContain(e.message);

    const human = await sb.berth('logs', '--env', 'sandbox', '--since', '30m', '--filter', 'ERROR');
    const lines = human.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('ERROR'))).toBe(true);
  });

  it('--follow --for 5s: prints lines written while it follows (requests to the public URL), each once', async () => {
    const marker = `/probe-${Date.now().toString(36)}`;
    const following = sb.berth('logs', '--env', 'sandbox', '--since', '5s', '--follow', '--for', '6s', '--json');
    await new Promise((r) => setTimeout(r, 1500));
    const paths = Array.from({ length: 6 }, (_, i) => `${marker}-${i}`);
    for (const p of paths) {
      const res = await fetch(`${sb.publicUrl}${p}`);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
    }
    const r = await following;
    expect(r.code, why(r)).toBe(0);
    const evs = r.json as Json[];
    const ids = evs.map((e) => e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of paths) expect(evs.filter((e) => String(e.message).includes(`"GET ${p} HTTP/1.1" 200`)).length, p).toBe(1);
  });
});
