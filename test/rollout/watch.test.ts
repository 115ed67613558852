import { describe, expect, it } from 'vitest';
import { watch, isThrottle } from '../../src/rollout/watch.js';
import type { Identity, Snapshot } from '../../src/rollout/types.js';
import { loadFixture, toSnapshot } from './load-fixture.js';

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'ThrottlingException';
  Object.assign(e, { $metadata: { httpStatusCode: 400 } });
  return e;
}

/** A fetcher replaying recorded polls: an `error` poll throws what the SDK would have thrown. */
function replay(polls: ReturnType<typeof loadFixture>['snapshots']) {
  let i = 0;
  return {
    fetch: async (_id: Identity): Promise<Snapshot> => {
      const p = polls[Math.min(i++, polls.length - 1)]!;
      if (p.error) throw throttle();
      return toSnapshot(p);
    },
    calls: () => i,
    clock: () => Date.parse(String(polls[Math.min(Math.max(i - 1, 0), polls.length - 1)]!.at)),
  };
}

describe('watch loop', () => {
  it('backs off on ThrottlingException (doubling), resets after a good poll, and reaches the verdict', async () => {
    const f = loadFixture('throttling');
    const r = replay(f.snapshots);
    const sleeps: number[] = [];
    const lines: string[] = [];
    const res = await watch(
      f.identity,
      { fetch: r.fetch, sleep: async (ms) => void sleeps.push(ms), now: r.clock, onProgress: (l) => lines.push(l) },
      { pollMs: 1000 },
    );
    expect(res.judgement.verdict).toBe('succeeded');
    expect(sleeps).toEqual([1000, 2000, 4000, 1000, 1000]);
    expect(res.failedPolls).toBe(2);
    expect(res.polls).toBe(6);
    expect(lines.some((l) => /poll failed: ThrottlingException/.test(l))).toBe(true);
  });

  it('caps the back-off', async () => {
    const f = loadFixture('throttling');
    const polls = [f.snapshots[0]!, ...Array.from({ length: 8 }, () => f.snapshots[1]!), ...f.snapshots.slice(3)];
    const r = replay(polls);
    const sleeps: number[] = [];
    await watch(
      f.identity,
      { fetch: r.fetch, sleep: async (ms) => void sleeps.push(ms), now: r.clock },
      { pollMs: 1000, maxBackoffMs: 8000 },
    );
    expect(Math.max(...sleeps)).toBe(8000);
    expect(sleeps.slice(1, 9)).toEqual([2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000]);
  });

  it('a non-transient error (AccessDenied) ends the watch with that error', async () => {
    const f = loadFixture('clean-rollout');
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:DescribeServices'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(watch(f.identity, { fetch: async () => Promise.reject(denied), sleep: async () => {}, now: () => 0 })).rejects.toThrow(
      /not authorized/,
    );
  });

  it('progress is reported once per change, not once per poll', async () => {
    const f = loadFixture('timeout');
    const r = replay(f.snapshots);
    const lines: string[] = [];
    const res = await watch(f.identity, { fetch: r.fetch, sleep: async () => {}, now: r.clock, onProgress: (l) => lines.push(l) });
    expect(res.judgement.verdict).toBe('timed-out');
    expect(res.polls).toBe(4);
    expect(lines).toEqual(['0/2 running, 2 pending, 2 old, targets 0 healthy, rollout in progress']);
  });

  it('runs the smoke check only when everything else is green, and feeds its result to the verdict', async () => {
    const f = loadFixture('clean-rollout');
    const r = replay(f.snapshots);
    let smokes = 0;
    const res = await watch(
      { ...f.identity, smoke: true },
      {
        fetch: r.fetch,
        sleep: async () => {},
        now: r.clock,
        smoke: async () => {
          smokes++;
          return { url: 'https://api.berth.test/health', ok: true, status: 200 };
        },
      },
    );
    expect(res.judgement.verdict).toBe('succeeded');
    expect(smokes).toBe(1);
    expect(r.calls()).toBe(4);
  });

  it('pins our deployment id once seen', async () => {
    const f = loadFixture('clean-rollout');
    const r = replay(f.snapshots);
    const res = await watch(f.identity, { fetch: r.fetch, sleep: async () => {}, now: r.clock });
    expect(res.identity.deploymentId).toBe('ecs-svc/5318942207519377408');
  });

  it('recognises throttling by name and by HTTP 429', () => {
    expect(isThrottle(throttle())).toBe(true);
    expect(isThrottle({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottle({ name: 'AccessDeniedException' })).toBe(false);
  });
});
