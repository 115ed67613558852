// `berth deploy` with a progressive strategy over a fake ECS/ELB/CloudWatch (no AWS, no server):
// the UpdateService it sends, the stage machine to the verdict, traffic rolled back FIRST on
// failure, the exit codes, and the checks before anything changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/config/load.js';
import { BerthError, UsageError } from '../../../src/output/errors.js';
import { EXIT } from '../../../src/output/exit-codes.js';
import { Reporter } from '../../../src/output/reporter.js';
import { deploy } from '../../../src/rollout/deploy.js';
import { rollback } from '../../../src/rollout/rollback.js';
import type { Op } from '../../../src/rollout/op-types.js';
import { renderOp } from '../../../src/rollout/render-op.js';
import {
  backToRolling,
  parseStrategy,
  progressiveSettings,
  releaseSettings,
  type ReleaseSettings,
} from '../../../src/rollout/release/settings.js';
import { locate } from '../../../src/rollout/target.js';
import { fakeWorld, PROD_RULE, ROLE, TEST_RULE, TG_A, TG_B, type FakeWorld, type ScriptedPoll } from './fake-release.js';
import { T0 } from './timeline.js';

const env = parseEnvironment(
  JSON.parse(readFileSync(new URL('../../../templates/environments/sandbox.json', import.meta.url), 'utf8')),
  'sandbox.json',
  'sandbox',
);

function op(w: FakeWorld): Op {
  const svc = env.services[0]!;
  return {
    env,
    svc,
    ctx: {} as never,
    loc: locate(env, svc),
    reporter: new Reporter({ quiet: true, caps: { rich: false, canPrompt: false } }),
    ecsOps: w.ecs,
    releaseOps: w.release,
  };
}

const canary: ReleaseSettings = releaseSettings(
  { ...env.services[0]!, deployment: { ...env.services[0]!.deployment, canary: { percent: 10, bakeMinutes: 1 }, bakeMinutes: 1 } },
  'canary',
);

function run(w: FakeWorld, release: ReleaseSettings = canary) {
  return deploy(op(w), {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/other/api:v2',
    rollback: true,
    imageCheck: false,
    timeoutMs: 10 * 60_000,
    maxFailedTasks: 2,
    smoke: false,
    pollMs: 1000,
    now: w.clock.now,
    sleep: w.clock.sleep,
    release,
  });
}

const healthy = [{ Target: { Id: '10.0.1.21', Port: 8080 }, TargetHealth: { State: 'healthy' } }];
const prelude: ScriptedPoll[] = [
  { stage: 'PRE_SCALE_UP', status: 'IN_PROGRESS', newWeight: 0 },
  { stage: 'SCALE_UP', status: 'IN_PROGRESS', newWeight: 0 },
  { stage: 'TEST_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 0, targets: healthy },
];
const changes = (w: FakeWorld) => w.calls.filter((c) => /^(update|register|tag|stop)/.test(c.name)).map((c) => c.name);

describe('deploy --strategy canary over a fake ECS', () => {
  it('a good release: UpdateService carries the strategy and the advancedConfiguration; exit 0; the JSON has every stage with its times and weights', async () => {
    const w = fakeWorld({
      t0: T0,
      baseline: 7, // 5xx counted on the alternate target group in the same minute, before the release: not ours
      script: [
        ...prelude,
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 20, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 40, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 100, requests: 200, targets: healthy },
        { stage: 'BAKE_TIME', status: 'IN_PROGRESS', newWeight: 100, requests: 400, targets: healthy },
        { stage: 'CLEAN_UP', status: 'SUCCESSFUL', newWeight: 100, requests: 500, targets: healthy },
      ],
    });
    const r = await run(w);
    expect(r.exitCode).toBe(EXIT.DEPLOY_SUCCEEDED);
    expect(r.verdict).toBe('succeeded');
    const update = w.calls.find((c) => c.name === 'updateService')!.arg as Record<string, unknown>;
    expect(update).toMatchObject({
      taskDefinition: expect.stringMatching(/:8$/),
      deploymentConfiguration: {
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
        bakeTimeInMinutes: 1,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      loadBalancers: [
        {
          targetGroupArn: TG_A,
          containerName: 'api',
          containerPort: 8080,
          advancedConfiguration: {
            alternateTargetGroupArn: TG_B,
            productionListenerRule: PROD_RULE,
            testListenerRule: TEST_RULE,
            roleArn: ROLE,
          },
        },
      ],
    });
    const rel = JSON.parse(JSON.stringify(r)).release;
    expect(rel.targetGroups).toEqual({ old: TG_A, new: TG_B });
    expect(rel.plannedSteps).toEqual([10, 100]);
    expect(rel.stages.map((s: { stage: string; production: { new: number } }) => [s.stage, s.production.new])).toEqual([
      ['PRE_SCALE_UP', 0],
      ['SCALE_UP', 0],
      ['TEST_TRAFFIC_SHIFT', 0],
      ['PRODUCTION_TRAFFIC_SHIFT', 10],
      ['PRODUCTION_TRAFFIC_SHIFT', 100],
      ['BAKE_TIME', 100],
      ['CLEAN_UP', 100],
    ]);
    for (const s of rel.stages) {
      expect(Date.parse(s.startedAt)).toBeGreaterThanOrEqual(T0);
      expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    }
    expect(rel.metrics).toMatchObject({ requests: 500, http5xx: 0 });
    expect(rel.rollback).toBeNull();
    expect(changes(w)).toEqual(['tagResource', 'registerTaskDefinition', 'updateService', 'tagResource']);
    expect(renderOp(r)).toMatch(/PRODUCTION_TRAFFIC_SHIFT\s+production 10% new \/ 90% old/);
  });

  it('5xx at the first step: StopServiceDeployment is the first change after the failing poll; traffic back; exit 10 with the evidence', async () => {
    const w = fakeWorld({
      t0: T0,
      script: [
        ...prelude,
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 3, http5xx: 1, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 30, http5xx: 9, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 100, requests: 300, http5xx: 90 },
      ],
      rollback: [
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_IN_PROGRESS', newWeight: 0 },
        { stage: 'CLEAN_UP', status: 'ROLLBACK_SUCCESSFUL', newWeight: 0 },
      ],
    });
    const r = await run(w);
    expect(r.exitCode).toBe(EXIT.DEPLOY_FAILED_ROLLED_BACK);
    expect(r.verdict).toBe('failed');
    expect(r.reasons[0]).toMatch(/HTTP 5xx to 9 of 30 requests \(30%, above 1%\)/);
    const names = w.calls.map((c) => c.name);
    const failingPoll = names.lastIndexOf('describeServiceDeployment', names.indexOf('stopServiceDeployment'));
    expect(names.slice(failingPoll + 1, names.indexOf('stopServiceDeployment')).filter((n) => /^(update|register|tag)/.test(n))).toEqual(
      [],
    );
    expect(w.calls.find((c) => c.name === 'stopServiceDeployment')!.arg).toMatch(/service-deployment\//);
    const rel = r.release!;
    expect(rel.signals.map((s) => s.kind)).toEqual(['http-5xx']);
    expect(Math.max(...rel.stages.map((s) => s.production.new))).toBe(10);
    expect(rel.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded', status: 'ROLLBACK_SUCCESSFUL' });
    expect(rel.rollback!.trafficBackAfterRequestSeconds).toBeLessThanOrEqual(1);
    expect(rel.rollback!.trafficBackAfterFirstFailureSeconds).toBeGreaterThan(0);
    expect(rel.production).toEqual({ old: 100, new: 0 });
    expect(r.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded' });
    // the new revision is marked failed
    expect(
      w.calls
        .filter((c) => c.name === 'tagResource')
        .map((c) => c.arg)
        .pop(),
    ).toBeDefined();
  });

  it('ECS cannot bring traffic back (ROLLBACK_FAILED): exit 11', async () => {
    const w = fakeWorld({
      t0: T0,
      script: [
        ...prelude,
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 30, http5xx: 30, targets: healthy },
      ],
      rollback: [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_FAILED', newWeight: 10 }],
    });
    const r = await run(w);
    expect(r.exitCode).toBe(EXIT.DEPLOY_FAILED_ROLLBACK_FAILED);
    expect(r.release!.rollback).toMatchObject({ by: 'berth', verdict: 'failed', status: 'ROLLBACK_FAILED' });
  });

  it('stopped from outside (berth rollback in another terminal): berth does not stop it again; it waits for traffic back; exit 15', async () => {
    const w = fakeWorld({
      t0: T0,
      script: [
        ...prelude,
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10, requests: 30, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_REQUESTED', newWeight: 10, requests: 30, targets: healthy },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_IN_PROGRESS', newWeight: 0, requests: 30 },
        { stage: 'CLEAN_UP', status: 'ROLLBACK_SUCCESSFUL', newWeight: 0, requests: 30 },
      ],
    });
    const r = await run(w);
    expect(r.exitCode).toBe(EXIT.RELEASE_STOPPED);
    expect(w.calls.some((c) => c.name === 'stopServiceDeployment')).toBe(false);
    expect(r.release!.rollback).toMatchObject({ by: 'outside', verdict: 'succeeded' });
  });

  it('blue-green: all traffic at once once the new revision is healthy; UpdateService says BLUE_GREEN and no canary block', async () => {
    const w = fakeWorld({
      t0: T0,
      script: [
        ...prelude,
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 100, requests: 50, targets: healthy },
        { stage: 'BAKE_TIME', status: 'IN_PROGRESS', newWeight: 100, requests: 80, targets: healthy },
        { stage: 'CLEAN_UP', status: 'SUCCESSFUL', newWeight: 100, requests: 90, targets: healthy },
      ],
    });
    const r = await run(w, { ...canary, strategy: 'blue-green', deployment: { ...canary.deployment, strategy: 'blue-green' } });
    expect(r.exitCode).toBe(0);
    const dc = (w.calls.find((c) => c.name === 'updateService')!.arg as { deploymentConfiguration: Record<string, unknown> })
      .deploymentConfiguration;
    expect(dc.strategy).toBe('BLUE_GREEN');
    expect(dc).not.toHaveProperty('canaryConfiguration');
    expect(r.release!.plannedSteps).toEqual([100]);
  });
});

describe('checked before anything changes', () => {
  it('the alternate target group missing: exit 16 naming it, nothing registered or updated', async () => {
    const w = fakeWorld({ t0: T0, script: prelude, missing: ['demo-sandbox-api-alt'] });
    const err = await run(w).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).exitCode).toBe(EXIT.RELEASE_NOT_READY);
    expect((err as BerthError).code).toBe('release.not-ready');
    expect((err as BerthError).message).toMatch(/alternate target group demo-sandbox-api-alt not found/);
    expect(changes(w)).toEqual([]);
  });

  it('--strategy bogus and --no-rollback with a progressive strategy: bad input (exit 2)', () => {
    expect(() => parseStrategy('bogus')).toThrow(UsageError);
    expect(() => parseStrategy('bogus')).toThrow(/--strategy "bogus" .* expected one of rolling, blue-green, canary, linear/);
    const e = (() => {
      try {
        progressiveSettings(env, env.services[0]!, 'canary', false);
      } catch (x) {
        return x as UsageError;
      }
    })();
    expect(e?.exitCode).toBe(EXIT.USAGE);
    expect(e?.code).toBe('usage.flag-combination');
    expect(progressiveSettings(env, env.services[0]!, 'rolling', false)).toBeUndefined();
  });
});

describe('berth rollback during a release', () => {
  const rb = (w: FakeWorld, yes = true) =>
    rollback(op(w), {
      timeoutMs: 10 * 60_000,
      maxFailedTasks: 2,
      smoke: false,
      pollMs: 1000,
      now: w.clock.now,
      sleep: w.clock.sleep,
      yes,
      canPrompt: false,
    });

  it('a canary at 10 %: StopServiceDeployment ROLLBACK, watched until ECS and the listener agree all traffic is back; exit 0', async () => {
    const w = fakeWorld({
      t0: T0,
      moving: true,
      script: [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10 }],
      rollback: [
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_IN_PROGRESS', newWeight: 10 },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_IN_PROGRESS', newWeight: 0 },
        { stage: 'CLEAN_UP', status: 'ROLLBACK_SUCCESSFUL', newWeight: 0 },
      ],
    });
    const r = await rb(w);
    expect(r.exitCode).toBe(EXIT.OK);
    expect(r.command).toBe('rollback');
    expect(r.oldRevision.revision).toBe(8);
    expect(r.newRevision.revision).toBe(7);
    expect(changes(w)).toEqual(['stopServiceDeployment']);
    expect(r.release!.rollback).toMatchObject({ by: 'berth', verdict: 'succeeded', status: 'ROLLBACK_SUCCESSFUL' });
    expect(r.release!.rollback!.trafficBackAfterRequestSeconds).toBe(1);
  });

  it('ECS cannot roll it back: exit 11', async () => {
    const w = fakeWorld({
      t0: T0,
      moving: true,
      script: [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10 }],
      rollback: [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_FAILED', newWeight: 10 }],
    });
    expect((await rb(w)).exitCode).toBe(EXIT.DEPLOY_FAILED_ROLLBACK_FAILED);
  });

  it('without --yes and no terminal: refused before anything changes', async () => {
    const w = fakeWorld({ t0: T0, moving: true, script: [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'IN_PROGRESS', newWeight: 10 }] });
    await expect(rb(w, false)).rejects.toBeInstanceOf(UsageError);
    expect(changes(w)).toEqual([]);
  });
});

describe('a rolling change after a release', () => {
  it('puts the service back on ROLLING (keeping the rolling fields); nothing extra when it is rolling already', () => {
    const svc = env.services[0]!;
    expect(backToRolling(svc, { strategy: 'CANARY' })).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      strategy: 'ROLLING',
      alarms: { alarmNames: [], enable: false, rollback: false },
    });
    expect(backToRolling(svc, { strategy: 'ROLLING' })).toBeUndefined();
    expect(backToRolling(svc, {})).toBeUndefined();
  });
});
