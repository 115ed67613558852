// deploy/rollback/scale over a fake EcsOps (no AWS, no server): the checks before any change,
// inputs left as they were, and the pure result builders.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../src/config/load.js';
import { UsageError } from '../../src/output/errors.js';
import { EXIT } from '../../src/output/exit-codes.js';
import { Reporter } from '../../src/output/reporter.js';
import type { EcsOps } from '../../src/rollout/ecs-ops.js';
import { baseResult, exitCodeForDeployFailure, judgedResult, type ResultBase } from '../../src/rollout/op-result.js';
import type { Op, RollbackOutcome } from '../../src/rollout/op-types.js';
import { rollback } from '../../src/rollout/rollback.js';
import { scale } from '../../src/rollout/scale.js';
import { locate } from '../../src/rollout/target.js';
import type { Judgement } from '../../src/rollout/types.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-sandbox-api:${n}`;

function fakeOps(over: Partial<EcsOps> = {}): EcsOps & { calls: string[] } {
  const calls: string[] = [];
  const rec =
    <A extends unknown[], R>(name: string, answer: (...a: A) => R) =>
    async (...a: A) => {
      calls.push(name);
      return answer(...a);
    };
  const taskDefinition = {
    family: 'demo-sandbox-api',
    containerDefinitions: [{ name: 'app', image: 'repo/api:v1', logConfiguration: {} }],
  };
  return {
    calls,
    describeService: rec('describeService', () => ({
      serviceName: 'api',
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinition: TD(6),
      deployments: [{ id: 'd1', status: 'PRIMARY' }],
    })),
    describeTaskDefinition: rec('describeTaskDefinition', (td: string) => ({
      taskDefinition: { ...taskDefinition, taskDefinitionArn: td },
      tags: [],
    })),
    registerTaskDefinition: rec('registerTaskDefinition', () => ({ arn: TD(8) })),
    updateService: rec('updateService', () => undefined),
    tagResource: rec('tagResource', () => undefined),
    listTaskDefinitions: rec('listTaskDefinitions', () => [TD(6), TD(5)]),
    successfulDeployments: rec('successfulDeployments', () => []),
    repositoryUri: rec('repositoryUri', () => 'repo/api'),
    describeImage: rec('describeImage', () => undefined),
    describeScalableTarget: rec('describeScalableTarget', () => ({ min: 1, max: 4 })),
    registerScalableTarget: rec('registerScalableTarget', () => undefined),
    ...over,
  };
}

function op(ecsOps: EcsOps): Op {
  const env = parseEnvironment(
    JSON.parse(readFileSync(new URL('../../templates/environments/sandbox.json', import.meta.url), 'utf8')),
    'sandbox.json',
    'sandbox',
  );
  const svc = env.services[0]!;
  return {
    env,
    svc,
    ctx: {} as never,
    loc: locate(env, svc),
    reporter: new Reporter({ quiet: true, caps: { rich: false, canPrompt: false } }),
    ecsOps,
  };
}

const watch = { timeoutMs: 60_000, maxFailedTasks: 2, smoke: false };
const changes = (calls: string[]) => calls.filter((c) => /^(update|register|tag)/.test(c));

describe('operations over EcsOps: checked before any change', () => {
  it('scale outside the autoscaling range without --update-range: usage error, nothing changed', async () => {
    const ops = fakeOps();
    const err = await scale(op(ops), { ...watch, count: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(EXIT.USAGE);
    expect(changes(ops.calls)).toEqual([]);
  });

  it('scale to a negative or fractional count: usage error before any AWS call', async () => {
    const ops = fakeOps();
    await expect(scale(op(ops), { ...watch, count: -1 })).rejects.toBeInstanceOf(UsageError);
    await expect(scale(op(ops), { ...watch, count: 1.5 })).rejects.toBeInstanceOf(UsageError);
    expect(ops.calls).toEqual([]);
  });

  it('rollback without --yes and no terminal: usage error, nothing changed, the caller’s Op left as it was', async () => {
    const ops = fakeOps();
    const o = op(ops);
    const before = structuredClone(o.loc);
    const err = await rollback(o, { ...watch, to: '5', canPrompt: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(changes(ops.calls)).toEqual([]);
    expect(o.loc).toEqual(before);
  });

  it('rollback to the running revision: usage error, nothing changed', async () => {
    const ops = fakeOps();
    await expect(rollback(op(ops), { ...watch, to: '6', yes: true, canPrompt: false })).rejects.toBeInstanceOf(UsageError);
    expect(changes(ops.calls)).toEqual([]);
  });
});

describe('operation results (pure)', () => {
  const rb = (verdict: RollbackOutcome['verdict']): RollbackOutcome => ({
    by: 'berth',
    to: { arn: TD(6) },
    verdict,
    reasons: [],
    durationSeconds: 30,
  });

  it('a failed deploy: rolled back 10, rollback failed 11, no rollback 12, timed out 13 whether or not the rollback worked', () => {
    expect(exitCodeForDeployFailure('failed', rb('succeeded'))).toBe(EXIT.DEPLOY_FAILED_ROLLED_BACK);
    expect(exitCodeForDeployFailure('failed', rb('failed'))).toBe(EXIT.DEPLOY_FAILED_ROLLBACK_FAILED);
    expect(exitCodeForDeployFailure('failed', null)).toBe(EXIT.DEPLOY_FAILED_NO_ROLLBACK);
    expect(exitCodeForDeployFailure('timed-out', null)).toBe(EXIT.DEPLOY_TIMED_OUT);
    expect(exitCodeForDeployFailure('timed-out', rb('succeeded'))).toBe(EXIT.DEPLOY_TIMED_OUT);
    expect(exitCodeForDeployFailure('timed-out', rb('failed'))).toBe(EXIT.DEPLOY_FAILED_ROLLBACK_FAILED);
    expect(exitCodeForDeployFailure('rolled-back-by-ecs', { ...rb('succeeded'), by: 'ecs' })).toBe(EXIT.DEPLOY_FAILED_ROLLED_BACK);
    expect(exitCodeForDeployFailure('rolled-back-by-ecs', { ...rb('timed-out'), by: 'ecs' })).toBe(EXIT.DEPLOY_FAILED_ROLLBACK_FAILED);
  });

  it('the result is built whole from frozen inputs: verdict, reasons, rollback and durations', () => {
    const base: ResultBase = Object.freeze({
      command: 'deploy',
      service: 'api',
      cluster: 'demo-sandbox',
      startedAt: Date.parse('2026-01-01T00:00:00Z'),
      oldRevision: Object.freeze({ arn: TD(6) }),
      newRevision: Object.freeze({ arn: TD(7) }),
      warnings: Object.freeze([]) as unknown as string[],
    });
    const judgement = Object.freeze({
      verdict: 'failed',
      reasons: ['app exited 1'],
      evidence: { deploymentId: 'd2', failures: [], elapsedMs: 41_600 },
    }) as unknown as Judgement;
    const r = judgedResult(base, {
      judgement,
      exitCode: 10,
      image: 'repo/api:v2',
      leadReasons: ['first'],
      rollback: rb('succeeded'),
      endedAt: base.startedAt + 95_000,
    });
    expect(r).toMatchObject({
      ok: false,
      verdict: 'failed',
      exitCode: 10,
      deploymentId: 'd2',
      reasons: ['first', 'app exited 1'],
      rollback: { verdict: 'succeeded' },
    });
    expect(r.durations).toEqual({ startedAt: '2026-01-01T00:00:00.000Z', verdictAfterSeconds: 42, rollbackSeconds: 30, totalSeconds: 95 });
    expect(baseResult(base)).toMatchObject({ ok: false, verdict: 'in-progress', exitCode: EXIT.FAILED, rollback: null });
  });
});
