/**
 * `berth logs`: the service's log group, streamed to stdout in time order. A time range is read by
 * concurrent windows within CloudWatch's request quota (src/logs/windows.ts, rate-limit.ts);
 * --follow then uses Live Tail where AWS offers it (follow-live.ts) and polls otherwise (tail.ts).
 * `--json` streams one JSON array (one element per event), so memory stays constant there too.
 */
import type { AwsContext } from '../aws/context.js';
import { redact } from '../output/redact.js';
import type { Reporter } from '../output/reporter.js';
import { taskId } from '../ecs/ids.js';
import { logStreamName } from '../ecs/logs.js';
import type { ServiceLocator } from '../rollout/fetch.js';
import { awsPageSource, liveTailSessions } from './aws-source.js';
import { followLive, liveTailSkipped } from './follow-live.js';
import type { LogEvent } from './interleave.js';
import { FILTER_LOG_EVENTS_TPS, tokenBucket } from './rate-limit.js';
import { formatEvent, jsonEvent, type Colour } from './render.js';
import { tail, type PageSource, type TailStats } from './tail.js';
import { fetchWindows } from './windows.js';

export interface LogsOptions {
  startTime: number;
  endTime?: number;
  follow?: boolean;
  filter?: string;
  task?: string;
  /** Stop following after this many ms (scripts, tests). */
  forMs?: number;
  pollMs?: number;
  out?: NodeJS.WritableStream;
}

/** Write and wait for 'drain' when the stream is full: a slow reader slows us down instead of filling memory. */
function writer(out: NodeJS.WritableStream) {
  return (s: string) =>
    new Promise<void>((resolve, reject) => {
      const ok = out.write(s, (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else out.once('drain', () => resolve());
    });
}

/** Prints events as lines or as one streamed JSON array; `finish` closes the array. */
function printer(reporter: Reporter, write: (s: string) => Promise<void>, paint?: (c: Colour, s: string) => string) {
  let first = true;
  return {
    emit: async (evs: LogEvent[]) => {
      let chunk = '';
      if (reporter.json) {
        for (const ev of evs) {
          chunk += (first ? '[\n' : ',\n') + redact(JSON.stringify(jsonEvent(ev)));
          first = false;
        }
      } else {
        for (const ev of evs) chunk += redact(formatEvent(ev, paint)) + '\n';
      }
      await write(chunk);
    },
    // The array opens with the first event, so that an error before it leaves stdout to the error document.
    finish: () => (reporter.json ? write(first ? '[]\n' : '\n]\n') : Promise.resolve()),
  };
}

interface Reading {
  ctx: AwsContext;
  group: string;
  streams?: string[];
  source: PageSource;
  emit: (evs: LogEvent[]) => Promise<void>;
  stop: AbortController;
  reporter: Reporter;
}

/** --follow: Live Tail where AWS offers it (the history first), polling every pollMs otherwise. */
async function follow(r: Reading, o: LogsOptions, skipped: string | undefined): Promise<TailStats> {
  if (!skipped) {
    let first: AsyncIterable<unknown> | undefined;
    try {
      const open = await liveTailSessions(r.ctx, r.group, r.streams, o.filter);
      first = await open(r.stop.signal);
      const history = (printed: (ev: LogEvent) => void) =>
        fetchWindows({ source: r.source, startTime: o.startTime, emit: (evs) => (evs.forEach(printed), r.emit(evs)) });
      const onSampled = () => r.reporter.warn('Live Tail is sampling: more than 500 events a second match, some are not shown.');
      return await followLive({ first, open, history, emit: r.emit, stop: r.stop, onSampled });
    } catch (e) {
      if (first || (e as Error).name === 'BerthError') throw e;
      r.reporter.info(`Live Tail unavailable (${(e as Error).name}): following by polling.`);
    }
  }
  return tail({
    source: r.source,
    startTime: o.startTime,
    follow: true,
    pollMs: o.pollMs ?? 1000,
    stopped: () => r.stop.signal.aborted,
    emit: r.emit,
  });
}

export async function runLogs(
  ctx: AwsContext,
  loc: ServiceLocator,
  o: LogsOptions,
  reporter: Reporter,
): Promise<TailStats & { logGroup: string }> {
  const skipped = o.follow ? liveTailSkipped(ctx.endpoint) : undefined;
  const write = writer(o.out ?? process.stdout);
  let paint: ((c: Colour, s: string) => string) | undefined;
  if (reporter.rich) {
    const chalk = (await import('chalk')).default;
    paint = (c, s) => chalk[c](s);
  }
  const task = o.task ? taskId(o.task) : undefined;
  const streams = task ? [logStreamName(loc.streamPrefix, loc.container, task)] : undefined;
  // Every FilterLogEvents request of this run (windows, polls) waits for a token of one bucket.
  const limiter = tokenBucket({ perSecond: FILTER_LOG_EVENTS_TPS });
  const raw = awsPageSource(ctx, loc.logGroup, streams, o.filter);
  const source: PageSource = async (q) => (await limiter(), raw(q));
  const print = printer(reporter, write, paint);
  const stop = new AbortController();
  const onSig = () => stop.abort();
  const timer = o.forMs !== undefined ? setTimeout(onSig, o.forMs) : undefined;
  timer?.unref();
  if (o.follow) process.once('SIGINT', onSig);
  try {
    const r: Reading = { ctx, group: loc.logGroup, streams, source, emit: print.emit, stop, reporter };
    const stats = o.follow
      ? await follow(r, o, skipped)
      : await fetchWindows({ source, startTime: o.startTime, endTime: o.endTime, emit: print.emit });
    await print.finish();
    reporter.info(
      `${stats.events} event${stats.events === 1 ? '' : 's'} from ${loc.logGroup}${task ? ` (task ${task})` : ''}${o.filter ? ` matching ${JSON.stringify(o.filter)}` : ''}`,
    );
    return { ...stats, logGroup: loc.logGroup };
  } finally {
    clearTimeout(timer);
    process.removeListener('SIGINT', onSig);
  }
}
