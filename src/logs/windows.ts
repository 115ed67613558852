/**
 * Reading a time range at the speed CloudWatch allows: the range is cut into consecutive windows,
 * every window is read at once (FilterLogEvents page by page, each request waiting for a token of
 * the shared bucket: src/logs/rate-limit.ts, applied by the source), and the windows are handed on strictly in order, each
 * in time order (bounded reorder buffer). A window's reader runs at most `pagesAhead` pages ahead
 * of the printing, so memory is bounded by windows x pagesAhead pages whatever the range holds.
 */
import { ReorderBuffer, type LogEvent } from './interleave.js';
import type { Page, PageSource, TailStats } from './tail.js';

export interface WindowedOptions {
  source: PageSource;
  startTime: number;
  /** Inclusive; undefined: up to whatever is there (the last window is open-ended). */
  endTime?: number;
  /** Where to cut an open-ended range (default: now). */
  now?: number;
  /** At most this many windows (default 5, the quota's burst); none shorter than minWindowMs (default 10 min). */
  windows?: number;
  minWindowMs?: number;
  pagesAhead?: number;
  emit: (events: LogEvent[]) => void | Promise<void>;
  reorderCapacity?: number;
}

/**
 * A window shorter than this is not worth its own request: a short range is one or two pages, read by
 * one request sooner than by five racing for the quota's tokens (`berth logs --since 10m` is one
 * request; `--since 2h`, five windows of 24 minutes).
 */
const MIN_WINDOW_MS = 10 * 60_000;

/** [start, end] cut into at most `n` consecutive, disjoint windows (inclusive ms bounds), none shorter than `min`. */
export function splitRange(start: number, end: number, n: number, min = 60_000): Array<[number, number]> {
  const span = end - start + 1;
  const count = Math.max(1, Math.min(n, Math.floor(span / Math.max(1, min))));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const s = start + Math.floor((span * i) / count);
    const e = start + Math.floor((span * (i + 1)) / count) - 1;
    out.push([s, e]);
  }
  return out;
}

/** A bounded queue of pages between one window's reader and the printer. */
class PageQueue {
  private pages: Page[] = [];
  private closed = false;
  private error: unknown;
  private wakeReader?: () => void;
  private wakeWriter?: () => void;
  constructor(private readonly capacity: number) {}

  /** Wait for room, then add; false when the read was cancelled. */
  async push(p: Page): Promise<boolean> {
    while (this.pages.length >= this.capacity && !this.closed) await new Promise<void>((r) => (this.wakeWriter = r));
    if (this.closed) return false;
    this.pages.push(p);
    this.wakeReader?.();
    return true;
  }
  /** The next page; undefined once the window is read to its end. */
  async next(): Promise<Page | undefined> {
    for (;;) {
      if (this.error !== undefined) throw this.error;
      const p = this.pages.shift();
      if (p) {
        this.wakeWriter?.();
        return p;
      }
      if (this.closed) return undefined;
      await new Promise<void>((r) => (this.wakeReader = r));
    }
  }
  close(error?: unknown): void {
    if (error !== undefined && this.error === undefined) this.error = error;
    this.closed = true;
    this.wakeReader?.();
    this.wakeWriter?.();
  }
}

/** Read one window into its queue, page by page; any failure fails every window (the read stops). */
async function readWindow(o: WindowedOptions, w: [number, number | undefined], q: PageQueue, all: PageQueue[], stats: TailStats) {
  let token: string | undefined;
  try {
    do {
      const page = await o.source({ startTime: w[0], endTime: w[1], nextToken: token });
      stats.pages++;
      if (!(await q.push(page))) return;
      // A repeated token means the service has nothing more right now.
      token = page.nextToken && page.nextToken !== token ? page.nextToken : undefined;
    } while (token);
    q.close();
  } catch (e) {
    for (const other of all) other.close(e);
  }
}

/** Every event of the range, in time order, read by concurrent windows. */
export async function fetchWindows(o: WindowedOptions): Promise<TailStats> {
  const cutAt = o.endTime ?? o.now ?? Date.now();
  const ranges: Array<[number, number | undefined]> = splitRange(
    o.startTime,
    Math.max(o.startTime, cutAt),
    o.windows ?? 5,
    o.minWindowMs ?? MIN_WINDOW_MS,
  );
  if (o.endTime === undefined) ranges[ranges.length - 1]![1] = undefined;
  const stats: TailStats = { events: 0, pages: 0, polls: 1, duplicatesDropped: 0, peakBuffered: 0, peakIds: 0 };
  const queues = ranges.map(() => new PageQueue(o.pagesAhead ?? 2));
  const readers = ranges.map((w, i) => readWindow(o, w, queues[i]!, queues, stats));
  try {
    for (const q of queues) {
      const buf = new ReorderBuffer(o.reorderCapacity ?? 10_000);
      for (let page = await q.next(); page; page = await q.next()) {
        const out: LogEvent[] = [];
        for (const ev of page.events) out.push(...buf.push(ev));
        await hand(o, stats, out);
      }
      await hand(o, stats, buf.drain());
      stats.peakBuffered = Math.max(stats.peakBuffered, buf.peak);
    }
  } finally {
    for (const q of queues) q.close();
    await Promise.all(readers);
  }
  return stats;
}

async function hand(o: WindowedOptions, stats: TailStats, evs: LogEvent[]): Promise<void> {
  if (!evs.length) return;
  stats.events += evs.length;
  await o.emit(evs);
}
