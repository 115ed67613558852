// The --watch loop with a fake clock, fake output and a fake SIGINT: no terminal, no timers, no AWS.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/status/judge.js';
import type { StatusRaw, StatusReport } from '../../src/status/types.js';
import { CLEAR_SCREEN, systemClock, watchStatus, type SignalSource, type WatchClock, type WatchOutput } from '../../src/status/watch.js';

function report(running: number, at: number): StatusReport {
  const raw: StatusRaw = {
    environment: 'prod',
    cluster: 'shop-prod',
    images: {},
    alarms: [],
    notes: [],
    services: [{ name: 'api', snap: { serviceName: 'api', status: 'ACTIVE', desiredCount: 2, runningCount: running, deployments: [] } }],
  };
  return buildStatus(raw, at);
}

function fakeOut(rich: boolean): WatchOutput & { raws: string[]; prints: string[] } {
  const raws: string[] = [];
  const prints: string[] = [];
  return { rich, raws, prints, paint: (_s, x) => x, raw: (t) => raws.push(t), print: (t) => prints.push(t) };
}

function fakeClock(): WatchClock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

function fakeSignals(): SignalSource & { listeners: (() => void)[] } {
  const listeners: (() => void)[] = [];
  return {
    listeners,
    once: (_s, l) => listeners.push(l),
    removeListener: (_s, l) => listeners.splice(listeners.indexOf(l), 1),
  };
}

describe('status --watch loop', () => {
  it('plain output: one block per change, none for a report that only aged; stops at --for without oversleeping it', async () => {
    const clock = fakeClock();
    const out = fakeOut(false);
    const running = [1, 1, 2, 2, 2];
    let i = 0;
    const signals = fakeSignals();
    const code = await watchStatus({
      report: async () => report(running[i++] ?? 2, clock.t),
      out,
      intervalMs: 2000,
      forMs: 9000,
      clock,
      signals,
    });
    expect(code).toBe(0);
    expect(i).toBe(5);
    expect(clock.sleeps).toEqual([2000, 2000, 2000, 2000, 1000]);
    expect(out.prints).toHaveLength(2);
    expect(out.prints[0]).toContain('api: 1/2 running');
    expect(out.prints[1]).toContain('api: 2/2 running');
    expect(out.raws).toEqual([]);
    expect(signals.listeners).toEqual([]);
  });

  it('a rich terminal is cleared and redrawn on every refresh', async () => {
    const clock = fakeClock();
    const out = fakeOut(true);
    await watchStatus({ report: async () => report(2, clock.t), out, intervalMs: 1000, forMs: 3000, clock, signals: fakeSignals() });
    expect(out.raws).toHaveLength(3);
    for (const r of out.raws) expect(r.startsWith(CLEAR_SCREEN)).toBe(true);
    expect(out.prints).toEqual([]);
  });

  it('SIGINT ends the loop at the next check and the listener is removed', async () => {
    const clock = fakeClock();
    const signals = fakeSignals();
    let n = 0;
    const code = await watchStatus({
      report: async () => {
        if (++n === 3) signals.listeners[0]!();
        return report(2, clock.t);
      },
      out: fakeOut(false),
      intervalMs: 500,
      clock,
      signals,
    });
    expect(code).toBe(0);
    expect(n).toBe(3);
    expect(signals.listeners).toEqual([]);
  });

  it('the listener is removed when a refresh fails, and the error reaches the caller', async () => {
    const signals = fakeSignals();
    const failing = watchStatus({
      report: async () => Promise.reject(new Error('throttled')),
      out: fakeOut(false),
      intervalMs: 10,
      clock: fakeClock(),
      signals,
    });
    await expect(failing).rejects.toThrow('throttled');
    expect(signals.listeners).toEqual([]);
  });

  it('the real clock wakes from a long sleep when the signal aborts (the test would time out otherwise)', async () => {
    const stop = new AbortController();
    const sleeping = systemClock.sleep(600_000, stop.signal);
    stop.abort();
    await expect(sleeping).resolves.toBeUndefined();
    await expect(systemClock.sleep(600_000, stop.signal)).resolves.toBeUndefined();
  });
});
