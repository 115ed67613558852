/**
 * `berth logs --insights NAME|QUERY`: a built-in query by name, or the user's own query text,
 * over the service's log group and --since/--until. `--insights list` prints the built-in ones.
 */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import type { Reporter } from '../output/reporter.js';
import { parseDuration } from '../cli-args/duration.js';
import { BUILT_IN_QUERIES, builtInQuery } from './catalog.js';
import { renderInsights } from './render.js';

export interface InsightsFlags {
  insights: string;
  follow?: boolean;
  filter?: string;
  task?: string;
  for?: string;
  timeout?: string;
}

export function listQueries(out: Reporter): void {
  out.result({ ok: true, queries: BUILT_IN_QUERIES }, () =>
    BUILT_IN_QUERIES.map((q) => `${q.name}\n  ${q.description}\n  ${q.query.replace(/\n/g, '\n  ')}`).join('\n\n'),
  );
}

/** The query text and its label; every mistake a usage error before any AWS call. */
export function resolveQuery(f: InsightsFlags): { label: string; query: string; timeoutMs: number } {
  for (const [flag, v] of [
    ['--follow', f.follow],
    ['--filter', f.filter],
    ['--task', f.task],
    ['--for', f.for],
  ] as const) {
    if (v !== undefined && v !== false)
      throw new UsageError(`${flag} does not combine with --insights: a query reads the whole log group over --since/--until.`, {
        code: ERROR_CODES.flagCombination,
      });
  }
  const text = f.insights.trim();
  if (!text)
    throw new UsageError('--insights "": expected a built-in query name (see --insights list) or a Logs Insights query.', {
      code: ERROR_CODES.flagFormat,
    });
  if (text.length > 10000)
    throw new UsageError(`--insights: a query of ${text.length} characters; Logs Insights accepts at most 10000.`, {
      code: ERROR_CODES.flagRange,
    });
  const timeoutMs = parseDuration(f.timeout ?? '2m', '--timeout', { min: 1000, max: 15 * 60_000 });
  const named = builtInQuery(text);
  if (named) return { label: `${named.name} (built in)`, query: named.query, timeoutMs };
  if (/^[a-z][a-z0-9-]*$/.test(text)) {
    throw new UsageError(
      `--insights "${text}" is not a built-in query; expected one of ${BUILT_IN_QUERIES.map((q) => q.name).join(', ')}, or a query.`,
      { code: ERROR_CODES.unknownName },
    );
  }
  return { label: 'query', query: text, timeoutMs };
}

export { renderInsights };
