/**
 * The log lines of one task as they arrive: its awslogs stream read through the logs module (the
 * page source of src/logs/aws-source.ts, followed with logs/tail.ts), until the caller says the task
 * has stopped; then one last pass picks up what the container wrote just before it exited. A stream
 * that does not exist yet (the task is still starting) is an empty page, not an error.
 */
import type { AwsContext } from '../aws/context.js';
import { awsPageSource } from '../logs/aws-source.js';
import type { LogEvent } from '../logs/interleave.js';
import { tail, type PageSource } from '../logs/tail.js';

/** The pages of one task's stream; empty while the stream does not exist yet. */
export function taskLogSource(ctx: AwsContext, group: string, stream: string): PageSource {
  return awsPageSource(ctx, group, [stream], undefined, true);
}

export interface FollowOptions {
  source: PageSource;
  startTime: number;
  pollMs: number;
  /** True once the task is STOPPED (or the caller gives up). */
  done: () => boolean;
  onLine: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Follow until done(), then a final pass; every event printed once. Resolves with the number of lines. */
export async function followTaskLogs(o: FollowOptions): Promise<number> {
  const seen = new Set<string>();
  let last = o.startTime;
  let count = 0;
  const emit = (evs: LogEvent[]) => {
    for (const ev of evs) {
      if (seen.has(ev.eventId)) continue;
      seen.add(ev.eventId);
      if (seen.size > 50_000) seen.delete(seen.values().next().value as string);
      last = Math.max(last, ev.timestamp);
      count++;
      o.onLine(ev.message.replace(/\r?\n$/, ''));
    }
  };
  await tail({ source: o.source, startTime: o.startTime, follow: true, pollMs: o.pollMs, stopped: o.done, emit, sleep: o.sleep });
  await tail({ source: o.source, startTime: last, follow: false, emit });
  return count;
}
