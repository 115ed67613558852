/**
 * `berth logs --follow` with Live Tail: open the session first (so nothing ingested from then on
 * is missed), print the history up to now while the session's events wait, then the session's
 * events as they come, each event once. Whether Live Tail is used at all is decided here too:
 * not against an emulator (it has none; the SDK would also send it to a `stream-` host name), not
 * with BERTH_LOGS_LIVE_TAIL=0, and not when AWS refuses the first session: then the caller polls.
 */
import { UsageError } from '../output/errors.js';
import { RecentIds, type LogEvent } from './interleave.js';
import { liveKey, liveTail, type LiveTailStats, type OpenSession } from './live-tail.js';
import type { TailStats } from './tail.js';

/** Why Live Tail is not used (undefined: it is tried). Bad BERTH_LOGS_LIVE_TAIL: exit 2 before any call. */
export function liveTailSkipped(endpoint: string | undefined, processEnv: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = processEnv.BERTH_LOGS_LIVE_TAIL;
  if (v !== undefined && v !== '0' && v !== '1')
    throw new UsageError(`BERTH_LOGS_LIVE_TAIL="${v}": expected 0 (follow by polling) or 1 (Live Tail where AWS offers it).`, {
      code: 'usage.env-var',
    });
  if (v === '0') return 'BERTH_LOGS_LIVE_TAIL=0';
  if (endpoint) return 'the endpoint is an emulator (no Live Tail)';
  return undefined;
}

export interface FollowLiveOptions {
  /** The first session, already open (its failure means: poll instead). */
  first: AsyncIterable<unknown>;
  open: OpenSession;
  /** Print the history (up to now); `printed` is told of each event it prints. */
  history: (printed: (ev: LogEvent) => void) => Promise<TailStats>;
  emit: (events: LogEvent[]) => void | Promise<void>;
  /** Aborted on Ctrl-C or --for (ends the tail), and here when the history fails. */
  stop: AbortController;
  onSampled: () => void;
}

export async function followLive(o: FollowLiveOptions): Promise<TailStats & { live: LiveTailStats }> {
  const seen = new RecentIds(10_000, 20_000);
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  let opened = 0;
  const open: OpenSession = (signal) => (opened++ === 0 ? Promise.resolve(o.first as never) : o.open(signal));
  const live = liveTail({ open, emit: o.emit, signal: o.stop.signal, hold, seen, onSampled: o.onSampled });
  live.catch(() => undefined); // awaited below; a failure while the history prints must not go unhandled
  let history: TailStats;
  try {
    history = await o.history((ev) => void seen.seen({ eventId: liveKey(ev), timestamp: ev.timestamp }));
  } catch (e) {
    o.stop.abort();
    throw e;
  } finally {
    release();
  }
  const stats = await live;
  return { ...history, events: history.events + stats.events, duplicatesDropped: stats.duplicatesDropped, live: stats };
}
