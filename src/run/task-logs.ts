/**
 * The log lines of one task as they arrive: its awslogs stream followed with the logs streamer
 * (logs/tail.ts), until the caller says the task has stopped; then one last pass picks up what the
 * container wrote just before it exited. A stream that does not exist yet (the task is still
 * starting) is an empty page, not an error.
 */
import type { AwsContext } from '../aws/context.js';
import { logs as logsClient } from '../aws/clients.js';
import type { LogEvent } from '../logs/interleave.js';
import { tail, type PageSource } from '../logs/tail.js';

export function streamPageSource(ctx: AwsContext, group: string, stream: string): PageSource {
  return async (q) => {
    const { FilterLogEventsCommand } = await import('../aws/sdk/cloudwatch-logs.js');
    const client = await logsClient(ctx);
    try {
      const r = await client.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          logStreamNames: [stream],
          startTime: q.startTime,
          ...(q.endTime !== undefined ? { endTime: q.endTime } : {}),
          ...(q.nextToken ? { nextToken: q.nextToken } : {}),
        }),
      );
      return {
        events: (r.events ?? []).map((e) => ({
          timestamp: e.timestamp ?? 0,
          message: e.message ?? '',
          logStreamName: e.logStreamName ?? stream,
          eventId: e.eventId ?? `${e.timestamp}:${e.message}`,
        })),
        nextToken: r.nextToken,
      };
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return { events: [] };
      throw e;
    }
  };
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
