// One poll of a release (fetch.ts) over a fake ECS/ELB/CloudWatch: the metrics less the baseline,
// the weights from the production rule, and berth's test hook (the test path, then CONTINUE).
import { describe, expect, it } from 'vitest';
import { lessBaseline, makeReleaseFetcher } from '../../../src/rollout/release/fetch.js';
import type { ReleaseTraffic } from '../../../src/rollout/release/setup.js';
import { fakeWorld, LB, PROD_RULE, TG_A, TG_B } from './fake-release.js';
import { identity, T0 } from './timeline.js';

const traffic: ReleaseTraffic = {
  loadBalancerArn: LB,
  primaryTargetGroupArn: TG_A,
  alternateTargetGroupArn: TG_B,
  productionRuleArn: PROD_RULE,
  roleArn: 'role',
  containerName: 'api',
  containerPort: 8080,
  blueTargetGroupArn: TG_A,
  greenTargetGroupArn: TG_B,
};

const hooked = {
  stage: 'POST_TEST_TRAFFIC_SHIFT',
  status: 'IN_PROGRESS',
  newWeight: 0,
  deployment: { lifecycleHookDetails: [{ hookId: 'h-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }] },
};

function fetcher(answers: { ok: boolean; status: number }[]) {
  const w = fakeWorld({ t0: T0, moving: true, script: [hooked] });
  const smokes = [...answers];
  const f = makeReleaseFetcher(
    {
      ops: w.release,
      traffic,
      tasks: async () => [],
      logLines: async () => [],
      testSmoke: async () => ({ url: 'https://x/api/ping', ...smokes.shift()! }),
      now: w.clock.now,
      metricsStart: new Date(T0),
    },
    undefined,
  );
  return { w, f };
}

describe('one poll of a release', () => {
  it('the test path answers 2xx three times while the hook waits: ContinueServiceDeployment CONTINUE, once', async () => {
    const { w, f } = fetcher([
      { ok: true, status: 200 },
      { ok: true, status: 200 },
      { ok: true, status: 200 },
    ]);
    const s = await f(identity({ testPath: '/api/ping' }));
    expect(s.testPassed).toBe(true);
    expect(w.calls.filter((c) => c.name === 'continueServiceDeployment').map((c) => c.arg)).toEqual(['CONTINUE']);
  });

  it('the test path answers 500: no CONTINUE; the failing answer is in the snapshot for the judgement', async () => {
    const { w, f } = fetcher([
      { ok: true, status: 200 },
      { ok: false, status: 500 },
    ]);
    const s = await f(identity({ testPath: '/api/ping' }));
    expect(s.testSmoke).toMatchObject({ ok: false, status: 500 });
    expect(s.testPassed).toBeUndefined();
    expect(w.calls.some((c) => c.name === 'continueServiceDeployment')).toBe(false);
  });

  it('without a test path the hook is none of its business', async () => {
    const { w, f } = fetcher([]);
    await f(identity());
    expect(w.calls.some((c) => c.name === 'continueServiceDeployment')).toBe(false);
  });

  it('a poll in the first second of the release’s minute asks CloudWatch for a window that ends after it starts', async () => {
    const { w, f } = fetcher([]);
    await f(identity());
    const q = w.calls.find((c) => c.name === 'metrics')!.arg as { start: Date; end: Date };
    expect(q.start.getTime()).toBe(T0);
    expect(w.clock.now() - T0).toBeLessThan(1000);
    expect(q.end.getTime() - q.start.getTime()).toBeGreaterThanOrEqual(60_000);
  });

  it('metrics: what the same minute counted before the release is not the new revision’s', () => {
    expect(
      lessBaseline({ requests: 50, http5xx: 9, latencyTotalSeconds: 5 }, { requests: 10, http5xx: 9, latencyTotalSeconds: 1 }),
    ).toEqual({
      requests: 40,
      http5xx: 0,
      latencySeconds: 0.1,
    });
    expect(lessBaseline({ requests: 4, http5xx: 0, latencyTotalSeconds: 1 }, undefined)).toEqual({
      requests: 4,
      http5xx: 0,
      latencySeconds: 0.25,
    });
  });
});

describe('the test hook once the release rolls back', () => {
  it('a hook still listed as waiting on a release rolling back: no test request, no CONTINUE', async () => {
    const w = fakeWorld({ t0: T0, moving: true, script: [{ ...hooked, status: 'ROLLBACK_REQUESTED' }] });
    let asked = 0;
    const f = makeReleaseFetcher(
      {
        ops: w.release,
        traffic,
        tasks: async () => [],
        logLines: async () => [],
        testSmoke: async () => (asked++, { url: 'https://x/api/ping', ok: true, status: 200 }),
        now: w.clock.now,
        metricsStart: new Date(T0),
      },
      undefined,
    );
    await f(identity({ testPath: '/api/ping' }));
    expect(asked).toBe(0);
    expect(w.calls.some((c) => c.name === 'continueServiceDeployment')).toBe(false);
  });
});
