/**
 * `berth deploy` end to end through main(), against a scripted AWS endpoint that replays the
 * recorded rollout timelines (see scripted-aws.ts): every verdict, the rollback berth starts (or
 * the one ECS did), and the exit codes scripts rely on.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { berth } from './sandbox-helper.js';
import { loadFixture } from './load-fixture.js';
import { REPO, ScriptedAws, TD, type ScriptOptions } from './scripted-aws.js';

let project: string;
let aws: ScriptedAws | undefined;
const prevProject = process.env.BERTH_PROJECT_DIR;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'berth-deploy-'));
  process.env.BERTH_PROJECT_DIR = project;
});
afterEach(async () => {
  await aws?.stop();
  aws = undefined;
  if (prevProject === undefined) delete process.env.BERTH_PROJECT_DIR;
  else process.env.BERTH_PROJECT_DIR = prevProject;
  rmSync(project, { recursive: true, force: true });
});

async function scripted(name: string, o: Omit<ScriptOptions, 'fixture'> = {}) {
  aws = await new ScriptedAws({ fixture: loadFixture(name), ...o }).start();
  mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
  writeFileSync(
    join(project, '.berth', 'sandbox', 'sandbox.json'),
    JSON.stringify({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      pid: process.pid,
      port: 0,
      publicUrl: aws.endpoint,
      startedAt: new Date().toISOString(),
    }),
  );
  return aws;
}

async function deploy(...extra: string[]) {
  const r = await berth('deploy', '--env', 'sandbox', '--image', `${REPO}:v2`, '--poll-interval', '50ms', '--json', ...extra);
  return { ...r, res: JSON.parse(r.stdout) };
}

const updates = (a: ScriptedAws) =>
  a.ops('ecs', 'UpdateService').map((c) => c.input.taskDefinition ?? (c.input.forceNewDeployment ? 'force' : c.input.desiredCount));

describe('deploy orchestration (recorded timelines)', () => {
  it('clean rollout: exit 0, only the image changed, smoke checked through the public URL with the real Host, revision marked healthy', async () => {
    const a = await scripted('clean-rollout');
    const { code, res, stderr } = await deploy();
    expect(code).toBe(0);
    expect(res).toMatchObject({
      ok: true,
      verdict: 'succeeded',
      exitCode: 0,
      oldRevision: { revision: 6, image: `${REPO}:v1` },
      newRevision: { revision: 7, image: `${REPO}:v2` },
      deploymentId: 'ecs-svc/5318942207519377408',
      rollback: null,
    });
    expect(res.durations).toEqual({
      startedAt: expect.any(String),
      verdictAfterSeconds: expect.any(Number),
      totalSeconds: expect.any(Number),
    });
    expect(updates(a)).toEqual([TD(7)]);
    const reg = a.registeredInput!;
    expect(reg).not.toHaveProperty('revision');
    expect(reg).not.toHaveProperty('requiresAttributes');
    expect((reg.containerDefinitions as { image: string }[])[0]!.image).toBe(`${REPO}:v2`);
    expect(a.ops('http')).toEqual([expect.objectContaining({ op: '/health', host: 'api.berth.test' })]);
    const tagged = a
      .ops('ecs', 'TagResource')
      .map((c) => `${String(c.input.resourceArn).split('/').pop()} ${(c.input.tags as { key: string }[])[0]!.key}`);
    expect(tagged).toEqual(['demo-sandbox-api:6 berth:healthy-at', 'demo-sandbox-api:7 berth:healthy-at']);
    expect(stderr).toMatch(/ok deploying demo-sandbox-api:7: succeeded/);
  });

  it('image not in ECR: failed at the first task, berth rolls back to rev 6 and watches it: exit 10', async () => {
    const a = await scripted('pull-error');
    const { code, res } = await deploy();
    expect(code).toBe(10);
    expect(res.verdict).toBe('failed');
    expect(res.reasons[0]).toContain(
      'CannotPullContainerError: image 123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v2 not found in ECR — push it or fix the tag',
    );
    expect(res.failures[0]).toMatchObject({ kind: 'image-not-found', count: 1 });
    expect(res.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded', to: { revision: 6 } });
    expect(res.durations.rollbackSeconds).toEqual(expect.any(Number));
    expect(updates(a)).toEqual([TD(7), TD(6)]);
  });

  it('--no-rollback: exit 12 and the service is left alone', async () => {
    const a = await scripted('pull-error');
    const { code, res } = await deploy('--no-rollback');
    expect(code).toBe(12);
    expect(res.rollback).toBeNull();
    expect(updates(a)).toEqual([TD(7)]);
  });

  it('the app exits 1 and the rollback fails too: exit 11, with the log lines of a failed task', async () => {
    const a = await scripted('essential-exit', { rollback: 'fails' });
    const { code, res } = await deploy();
    expect(code).toBe(11);
    expect(res.failures[0].logLines).toContain('ERROR:    Application startup failed. Exiting.');
    expect(a.ops('logs', 'GetLogEvents')[0]!.input).toMatchObject({
      logGroupName: '/ecs/demo-sandbox/api',
      logStreamName: 'api/api/a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e1',
    });
    expect(res.rollback).toMatchObject({ by: 'berth', verdict: 'failed' });
    expect(res.rollback.reasons[0]).toMatch(/the execution role demo-sandbox-api-exec cannot read the secret/);
  });

  it('ECS circuit breaker rolled back: reported as failed (never success), the ECS rollback verified: exit 10, berth does not roll back itself', async () => {
    const a = await scripted('circuit-breaker');
    const { code, res } = await deploy('--max-failed-tasks', '10');
    expect(code).toBe(10);
    expect(res.ok).toBe(false);
    expect(res.verdict).toBe('rolled-back-by-ecs');
    expect(res.rollback).toMatchObject({
      by: 'ecs',
      verdict: 'succeeded',
      deploymentId: 'ecs-svc/8890160011289234176',
      to: { revision: 6 },
    });
    expect(updates(a)).toEqual([TD(7)]);
  });

  it('superseded by another deploy: exit 14, no rollback', async () => {
    const a = await scripted('superseded');
    const { code, res } = await deploy();
    expect(code).toBe(14);
    expect(res.verdict).toBe('superseded');
    expect(res.rollback).toBeNull();
    expect(updates(a)).toEqual([TD(7)]);
  });

  it('unhealthy targets: failed with the reason code, rolled back: exit 10', async () => {
    await scripted('unhealthy-targets');
    const { code, res } = await deploy();
    expect(code).toBe(10);
    expect(res.reasons[0]).toMatch(/^target 10\.0\.10\.54:8001 unhealthy \(Target\.ResponseCodeMismatch/);
  });

  it('timeout: exit 13 even though the rollback succeeded', async () => {
    const a = await scripted('timeout');
    const { code, res } = await deploy('--timeout', '1s');
    expect(code).toBe(13);
    expect(res.verdict).toBe('timed-out');
    expect(res.rollback).toMatchObject({ verdict: 'succeeded' });
    expect(updates(a)).toEqual([TD(7), TD(6)]);
  });

  it('throttled DescribeServices: the SDK and the loop back off, the deploy still succeeds', async () => {
    const a = await scripted('clean-rollout', { throttleFirst: 3 });
    const { code } = await deploy();
    expect(code).toBe(0);
    expect(a.ops('ecs', 'DescribeServices').length).toBeGreaterThanOrEqual(3 + 4);
  });

  it('the health URL answers 503 while ECS is green: failed; the rollback fails the same check: exit 11', async () => {
    await scripted('clean-rollout', { healthStatus: 503 });
    const { code, res } = await deploy();
    expect(code).toBe(11);
    expect(res.reasons[0]).toMatch(/the health URL https:\/\/api\.berth\.test\/health answered 503 3 times in a row/);
  });

  it('human output names the verdict, the fix, and the rollback', async () => {
    await scripted('pull-error');
    const r = await berth('deploy', '--env', 'sandbox', '--image', `${REPO}:v2`, '--poll-interval', '50ms');
    expect(r.code).toBe(10);
    expect(r.stdout).toMatch(
      /^deploy api: FAILED after \d+s \(exit 10\)\n {2}demo-sandbox-api:6 \(.*:v1\) -> demo-sandbox-api:7 \(.*:v2\)/,
    );
    expect(r.stdout).toContain('push it or fix the tag');
    expect(r.stdout).toMatch(/rollback by berth to demo-sandbox-api:6: succeeded/);
    expect(r.stderr).toMatch(/FAIL deploying demo-sandbox-api:7: failed after/);
  });
});
