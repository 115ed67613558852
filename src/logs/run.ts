/**
 * `berth logs`: the service's log group, streamed to stdout in time order. `--json` streams one
 * JSON array (one element per event), so memory stays constant there too.
 */
import type { AwsContext } from '../aws/context.js';
import { logs as logsClient } from '../aws/clients.js';
import { BerthError } from '../output/errors.js';
import { redact } from '../output/redact.js';
import type { Reporter } from '../output/reporter.js';
import { taskId } from '../ecs/ids.js';
import { logStreamName } from '../ecs/logs.js';
import type { ServiceLocator } from '../rollout/fetch.js';
import type { LogEvent } from './interleave.js';
import { formatEvent, jsonEvent, type Colour } from './render.js';
import { tail, type PageSource, type TailStats } from './tail.js';

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

export function awsPageSource(ctx: AwsContext, group: string, streams: string[] | undefined, filter: string | undefined): PageSource {
  return async (q) => {
    const { FilterLogEventsCommand } = await import('../aws/sdk/cloudwatch-logs.js');
    const client = await logsClient(ctx);
    try {
      const r = await client.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          ...(streams ? { logStreamNames: streams } : {}),
          startTime: q.startTime,
          ...(q.endTime !== undefined ? { endTime: q.endTime } : {}),
          ...(filter ? { filterPattern: filter } : {}),
          ...(q.nextToken ? { nextToken: q.nextToken } : {}),
          // Ignored by CloudWatch (always interleaved since 2019); emulators still need it.
          interleaved: true,
        }),
      );
      return {
        events: (r.events ?? []).map((e) => ({
          timestamp: e.timestamp ?? 0,
          message: e.message ?? '',
          logStreamName: e.logStreamName ?? '',
          eventId: e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`,
          ingestionTime: e.ingestionTime,
        })),
        nextToken: r.nextToken,
      };
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException')
        throw new BerthError(`log group ${group} not found.`, {
          hint: 'Is the service stack applied? Its tasks log to this group (names.ts logGroup).',
        });
      throw e;
    }
  };
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

export async function runLogs(
  ctx: AwsContext,
  loc: ServiceLocator,
  o: LogsOptions,
  reporter: Reporter,
): Promise<TailStats & { logGroup: string }> {
  const out = o.out ?? process.stdout;
  const write = writer(out);
  let paint: ((c: Colour, s: string) => string) | undefined;
  if (reporter.rich) {
    const chalk = (await import('chalk')).default;
    paint = (c, s) => chalk[c](s);
  }
  const task = o.task ? taskId(o.task) : undefined;
  const streams = task ? [logStreamName(loc.streamPrefix, loc.container, task)] : undefined;
  const source = awsPageSource(ctx, loc.logGroup, streams, o.filter);

  let stop = false;
  const onSig = () => (stop = true);
  const deadline = o.forMs !== undefined ? Date.now() + o.forMs : undefined;
  if (o.follow) process.once('SIGINT', onSig);
  let first = true;
  try {
    const stats = await tail({
      source,
      startTime: o.startTime,
      endTime: o.endTime,
      follow: o.follow,
      pollMs: o.pollMs ?? 1000,
      stopped: () => stop || (deadline !== undefined && Date.now() >= deadline),
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
    });
    // The array opens with the first event, so that an error before it leaves stdout to the error document.
    if (reporter.json) await write(first ? '[]\n' : '\n]\n');
    reporter.info(
      `${stats.events} event${stats.events === 1 ? '' : 's'} from ${loc.logGroup}${task ? ` (task ${task})` : ''}${o.filter ? ` matching ${JSON.stringify(o.filter)}` : ''}`,
    );
    return { ...stats, logGroup: loc.logGroup };
  } finally {
    process.removeListener('SIGINT', onSig);
  }
}
