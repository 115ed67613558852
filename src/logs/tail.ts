/**
 * Streaming a log group: FilterLogEvents page by page, events handed on as each page arrives, in
 * time order across pages (bounded reorder buffer), deduplicated while following (bounded id set).
 * Memory stays constant whatever the number of events. The page source is injected: AWS in the
 * CLI, recorded pages in tests.
 */
import { RecentIds, ReorderBuffer, type LogEvent } from './interleave.js';

export interface PageQuery {
  startTime: number;
  endTime?: number;
  nextToken?: string;
}
export interface Page {
  events: LogEvent[];
  nextToken?: string;
}
export type PageSource = (q: PageQuery) => Promise<Page>;

export interface TailOptions {
  source: PageSource;
  startTime: number;
  endTime?: number;
  follow?: boolean;
  /** Time between polls while following (default 1 s, so a new line shows within ~2 s). */
  pollMs?: number;
  /** Hand events on; may return a promise (back-pressure: the next page waits for it). */
  emit: (events: LogEvent[]) => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
  /** Stop following when this returns true (Ctrl-C, --for, tests). Checked between polls. */
  stopped?: () => boolean;
  reorderCapacity?: number;
  dedupeWindowMs?: number;
  maxIds?: number;
}

export interface TailStats {
  events: number;
  pages: number;
  polls: number;
  duplicatesDropped: number;
  /** High-water marks of the bounded structures. */
  peakBuffered: number;
  peakIds: number;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function tail(o: TailOptions): Promise<TailStats> {
  const sleep = o.sleep ?? sleepReal;
  const buf = new ReorderBuffer(o.reorderCapacity ?? 10_000);
  const ids = new RecentIds(o.dedupeWindowMs ?? 10_000, o.maxIds ?? 20_000);
  const stats: TailStats = { events: 0, pages: 0, polls: 0, duplicatesDropped: 0, peakBuffered: 0, peakIds: 0 };

  const hand = async (evs: LogEvent[]) => {
    if (!evs.length) return;
    stats.events += evs.length;
    await o.emit(evs);
  };

  /** One pass from `start`: every page, each handed on as it arrives (minus what the buffer holds back). */
  const pass = async (start: number, end: number | undefined) => {
    let nextToken: string | undefined;
    stats.polls++;
    do {
      const page = await o.source({ startTime: start, endTime: end, nextToken });
      stats.pages++;
      const out: LogEvent[] = [];
      for (const ev of page.events) {
        if (o.follow && ids.seen(ev)) {
          stats.duplicatesDropped++;
          continue;
        }
        out.push(...buf.push(ev));
      }
      await hand(out);
      // A repeated token means the service has nothing more right now.
      nextToken = page.nextToken && page.nextToken !== nextToken ? page.nextToken : undefined;
    } while (nextToken);
    await hand(buf.drain());
    stats.peakBuffered = Math.max(stats.peakBuffered, buf.peak);
    stats.peakIds = Math.max(stats.peakIds, ids.peak);
  };

  await pass(o.startTime, o.endTime);
  if (!o.follow) return stats;
  while (!o.stopped?.()) {
    await sleep(o.pollMs ?? 1000);
    if (o.stopped?.()) break;
    await pass(ids.nextStart(o.startTime), undefined);
    ids.prune();
  }
  return stats;
}
