/** The `--insights` branch of `berth logs`: flags checked first, then one bounded query. */
import { logsSettings, type LogsFlags } from '../cli-args/logs.js';
import type { Reporter } from '../output/reporter.js';
import { listQueries, renderInsights, resolveQuery, type InsightsFlags } from './command.js';

export async function insightsAction(opts: LogsFlags & InsightsFlags & { env: string; service?: string }, out: Reporter): Promise<number> {
  if (opts.insights.trim() === 'list') {
    listQueries(out);
    return 0;
  }
  const { label, query, timeoutMs } = resolveQuery(opts);
  const now = Date.now();
  const { startTime, endTime } = logsSettings({ since: opts.since, until: opts.until }, now);
  const { openOp } = await import('../rollout/open-op.js');
  const op = openOp(opts.env, opts.service, out);
  const { runInsights } = await import('./run.js');
  const res = await runInsights(op.ctx, op.loc.logGroup, query, { startTime, endTime: endTime ?? now, timeoutMs });
  out.result({ ok: true, name: label.endsWith('(built in)') ? label.split(' ')[0] : null, ...res }, () => renderInsights(res, label));
  return 0;
}
