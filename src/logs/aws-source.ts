/**
 * Where `berth logs` reads from on AWS: FilterLogEvents pages (history and polling), and a Live Tail
 * session (StartLiveTail) for --follow. The page source and the session are plain functions, so the
 * readers (src/logs/windows.ts, tail.ts, live-tail.ts) are tested on recorded pages and streams.
 */
import type { AwsContext } from '../aws/context.js';
import { logs as logsClient } from '../aws/clients.js';
import { BerthError, ERROR_CODES } from '../output/errors.js';
import type { LiveTailItem, OpenSession } from './live-tail.js';
import type { PageSource } from './tail.js';

const notFound = (group: string) =>
  new BerthError(`log group ${group} not found.`, {
    hint: 'Is the service stack applied? Its tasks log to this group (names.ts logGroup).',
  });

/**
 * FilterLogEvents as a page source. A missing group or stream is an error naming the group, unless
 * `missingIsEmpty` (berth run follows a task's stream before the task has created it): an empty page.
 */
export function awsPageSource(
  ctx: AwsContext,
  group: string,
  streams: string[] | undefined,
  filter: string | undefined,
  missingIsEmpty = false,
): PageSource {
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
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
      if (missingIsEmpty) return { events: [] };
      throw notFound(group);
    }
  };
}

/** The group's ARN, which StartLiveTail asks for (DescribeLogGroups). */
async function groupArn(ctx: AwsContext, group: string): Promise<string> {
  const { DescribeLogGroupsCommand } = await import('../aws/sdk/cloudwatch-logs.js');
  const r = await (await logsClient(ctx)).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 50 }));
  const arn = r.logGroups?.find((g) => g.logGroupName === group)?.logGroupArn;
  if (!arn) throw notFound(group);
  return arn;
}

/** Opens Live Tail sessions on the group (its streams, its filter); each call is a new session. */
export async function liveTailSessions(
  ctx: AwsContext,
  group: string,
  streams: string[] | undefined,
  filter: string | undefined,
): Promise<OpenSession> {
  const [{ StartLiveTailCommand }, client, arn] = await Promise.all([
    import('../aws/sdk/cloudwatch-logs.js'),
    logsClient(ctx),
    groupArn(ctx, group),
  ]);
  return async (signal) => {
    const r = await client.send(
      new StartLiveTailCommand({
        logGroupIdentifiers: [arn],
        ...(streams ? { logStreamNames: streams } : {}),
        ...(filter ? { logEventFilterPattern: filter } : {}),
      }),
      { abortSignal: signal },
    );
    if (!r.responseStream) throw new BerthError('Live Tail answered without a response stream.', { code: ERROR_CODES.liveTail });
    return r.responseStream as AsyncIterable<LiveTailItem>;
  };
}
