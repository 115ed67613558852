/**
 * Logs Insights queries built into berth, by name: the operators' own (p95 and average processing
 * time, error rate) written so they run as written, plus the top errors and the HTTP status mix.
 * Every query is plain Logs Insights syntax: what `--insights list` prints can be pasted into the console.
 */
export interface InsightsQuery {
  name: string;
  description: string;
  query: string;
}

export const BUILT_IN_QUERIES: InsightsQuery[] = [
  {
    name: 'error-rate',
    description: 'Per task (log stream): lines, ERROR lines and their share in percent, worst first',
    query: [
      'fields strcontains(@message, "ERROR") as is_error',
      'stats count(*) as lines, sum(is_error) as errors, sum(is_error) * 100 / count(*) as error_rate_pct by @logStream',
      'sort error_rate_pct desc',
    ].join('\n| '),
  },
  {
    name: 'processing-time',
    description: "Average and p95 of the processing_time field of JSON log lines (the seeds' structured query log)",
    query: [
      'filter ispresent(processing_time)',
      'stats avg(processing_time) as avg_time, pct(processing_time, 95) as p95_time, count(*) as queries',
    ].join('\n| '),
  },
  {
    name: 'top-errors',
    description: 'The ten most frequent ERROR messages, with when each was last seen',
    query: [
      'filter @message like /ERROR/',
      'parse @message /ERROR\\s+(?<error>.+)$/',
      'stats count(*) as occurrences, latest(@timestamp) as last_seen by error',
      'sort occurrences desc',
      'limit 10',
    ].join('\n| '),
  },
  {
    name: 'status-codes',
    description: 'Requests by HTTP status, from the access log lines',
    query: [
      'parse @message \'"* * HTTP/*" * \' as method, path, protocol, status',
      'filter ispresent(status)',
      'stats count(*) as requests by status',
      'sort requests desc',
    ].join('\n| '),
  },
];

export function builtInQuery(name: string): InsightsQuery | undefined {
  return BUILT_IN_QUERIES.find((q) => q.name === name);
}
