/**
 * Reading a range by concurrent windows (merged in order, bounded read-ahead, one failure stops
 * all), the shared token bucket of FilterLogEvents' quota, and --follow over Live Tail on recorded
 * event streams (test/logs/fixtures/live-tail-sessions.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/logs/interleave.js';
import { liveTailSkipped, followLive } from '../../src/logs/follow-live.js';
import { liveTail, type LiveTailItem } from '../../src/logs/live-tail.js';
import { tokenBucket } from '../../src/logs/rate-limit.js';
import type { Page, PageQuery } from '../../src/logs/tail.js';
import { fetchWindows, splitRange } from '../../src/logs/windows.js';

const T0 = 1_764_000_000_000;
const MIN = 60_000;

/** A log group of `n` events one second apart from T0, served like FilterLogEvents (pages of `per`, time order). */
function group(n: number, per: number) {
  const all: LogEvent[] = Array.from({ length: n }, (_, i) => ({
    timestamp: T0 + i * 1000,
    message: `m${i}`,
    logStreamName: i % 2 ? 'api/api/b' : 'api/api/a',
    eventId: String(i),
  }));
  const queries: PageQuery[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  const source = async (q: PageQuery): Promise<Page> => {
    queries.push(q);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    const hits = all.filter((e) => e.timestamp >= q.startTime && (q.endTime === undefined || e.timestamp <= q.endTime));
    const from = q.nextToken ? Number(q.nextToken) : 0;
    const events = hits.slice(from, from + per);
    return { events, nextToken: from + per < hits.length ? String(from + per) : undefined };
  };
  return { all, queries, source, peak: () => peakInFlight };
}

describe('a time range read by windows', () => {
  it('cuts the range into disjoint windows that cover it, none shorter than the minimum', () => {
    const w = splitRange(T0, T0 + 10 * MIN - 1, 5);
    expect(w).toHaveLength(5);
    expect(w[0]![0]).toBe(T0);
    expect(w.at(-1)![1]).toBe(T0 + 10 * MIN - 1);
    for (let i = 1; i < w.length; i++) expect(w[i]![0]).toBe(w[i - 1]![1] + 1);
    expect(splitRange(T0, T0 + 90_000, 5)).toHaveLength(1);
    expect(splitRange(T0, T0, 5)).toEqual([[T0, T0]]);
  });

  it('reads every window at once and prints every event once, in time order', async () => {
    const g = group(3000, 100); // 50 min of events, 30 pages
    const printed: LogEvent[] = [];
    const stats = await fetchWindows({ source: g.source, startTime: T0, endTime: T0 + 3000 * 1000, emit: (e) => void printed.push(...e) });
    expect(printed.map((e) => e.eventId)).toEqual(g.all.map((e) => e.eventId));
    expect(stats.events).toBe(3000);
    expect(new Set(g.queries.filter((q) => !q.nextToken).map((q) => q.startTime)).size).toBe(5);
    expect(g.peak()).toBeGreaterThan(1);
  });

  it('a range shorter than two 10-minute windows is one request; a 2-hour range five windows', async () => {
    const short = group(600, 1000); // the last 10 minutes
    await fetchWindows({ source: short.source, startTime: T0, endTime: T0 + 10 * MIN, emit: () => undefined });
    expect(short.queries).toHaveLength(1);
    const long = group(7200, 10_000); // 2 hours
    await fetchWindows({ source: long.source, startTime: T0, endTime: T0 + 120 * MIN - 1, emit: () => undefined });
    const starts = long.queries.filter((q) => !q.nextToken).map((q) => q.startTime);
    expect(starts).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * 24 * MIN));
  });

  it('an open-ended range reads up to whatever is there in its last window', async () => {
    const g = group(600, 1000);
    const printed: LogEvent[] = [];
    await fetchWindows({ source: g.source, startTime: T0, now: T0 + 300_000, emit: (e) => void printed.push(...e) });
    expect(printed).toHaveLength(600); // events after "now" are in the last, open window
    expect(g.queries.filter((q) => q.endTime === undefined)).toHaveLength(1);
  });

  it('runs at most pagesAhead pages ahead of a slow printer (bounded memory)', async () => {
    const g = group(2000, 50); // 40 pages over 5 windows
    let printedPages = 0;
    let maxAhead = 0;
    await fetchWindows({
      source: async (q) => {
        const p = await g.source(q);
        maxAhead = Math.max(maxAhead, g.queries.length - printedPages);
        return p;
      },
      startTime: T0,
      endTime: T0 + 2000 * 1000,
      pagesAhead: 2,
      reorderCapacity: 10,
      emit: async () => {
        printedPages++;
        await new Promise((r) => setTimeout(r, 3));
      },
    });
    // Five readers, each at most 2 pages queued plus the one being fetched.
    expect(maxAhead).toBeLessThanOrEqual(5 * 3 + 1);
  });

  it('a failing window stops the whole read with its error', async () => {
    const g = group(3000, 100);
    let printed = 0;
    const failing = async (q: PageQuery) => {
      if (q.startTime >= T0 + 40 * MIN) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return g.source(q);
    };
    const read = fetchWindows({ source: failing, startTime: T0, endTime: T0 + 3000 * 1000, emit: (e) => void (printed += e.length) });
    await expect(read).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(printed).toBeLessThan(3000);
  });
});

describe("FilterLogEvents' quota: one token bucket", () => {
  it('lets a burst of 5 through, then never more than 5 in any second, in the order asked', async () => {
    let now = 0;
    const slept: number[] = [];
    const take = tokenBucket({ perSecond: 5, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) });
    const order: number[] = [];
    const at: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => take().then(() => (order.push(i), at.push(now)))));
    expect(order).toEqual([...Array(12).keys()]);
    expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(at.slice(5)).toEqual([1000, 1000, 1000, 1000, 1000, 2000, 2000]);
    // Never more than 5 requests in any second.
    for (const t of at) expect(at.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(5);
  });
});

const recorded = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'live-tail-sessions.json'), 'utf8')) as {
  sessions: LiveTailItem[][];
};

/** Sessions replayed from the recording; once they run out, the stop is pulled. */
function replay(stop: AbortController) {
  let n = 0;
  return async () => {
    const items = recorded.sessions[n++];
    if (!items) throw new Error('no more recorded sessions');
    return (async function* () {
      for (const it of items) yield it;
      if (n === recorded.sessions.length) stop.abort();
    })();
  };
}

describe('--follow over Live Tail (recorded event streams)', () => {
  it('prints each update in time order, renews the session after its 3-hour timeout, says once that it samples', async () => {
    const stop = new AbortController();
    const printed: LogEvent[] = [];
    let sampled = 0;
    const stats = await liveTail({
      open: replay(stop),
      emit: (e) => void printed.push(...e),
      signal: stop.signal,
      onSampled: () => sampled++,
      retryDelayMs: 1,
    });
    expect(printed.map((e) => e.message)).toEqual([
      'INFO GET /health 200 1ms',
      'INFO GET /api/items 200 12ms',
      'ERROR upstream timed out',
      'INFO GET /api/items 200 9ms',
    ]);
    expect(stats).toMatchObject({ sessions: 2, events: 4, sampledUpdates: 2 });
    expect(sampled).toBe(1);
  });

  it('gives up after repeated failures to renew, with aws.live-tail', async () => {
    const stop = new AbortController();
    const broken = async (): Promise<AsyncIterable<LiveTailItem>> =>
      (async function* () {
        yield { SessionStreamingException: { message: 'Internal failure' } };
      })();
    await expect(liveTail({ open: broken, emit: () => undefined, signal: stop.signal, retryDelayMs: 1 })).rejects.toMatchObject({
      code: 'aws.live-tail',
      exitCode: 26,
    });
  });

  it('prints the history first, holds the live events meanwhile, and prints an event both saw once', async () => {
    const stop = new AbortController();
    const open = replay(stop);
    const first = await open();
    const out: string[] = [];
    const history = async (printed: (ev: LogEvent) => void) => {
      // The history ends with an event the session also delivers (ingested as the session started).
      await new Promise((r) => setTimeout(r, 20));
      const evs: LogEvent[] = [
        { timestamp: T0, message: 'INFO boot', logStreamName: 'api/api/9a8b7c6d5e4f30211203f4e5d6c7b8a9', eventId: 'h1' },
        {
          timestamp: 1764100000200,
          message: 'INFO GET /health 200 1ms',
          logStreamName: 'api/api/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
          eventId: 'h2',
        },
      ];
      evs.forEach(printed);
      out.push(...evs.map((e) => `history ${e.message}`));
      return { events: 2, pages: 1, polls: 1, duplicatesDropped: 0, peakBuffered: 2, peakIds: 0 };
    };
    const stats = await followLive({
      first,
      open,
      history,
      emit: (e) => void out.push(...e.map((x) => `live ${x.message}`)),
      stop,
      onSampled: () => undefined,
    });
    expect(out).toEqual([
      'history INFO boot',
      'history INFO GET /health 200 1ms',
      'live INFO GET /api/items 200 12ms',
      'live ERROR upstream timed out',
      'live INFO GET /api/items 200 9ms',
    ]);
    expect(stats.events).toBe(5);
    expect(stats.duplicatesDropped).toBe(1);
  });

  it('is not used against an emulator or with BERTH_LOGS_LIVE_TAIL=0; another value is refused (exit 2)', () => {
    expect(liveTailSkipped(undefined, {})).toBeUndefined();
    expect(liveTailSkipped(undefined, { BERTH_LOGS_LIVE_TAIL: '1' })).toBeUndefined();
    expect(liveTailSkipped('http://127.0.0.1:5000', {})).toMatch(/emulator/);
    expect(liveTailSkipped(undefined, { BERTH_LOGS_LIVE_TAIL: '0' })).toMatch(/BERTH_LOGS_LIVE_TAIL=0/);
    expect(() => liveTailSkipped(undefined, { BERTH_LOGS_LIVE_TAIL: 'yes' })).toThrow(
      expect.objectContaining({ code: 'usage.env-var', exitCode: 2 }),
    );
  });
});
