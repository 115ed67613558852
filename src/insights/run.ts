/**
 * Run a Logs Insights query: StartQuery over the log group and time range, then GetQueryResults
 * polled until it completes, within a time limit (StopQuery when it runs out). A query AWS refuses
 * (MalformedQueryException) is a usage error naming AWS's reason.
 */
import type { AwsContext } from '../aws/context.js';
import { logs as logsClient } from '../aws/clients.js';
import { BerthError, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';

export interface InsightsResult {
  logGroup: string;
  query: string;
  startTime: number;
  endTime: number;
  status: string;
  columns: string[];
  rows: Record<string, string>[];
  statistics?: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
}

export interface InsightsOptions {
  startTime: number;
  endTime: number;
  timeoutMs: number;
  pollMs?: number;
  limit?: number;
}

export class InsightsQueryError extends BerthError {
  constructor(message: string, details: Record<string, unknown>) {
    super(message, {
      exitCode: EXIT.INSIGHTS_QUERY_FAILED,
      hint: 'Narrow --since, or raise --timeout.',
      details: { code: 'INSIGHTS_QUERY_FAILED', ...details },
    });
    this.name = 'InsightsQueryError';
  }
}

export async function runInsights(ctx: AwsContext, logGroup: string, query: string, o: InsightsOptions): Promise<InsightsResult> {
  const sdk = await import('../aws/sdk/cloudwatch-logs.js');
  const client = await logsClient(ctx);
  let queryId: string;
  try {
    const r = await client.send(
      new sdk.StartQueryCommand({
        logGroupName: logGroup,
        queryString: query,
        startTime: Math.floor(o.startTime / 1000),
        endTime: Math.ceil(o.endTime / 1000),
        limit: o.limit,
      }),
    );
    queryId = r.queryId!;
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'MalformedQueryException' || name === 'InvalidParameterException')
      throw new UsageError(`--insights: AWS refused the query: ${(e as Error).message}`, { details: { code: name } });
    if (name === 'ResourceNotFoundException')
      throw new BerthError(`log group ${logGroup} not found.`, { hint: 'Is the service stack applied? Its tasks log to this group.' });
    throw e;
  }
  return poll(client, sdk, queryId, logGroup, query, o);
}

type Sdk = typeof import('../aws/sdk/cloudwatch-logs.js');

async function poll(
  client: InstanceType<Sdk['CloudWatchLogsClient']>,
  sdk: Sdk,
  queryId: string,
  logGroup: string,
  query: string,
  o: InsightsOptions,
): Promise<InsightsResult> {
  const deadline = Date.now() + o.timeoutMs;
  let wait = o.pollMs ?? 500;
  for (;;) {
    const r = await client.send(new sdk.GetQueryResultsCommand({ queryId }));
    const status = r.status ?? 'Unknown';
    if (status === 'Complete') {
      const rows = (r.results ?? []).map((fields) =>
        Object.fromEntries(fields.filter((f) => f.field && f.field !== '@ptr').map((f) => [f.field!, f.value ?? ''])),
      );
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      return { logGroup, query, startTime: o.startTime, endTime: o.endTime, status, columns, rows, statistics: r.statistics };
    }
    if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout')
      throw new InsightsQueryError(`the Logs Insights query ended ${status}.`, { queryId, status });
    if (Date.now() + wait > deadline) {
      await client.send(new sdk.StopQueryCommand({ queryId })).catch(() => undefined);
      throw new InsightsQueryError(`the Logs Insights query did not finish within ${Math.round(o.timeoutMs / 1000)} s (stopped).`, {
        queryId,
        status,
      });
    }
    await new Promise((res) => setTimeout(res, wait));
    wait = Math.min(wait * 2, 5000);
  }
}
