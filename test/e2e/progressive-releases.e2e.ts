/**
 * Progressive delivery end to end on THE sandbox (issue 14): `berth deploy --strategy canary` and
 * `--strategy blue-green` for real (the spawned CLI against the emulator's ECS, whose public URL
 * splits requests between the revisions by the production rule's weights, each answer naming the
 * version that served it), sampled from outside while they run:
 *
 * - a good release: during each stage the public URL serves the new version in the stage's share
 *   (canary step: 10 % +/- 7 points over >= 60 samples, 2 s inside the stage's edges; 0 % and 100 %
 *   stages: exactly, 3 s inside the edges, which berth's polls place to within a poll), only the new one at the end, no failed request;
 * - a bad release (`fail-api`: HTTP 500 on /api/*): canary caught at its first step on the 5xx
 *   evidence, blue/green caught by the test path before any production traffic moves; exit 10,
 *   traffic back on the old revision within seconds, never more than the first step's share served
 *   by the bad revision;
 * - a canary stopped mid-way by `berth rollback` (the deploy exits 15), `berth status` showing the
 *   stage, the split and both revisions while it runs;
 * - who owns which field (docs/deployment-ownership.md): the stacks made what ECS needs (alternate
 *   target group, production and test rules, the infrastructure role); after the good canary, and
 *   again after the good blue/green that ends the releases (the failed and stopped ones before it),
 *   `berth plan` reports no change in any stack, and `berth apply` moves no traffic and reverts
 *   nothing: not the weights, not the running revision, not the service's load balancer wiring.
 *   Each release is followed by at most ONE plan, which every assertion about it reads: terraform
 *   runs two plans and one apply in this file.
 *
 * The releases read a copy of the sandbox environment with shorter bakes (canary 4 min = 12 s on the
 * emulator's clock; final bake 1 min = 3 s); terraform reads none of those fields. The file leaves the
 * service on a good tag, production on the primary target group, the strategy back on ROLLING.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetGroupsCommand, type Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsDeploymentConfiguration } from '../../src/config/deployment-ecs.js';
import { names, serviceNames } from '../../src/config/names.js';
import { productionPriority, TEST_HEADER, testPriority } from '../../src/config/routes.js';
import type { ServiceConfig } from '../../src/config/types.js';
import { sandbox, type RunResult, type Sandbox } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
let svc: ServiceConfig;
let dir: string;
let envFile: string;
let envFileTest: string;
const WATCH = ['--poll-interval', '1s', '--timeout', '3m'];
/** Tags in turn for the good releases. */
let current = '';
const tgs: { primary?: string; alternate?: string; prodRule?: string; testRule?: string } = {};
/** What the good canary left (production weights before it, the release state after it), for the plan after it. */
const afterCanary: { before?: Record<string, number>; released?: ReleaseState } = {};

interface Sample {
  start: number;
  end: number;
  status: number;
  version?: string;
}

/** Requests the public URL in a loop (two at a time) until stopped; every answer with its time and version. */
function sampler(path: string) {
  const samples: Sample[] = [];
  let on = true;
  const loop = async () => {
    while (on) {
      const start = Date.now();
      try {
        const r = await fetch(`${sb.publicUrl}${path}`, { signal: AbortSignal.timeout(5000) });
        const body = (await r.json().catch(() => ({}))) as { version?: string };
        samples.push({ start, end: Date.now(), status: r.status, version: body.version });
      } catch {
        samples.push({ start, end: Date.now(), status: 0 });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const loops = [loop(), loop()];
  return {
    samples,
    stop: async () => {
      on = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

const why = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout.slice(0, 3000)}\nstderr: ${r.stderr.slice(-3000)}`;

/** The samples that lie inside a stage (1 s away from its edges), and the share of them the new version served. */
function within(samples: Sample[], st: Json, margin = 1000): Sample[] {
  const from = Date.parse(st.startedAt) + margin;
  const to = (st.endedAt ? Date.parse(st.endedAt) : Infinity) - margin;
  return samples.filter((s) => s.start >= from && s.end <= to);
}

const share = (xs: Sample[], version: string) => (xs.length ? (xs.filter((s) => s.version === version).length / xs.length) * 100 : NaN);

async function productionWeights(): Promise<Record<string, number>> {
  const elb = await sb.client('elbv2');
  const r = (await elb.send(new DescribeRulesCommand({ RuleArns: [tgs.prodRule!] }))).Rules![0]!;
  return Object.fromEntries((r.Actions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn!, t.Weight ?? 1]));
}

/** A rule's forward weights by target group (a plain forward counts as weight 1). */
const weights = (r: Rule | undefined) =>
  Object.fromEntries(
    (r?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: r?.Actions?.[0]?.TargetGroupArn, Weight: 1 }]).map((t) => [
      t.TargetGroupArn!,
      t.Weight ?? 1,
    ]),
  );

async function rules(): Promise<Rule[]> {
  const elb = await sb.client('elbv2');
  const rule = async (arn: string) => (await elb.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules![0]!;
  return [await rule(tgs.prodRule!), await rule(tgs.testRule!)];
}

type ReleaseState = Awaited<ReturnType<typeof releaseState>>;

/** What a release may leave and an apply must not touch: the rules' weights, the revision, the load balancer wiring. */
async function releaseState() {
  const s = await service();
  return { weights: (await rules()).map(weights), taskDefinition: s.taskDefinition, loadBalancers: s.loadBalancers };
}

/** After a good release: all production traffic on one target group (the release finished its shift). */
async function shifted(): Promise<ReleaseState> {
  const st = await releaseState();
  expect(Object.values(st.weights[0]!).filter((w) => w > 0)).toHaveLength(1);
  return st;
}

/** `berth plan` of the sandbox environment: every one of the 9 stacks planned, none with a change. */
async function planHasNoChanges(): Promise<void> {
  const plan = await sb.berth('plan', '--env', 'sandbox', '--json');
  expect(plan.code, why(plan)).toBe(0);
  const stacks = (plan.json as Json).stacks as Json[];
  expect(stacks).toHaveLength(9);
  expect(stacks.filter((x) => x.changes !== false).map((x) => x.stack)).toEqual([]);
}

async function service() {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new DescribeServicesCommand({ cluster: sb.cluster, services: [svc.name] }))).services![0]!;
}

/** After a release: 40 requests, all answered 200 by `version`. */
async function servesOnly(version: string, path = '/api/items') {
  const out: Sample[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${sb.publicUrl}${path}`);
    const body = (await r.json().catch(() => ({}))) as { version?: string };
    out.push({ start: 0, end: 0, status: r.status, version: body.version });
  }
  expect(out.filter((s) => s.status !== 200 || s.version !== version)).toEqual([]);
}

async function release(tag: string, strategy: string, file = envFile, path = '/api/items') {
  const s = sampler(path);
  const r = await sb.berth('deploy', '--env', file, '--tag', tag, '--strategy', strategy, '--json', ...WATCH);
  const samples = await s.stop();
  return { r, j: (r.json ?? {}) as Json, samples };
}

const nextGood = () => (current === 'v2' ? 'v3' : 'v2');

beforeAll(async () => {
  sb = await sandbox();
  svc = sb.env.services[0]!;
  dir = join(sb.project, '.e2e', 'progressive');
  mkdirSync(dir, { recursive: true });
  const raw = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '..', '..', 'templates', 'environments', 'sandbox.json'), 'utf8'),
  ) as Json;
  const withDeployment = (extra: Json) => ({
    ...raw,
    services: raw.services.map((s: Json) => ({ ...s, deployment: { canary: { percent: 10, bakeMinutes: 4 }, bakeMinutes: 1, ...extra } })),
  });
  mkdirSync(join(dir, 'test'), { recursive: true });
  envFile = join(dir, 'sandbox.json');
  envFileTest = join(dir, 'test', 'sandbox.json');
  writeFileSync(envFile, JSON.stringify(withDeployment({}), null, 2));
  writeFileSync(envFileTest, JSON.stringify(withDeployment({ testPath: '/api/ping' }), null, 2));
  const sn = serviceNames(sb.env, svc);
  const elb = await sb.client('elbv2');
  const groups = (await elb.send(new DescribeTargetGroupsCommand({ Names: [sn.targetGroup, sn.alternateTargetGroup] }))).TargetGroups!;
  tgs.primary = groups.find((t) => t.TargetGroupName === sn.targetGroup)!.TargetGroupArn;
  tgs.alternate = groups.find((t) => t.TargetGroupName === sn.alternateTargetGroup)!.TargetGroupArn;
  const outputs = ((await sb.berth('outputs', '--env', 'sandbox', '--json')).json as Json).outputs as Json;
  tgs.prodRule = outputs.release_routes.value[svc.name].productionListenerRule;
  tgs.testRule = outputs.release_routes.value[svc.name].testListenerRule;
  const ecs = await sb.client('ecs');
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: (await service()).taskDefinition! }))).taskDefinition!;
  const image = td.containerDefinitions!.find((c) => c.name === sn.container)?.image ?? '';
  current = image.split(':').pop()!;
  expect(current).toMatch(/^v\d$/);
});

afterAll(async () => {
  if (!sb) return;
  // Production back on the primary target group (a good blue/green release swaps it), the strategy ROLLING.
  const w = await productionWeights().catch(() => ({}) as Record<string, number>);
  if ((w[tgs.alternate!] ?? 0) > 0) {
    const tag = nextGood();
    const r = await sb.berth('deploy', '--env', envFile, '--tag', tag, '--strategy', 'blue-green', '--json', ...WATCH);
    if (r.code === 0) current = tag;
  }
  const ecs = await sb.client('ecs');
  await ecs.send(
    new UpdateServiceCommand({
      cluster: sb.cluster,
      service: svc.name,
      deploymentConfiguration: ecsDeploymentConfiguration(svc.deployment, 'rolling') as never,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
});

describe('canary and blue/green releases on the sandbox, and who owns which field', () => {
  let afterBlueGreen: ReleaseState | undefined;

  it('the stacks made what ECS needs: alternate target group, production and test rules, the infrastructure role', async () => {
    const [prod, test] = await rules();
    expect(Number(prod!.Priority)).toBe(productionPriority(sb.env.services, svc));
    expect(Number(test!.Priority)).toBe(testPriority(sb.env.services, svc));
    expect(test!.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toMatchObject({
      HttpHeaderName: TEST_HEADER,
      Values: [svc.name],
    });
    // Created forwarding primary 100 / alternate 0 (a file before this one may have released since).
    for (const r of [prod, test]) expect(Object.keys(weights(r)).sort()).toEqual([tgs.primary, tgs.alternate].sort());
    const iam = await sb.client('iam');
    const role = (await iam.send(new GetRoleCommand({ RoleName: names(sb.env).ecsInfrastructureRole }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ecs.amazonaws.com' });
  });

  it('a good canary: 10 % of requests on the new version during the step, then all; no failed request; exit 0', async () => {
    const tag = nextGood();
    const old = current;
    afterCanary.before = (await releaseState()).weights[0];
    const { r, j, samples } = await release(tag, 'canary');
    expect(r.code, why(r)).toBe(0);
    current = tag;
    afterCanary.released = await shifted();
    expect(j).toMatchObject({ ok: true, verdict: 'succeeded', release: { strategy: 'canary', plannedSteps: [10, 100] } });
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    const stages = j.release.stages as Json[];
    const step = stages.find((s) => s.stage === 'PRODUCTION_TRAFFIC_SHIFT' && s.production.new === 10)!;
    expect(step, JSON.stringify(stages)).toBeDefined();
    const inStep = within(samples, step, 2000);
    expect(inStep.length).toBeGreaterThanOrEqual(60);
    expect(Math.abs(share(inStep, tag) - 10)).toBeLessThanOrEqual(7);
    process.stderr.write(
      `canary step: ${share(inStep, tag).toFixed(1)} % of ${inStep.length} samples on ${tag}; ${samples.length} samples, none failed\n`,
    );
    for (const st of stages.filter((s) => s.production.new === 0)) expect(share(within(samples, st, 3000), old) || 100).toBe(100);
    for (const st of stages.filter((s) => s.production.new === 100)) expect(share(within(samples, st, 3000), tag) || 100).toBe(100);
    await servesOnly(tag);
  }, 240_000);

  it('after the good canary, plan reports no changes and the release is left as it was', async () => {
    // The canary moved production to the other target group.
    expect(afterCanary.released!.weights[0]).not.toEqual(afterCanary.before);
    await planHasNoChanges();
    expect(await releaseState()).toEqual(afterCanary.released);
  }, 600_000);

  it('a canary whose new revision answers 5xx on /api/*: caught at the first step on the 5xx evidence, traffic back within seconds, exit 10', async () => {
    const { r, j, samples } = await release('fail-api', 'canary');
    expect(r.code, why(r)).toBe(10);
    expect(j.verdict).toBe('failed');
    expect(j.release.signals.map((s: Json) => s.kind)).toContain('http-5xx');
    expect(j.reasons.join('\n')).toMatch(/HTTP 5xx to \d+ of \d+ requests/);
    expect(Math.max(...(j.release.stages as Json[]).map((s) => s.production.new))).toBe(10);
    expect(j.release.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded' });
    expect(j.release.rollback.trafficBackAfterFirstFailureSeconds).toBeLessThanOrEqual(10);
    process.stderr.write(
      `bad canary: traffic back ${j.release.rollback.trafficBackAfterFirstFailureSeconds} s after the first 5xx seen, ${j.release.rollback.trafficBackAfterRequestSeconds} s after StopServiceDeployment\n`,
    );
    const during = samples.filter((s) => s.start >= Date.parse(j.durations.startedAt));
    const bad = during.filter((s) => s.version === 'fail-api').length;
    expect((bad / during.length) * 100).toBeLessThanOrEqual(10 + 7);
    const back = Date.parse(j.release.rollback.trafficBackAt);
    expect(samples.filter((s) => s.start > back + 1000 && s.version === 'fail-api')).toEqual([]);
    await servesOnly(current);
  }, 240_000);

  it('a blue/green whose new revision answers 5xx on the test path: stopped before any production traffic moves, exit 10', async () => {
    const { r, j, samples } = await release('fail-api', 'blue-green', envFileTest);
    expect(r.code, why(r)).toBe(10);
    expect(j.release.signals.map((s: Json) => s.kind)).toEqual(['test-path']);
    expect(Math.max(...(j.release.stages as Json[]).map((s) => s.production.new))).toBe(0);
    expect(samples.filter((s) => s.version === 'fail-api' || s.status !== 200)).toEqual([]);
    await servesOnly(current);
  }, 240_000);

  it('berth rollback during a canary: status shows the stage, the split and both revisions; rollback returns all traffic; the deploy exits 15', async () => {
    const tag = nextGood();
    const s = sampler('/api/items');
    const deploying = sb.berth('deploy', '--env', envFile, '--tag', tag, '--strategy', 'canary', '--json', ...WATCH);
    let seen: Json | undefined;
    const deadline = Date.now() + 120_000;
    while (!seen && Date.now() < deadline) {
      const st = await sb.berth('status', '--env', 'sandbox', '--json');
      const rel = (st.json as Json)?.services?.[0]?.release;
      if (rel?.production?.new === 10) seen = rel;
      else await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen, 'status never showed the canary step').toBeDefined();
    expect(seen).toMatchObject({ strategy: 'CANARY', stage: 'PRODUCTION_TRAFFIC_SHIFT', production: { old: 90, new: 10 } });
    expect(seen!.new.image).toMatch(new RegExp(`:${tag}$`));
    expect(seen!.old[0].image).toMatch(new RegExp(`:${current}$`));
    const rb = await sb.berth('rollback', '--env', 'sandbox', '--yes', '--json', ...WATCH);
    expect(rb.code, why(rb)).toBe(0);
    expect((rb.json as Json).release.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded' });
    const d = await deploying;
    const samples = await s.stop();
    expect(d.code, why(d)).toBe(15);
    expect(samples.filter((x) => x.status !== 200)).toEqual([]);
    await servesOnly(current);
  }, 240_000);

  it('a good blue/green (after the failed and stopped releases): the old version until the switch, then only the new one; no failed request; exit 0', async () => {
    const tag = nextGood();
    const old = current;
    const { r, j, samples } = await release(tag, 'blue-green');
    expect(r.code, why(r)).toBe(0);
    current = tag;
    afterBlueGreen = await shifted();
    expect(j.release.plannedSteps).toEqual([100]);
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    const stages = j.release.stages as Json[];
    expect(stages.map((s) => s.production.new)).not.toContain(10);
    for (const st of stages.filter((s) => s.production.new === 0)) expect(share(within(samples, st, 3000), old) || 100).toBe(100);
    const after = stages.filter((s) => s.production.new === 100);
    expect(after.length).toBeGreaterThan(0);
    for (const st of after) expect(share(within(samples, st, 3000), tag) || 100).toBe(100);
    await servesOnly(tag);
  }, 240_000);

  it('after the blue/green (and the releases before it), plan reports no changes and apply moves no traffic', async () => {
    const s = await service();
    expect((s as Json).deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    expect(await releaseState()).toEqual(afterBlueGreen);
    const before = await productionWeights();
    const revision = s.taskDefinition;
    await planHasNoChanges();
    const apply = await sb.berth('apply', '--env', 'sandbox', '--yes', '--json');
    expect(apply.code, why(apply)).toBe(0);
    expect(await releaseState()).toEqual(afterBlueGreen);
    expect(await productionWeights()).toEqual(before);
    expect((await service()).taskDefinition).toBe(revision);
  }, 600_000);
});
