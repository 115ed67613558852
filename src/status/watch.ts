/**
 * `berth status --watch`: refresh until interrupted or until --for has passed. On a rich terminal
 * each report redraws the screen; otherwise a report is printed only when it differs from the
 * last one (statusKey: the clock and ages do not count). Streams, clock and the interrupt signal
 * are handed in, so the loop runs in tests without a terminal, a real clock or a real signal.
 */
import type { StatusReport } from './types.js';
import { statusKey } from './judge.js';
import { renderStatus } from './render.js';

/** Clear the screen and move the cursor home (ANSI: ED 2, CUP). */
export const CLEAR_SCREEN = '\x1b[2J\x1b[H';

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

/** Where the reports go: the command's Reporter satisfies it. */
export interface WatchOutput {
  /** A terminal that can be redrawn (and painted). */
  readonly rich: boolean;
  paint: Paint;
  /** A block of text, as is (redraws). */
  raw(text: string): void;
  /** A block of text for a log or a pipe. */
  print(text: string): void;
}

export interface WatchClock {
  now(): number;
  /** Wait `ms`, or less when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The process signals the loop listens to (process satisfies it). */
export interface SignalSource {
  once(signal: 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGINT', listener: () => void): unknown;
}

export interface WatchOptions {
  /** One fresh report (gather and judge). */
  report: () => Promise<StatusReport>;
  out: WatchOutput;
  intervalMs: number;
  /** Stop after this long; undefined: until interrupted. */
  forMs?: number;
  clock?: WatchClock;
  signals?: SignalSource;
}

export const systemClock: WatchClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** Show one report: a redraw on a rich terminal, else a block when it changed. Returns the report's key. */
export function showReport(report: StatusReport, out: WatchOutput, lastKey: string): string {
  const key = statusKey(report);
  const text = renderStatus(report, (s, x) => out.paint(s, x));
  if (out.rich) out.raw(CLEAR_SCREEN + text + '\n');
  else if (key !== lastKey) out.print(text + '\n');
  return key;
}

/** Refresh every intervalMs until Ctrl-C (SIGINT) or until forMs has passed; exit code 0. */
export async function watchStatus(o: WatchOptions): Promise<0> {
  const clock = o.clock ?? systemClock;
  const signals = o.signals ?? process;
  const stop = new AbortController();
  const onSig = () => stop.abort();
  signals.once('SIGINT', onSig);
  const deadline = o.forMs !== undefined ? clock.now() + o.forMs : undefined;
  let lastKey = '';
  try {
    while (!stop.signal.aborted && (deadline === undefined || clock.now() < deadline)) {
      lastKey = showReport(await o.report(), o.out, lastKey);
      const wait = deadline === undefined ? o.intervalMs : Math.min(o.intervalMs, Math.max(0, deadline - clock.now()));
      await clock.sleep(wait, stop.signal);
    }
  } finally {
    signals.removeListener('SIGINT', onSig);
  }
  return 0;
}
