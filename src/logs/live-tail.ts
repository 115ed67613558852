/**
 * `berth logs --follow` over CloudWatch Logs Live Tail (StartLiveTail): a response stream that
 * sends a session start, then every second an update of up to 500 events (sampled beyond that: the
 * update says so), and ends after 3 hours with SessionTimeoutException. This consumes such streams:
 * each update's events handed on in time order, sessions renewed when they time out or the
 * connection ends, a bounded number of failed renewals in a row. While the history before the
 * session is still being printed (`hold`), live events wait in a bounded buffer; an event printed
 * by both (same stream, timestamp and message) is printed once. The session is injected: the SDK in
 * the CLI, recorded event streams in the tests.
 */
import { BerthError, ERROR_CODES } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { RecentIds, type LogEvent } from './interleave.js';

/** One item of StartLiveTail's response stream (a union: one key present). */
export interface LiveTailItem {
  sessionStart?: { sessionId?: string };
  sessionUpdate?: {
    sessionMetadata?: { sampled?: boolean };
    sessionResults?: { logStreamName?: string; message?: string; timestamp?: number; ingestionTime?: number }[];
  };
  SessionTimeoutException?: { message?: string };
  SessionStreamingException?: { message?: string };
}

/** Start a session (the SDK's StartLiveTail); aborting the signal ends it. */
export type OpenSession = (signal: AbortSignal) => Promise<AsyncIterable<LiveTailItem>>;

export interface LiveTailOptions {
  open: OpenSession;
  emit: (events: LogEvent[]) => void | Promise<void>;
  /** Ends the tail: aborted on Ctrl-C or --for. */
  signal: AbortSignal;
  /** Live events wait until this settles (the history is printed first). */
  hold?: Promise<unknown>;
  /** Events already printed (the history's), to print each once. */
  seen?: RecentIds;
  /** Called once, the first time an update says its events were sampled. */
  onSampled?: () => void;
  /** Failed renewals in a row before giving up (default 3). */
  maxRenewals?: number;
  /** Wait between failed renewals (default 1 s). */
  retryDelayMs?: number;
  /** Live events kept while holding (default 10,000; beyond, the oldest are dropped and counted). */
  holdCapacity?: number;
}

export interface LiveTailStats {
  events: number;
  sessions: number;
  sampledUpdates: number;
  droppedWhileHolding: number;
  duplicatesDropped: number;
}

/** What identifies a Live Tail event (it has no event id): its stream, timestamp and message. */
export function liveKey(ev: Pick<LogEvent, 'logStreamName' | 'timestamp' | 'message'>): string {
  return `${ev.logStreamName}\u0000${ev.timestamp}\u0000${ev.message}`;
}

const liveTailError = (message: string) =>
  new BerthError(message, {
    code: ERROR_CODES.liveTail,
    exitCode: EXIT.AWS_SERVICE_ERROR,
    hint: 'CloudWatch Logs could not keep the session open; run the command again, or follow by polling with BERTH_LOGS_LIVE_TAIL=0.',
  });

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function toEvents(u: NonNullable<LiveTailItem['sessionUpdate']>): LogEvent[] {
  const evs = (u.sessionResults ?? []).map((r) => {
    const ev = {
      timestamp: r.timestamp ?? 0,
      message: r.message ?? '',
      logStreamName: r.logStreamName ?? '',
      ingestionTime: r.ingestionTime,
    };
    return { ...ev, eventId: liveKey(ev) };
  });
  return evs.sort((a, b) => a.timestamp - b.timestamp);
}

export async function liveTail(o: LiveTailOptions): Promise<LiveTailStats> {
  const stats: LiveTailStats = { events: 0, sessions: 0, sampledUpdates: 0, droppedWhileHolding: 0, duplicatesDropped: 0 };
  const seen = o.seen ?? new RecentIds();
  let holding = Boolean(o.hold);
  const held: LogEvent[] = [];
  const hand = async (evs: LogEvent[]) => {
    const fresh = evs.filter((ev) => !seen.seen(ev) || (stats.duplicatesDropped++, false));
    if (!fresh.length) return;
    stats.events += fresh.length;
    await o.emit(fresh);
  };
  const released = o.hold?.then(async () => {
    holding = false;
    await hand(held.splice(0));
  });
  const take = async (evs: LogEvent[]) => {
    if (!holding) return hand(evs);
    held.push(...evs);
    const over = held.length - (o.holdCapacity ?? 10_000);
    if (over > 0) stats.droppedWhileHolding += held.splice(0, over).length;
  };
  let failures = 0;
  const max = o.maxRenewals ?? 3;
  while (!o.signal.aborted) {
    let ended: 'renew' | 'ended';
    try {
      ended = await session(o, stats, take);
    } catch (e) {
      if (o.signal.aborted) break;
      if (++failures > max) throw e;
      await pause(o.retryDelayMs ?? 1000, o.signal);
      continue;
    }
    if (ended === 'renew') failures = 0;
    else if (++failures > max) throw liveTailError(`Live Tail ended ${failures} times in a row without sending anything.`);
  }
  await released;
  return stats;
}

/** One session, to its end: 'renew' after a normal timeout, 'ended' when the stream stopped otherwise. */
async function session(o: LiveTailOptions, stats: LiveTailStats, take: (evs: LogEvent[]) => Promise<void>): Promise<'renew' | 'ended'> {
  const stream = await o.open(o.signal);
  stats.sessions++;
  let updates = 0;
  for await (const item of stream) {
    if (o.signal.aborted) break;
    if (item.sessionUpdate) {
      updates++;
      if (item.sessionUpdate.sessionMetadata?.sampled && stats.sampledUpdates++ === 0) o.onSampled?.();
      await take(toEvents(item.sessionUpdate));
    }
    if (item.SessionTimeoutException) return 'renew';
    if (item.SessionStreamingException)
      throw liveTailError(`Live Tail failed: ${item.SessionStreamingException.message ?? 'SessionStreamingException'}`);
  }
  return updates > 0 ? 'renew' : 'ended';
}
