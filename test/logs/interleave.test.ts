import { describe, expect, it } from 'vitest';
import { RecentIds, ReorderBuffer, type LogEvent } from '../../src/logs/interleave.js';
import { tail, type Page, type PageQuery } from '../../src/logs/tail.js';
import { colourFor, formatEvent, shortStream } from '../../src/logs/render.js';

const ev = (ts: number, stream: string, id: string, message = `m${id}`): LogEvent => ({
  timestamp: ts,
  logStreamName: stream,
  eventId: id,
  message,
});

/** A page source over a fixed list of pages; records the queries it got. */
function pagesOf(pages: LogEvent[][]) {
  const queries: PageQuery[] = [];
  return {
    queries,
    source: async (q: PageQuery): Promise<Page> => {
      queries.push(q);
      const i = q.nextToken ? Number(q.nextToken) : 0;
      return { events: pages[i] ?? [], nextToken: i + 1 < pages.length ? String(i + 1) : undefined };
    },
  };
}

describe('reorder buffer', () => {
  it('emits in time order with a bounded heap, stable for equal timestamps', () => {
    const b = new ReorderBuffer(3);
    const out: LogEvent[] = [];
    for (const e of [ev(5, 'a', '1'), ev(3, 'b', '2'), ev(4, 'a', '3'), ev(3, 'a', '4'), ev(9, 'b', '5'), ev(6, 'a', '6')])
      out.push(...b.push(e));
    out.push(...b.drain());
    expect(out.map((e) => e.eventId)).toEqual(['2', '4', '3', '1', '6', '5']);
    expect(b.peak).toBe(4);
    expect(b.size).toBe(0);
  });
});

describe('recent ids (dedupe while following)', () => {
  it('remembers ids near the newest timestamp only, and never more than the cap', () => {
    const r = new RecentIds(1000, 100);
    for (let i = 0; i < 10_000; i++) expect(r.seen(ev(i * 10, 's', `e${i}`))).toBe(false);
    expect(r.peak).toBeLessThanOrEqual(101);
    expect(r.seen(ev(99_990, 's', 'e9999'))).toBe(true);
    r.prune();
    expect(r.size).toBeLessThanOrEqual(101);
    expect(r.nextStart(0)).toBe(99_990 - 1000);
  });
});

describe('tail: paging, interleaving, following', () => {
  it('streams page by page: each page is handed on before the next is fetched', async () => {
    const pages = [
      [ev(1, 'api/api/aaaa1111', '1'), ev(2, 'api/api/bbbb2222', '2')],
      [ev(3, 'api/api/aaaa1111', '3')],
      [ev(4, 'api/api/bbbb2222', '4'), ev(5, 'api/api/aaaa1111', '5')],
    ];
    const log: string[] = [];
    const src = pagesOf(pages);
    await tail({
      source: async (q) => {
        log.push(`fetch ${q.nextToken ?? 0}`);
        return src.source(q);
      },
      startTime: 0,
      reorderCapacity: 1,
      emit: (evs) => void log.push(`emit ${evs.map((e) => e.eventId).join(',')}`),
    });
    expect(log).toEqual(['fetch 0', 'emit 1', 'fetch 1', 'emit 2', 'fetch 2', 'emit 3,4', 'emit 5']);
  });

  it('orders events across pages and streams (within the buffer) and bounds the buffer', async () => {
    // Two streams whose pages overlap in time, as FilterLogEvents may return them.
    const pages = [
      [ev(10, 'a', '1'), ev(30, 'a', '2'), ev(50, 'a', '3')],
      [ev(20, 'b', '4'), ev(40, 'b', '5'), ev(60, 'b', '6')],
      [ev(70, 'a', '7'), ev(65, 'b', '8')],
    ];
    const got: LogEvent[] = [];
    const stats = await tail({ source: pagesOf(pages).source, startTime: 0, reorderCapacity: 4, emit: (e) => void got.push(...e) });
    expect(got.map((e) => e.timestamp)).toEqual([10, 20, 30, 40, 50, 60, 65, 70]);
    expect(stats.peakBuffered).toBeLessThanOrEqual(5);
    expect(stats.events).toBe(8);
    expect(stats.pages).toBe(3);
  });

  it('100,000 events in 10 pages: every event once, in order, memory structures bounded', async () => {
    const N = 100_000;
    const per = 10_000;
    let pagesServed = 0;
    let count = 0;
    let last = -1;
    let ordered = true;
    const stats = await tail({
      source: async (q) => {
        const i = q.nextToken ? Number(q.nextToken) : 0;
        pagesServed++;
        const events = Array.from({ length: per }, (_, k) => {
          const n = i * per + k;
          // two streams, slightly out of order inside a page
          return ev(n + (k % 2 ? -1 : 1), `api/api/${k % 2 ? 'b' : 'a'}`, String(n));
        });
        return { events, nextToken: (i + 1) * per < N ? String(i + 1) : undefined };
      },
      startTime: 0,
      reorderCapacity: 1000,
      emit: (evs) => {
        for (const e of evs) {
          if (e.timestamp < last) ordered = false;
          last = e.timestamp;
          count++;
        }
      },
    });
    expect(pagesServed).toBe(10);
    expect(count).toBe(N);
    expect(ordered).toBe(true);
    expect(stats.peakBuffered).toBeLessThanOrEqual(1001);
  });

  it('following: re-reads a window before the newest event, drops duplicates, prints new ones, stops when told', async () => {
    const batches: LogEvent[][] = [
      [ev(1000, 'a', '1'), ev(1500, 'b', '2')],
      [ev(1500, 'b', '2'), ev(1600, 'a', '3')], // '2' comes back in the re-read window
      [ev(1500, 'b', '2'), ev(1600, 'a', '3'), ev(1600, 'b', '4'), ev(1200, 'a', '5') /* late arrival inside the window */],
      [],
    ];
    let poll = 0;
    const starts: number[] = [];
    const got: string[] = [];
    const stats = await tail({
      source: async (q) => {
        starts.push(q.startTime);
        return { events: batches[poll++] ?? [] };
      },
      startTime: 0,
      follow: true,
      dedupeWindowMs: 500,
      sleep: async () => {},
      stopped: () => poll >= batches.length,
      emit: (evs) => void got.push(...evs.map((e) => e.eventId)),
    });
    expect(got).toEqual(['1', '2', '3', '5', '4']);
    expect(stats.duplicatesDropped).toBe(3);
    expect(starts).toEqual([0, 1000, 1100, 1100]);
  });
});

describe('rendering', () => {
  it('labels a stream by container and short task id, one stable colour per stream', () => {
    expect(shortStream('api/api/0f1e2d3c4b5a69788796a5b4c3d2e1f0')).toBe('api/0f1e2d3c');
    expect(colourFor('api/api/x')).toBe(colourFor('api/api/x'));
    const colours = new Set(Array.from({ length: 20 }, (_, i) => colourFor(`api/api/${i}`)));
    expect(colours.size).toBeGreaterThan(3);
    expect(formatEvent(ev(Date.parse('2025-05-01T10:00:00Z'), 'api/api/0f1e2d3c4b5a', '1', 'hello\n'))).toBe(
      '2025-05-01T10:00:00.000Z api/0f1e2d3c hello',
    );
    expect(formatEvent(ev(0, 'api/api/0f1e2d3c4b5a', '1', 'x'), (c, s) => `<${c}>${s}</>`)).toMatch(
      /^1970-01-01T00:00:00.000Z <\w+>api\/0f1e2d3c<\/> x$/,
    );
  });
});
