import type { Command } from 'commander';
import { describeDurationBound, FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  service?: string;
  since?: string;
  until?: string;
  follow?: boolean;
  filter?: string;
  task?: string;
  for?: string;
  insights?: string;
  timeout?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('logs')
    .description(
      "The service's log events in time order, all tasks interleaved (one colour per task on a terminal). Streams: constant memory.\n" +
        'Each request is bounded (BERTH_AWS_TIMEOUT per attempt, 4 attempts); without --follow it ends when the range is read; ' +
        '--follow: until --for or Ctrl-C.\n' +
        exitHelp('logs'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'the service (required when the environment has several)')
    .option('--since <when>', 'a duration back from now (10m, 2h, 1d; at most 3653d) or an ISO time', FLAG_DEFAULTS.logsSince)
    .option('--until <when>', 'stop at this time (duration back from now or ISO); not with --follow')
    .option('-f, --follow', 'keep printing new events (about 1 s latency) until Ctrl-C')
    .option('--filter <pattern>', 'a CloudWatch Logs filter pattern, e.g. ERROR or "\\"connection refused\\""')
    .option('--task <id>', "only this task's stream (task id or ARN)")
    .option('--for <duration>', `with --follow: stop after this long (${describeDurationBound(FLAG_BOUNDS.forDuration)})`)
    .option(
      '--insights <name|query>',
      'run a CloudWatch Logs Insights query over --since/--until: a built-in name (`--insights list`) or the query text',
    )
    .option('--timeout <duration>', 'with --insights: how long to wait for the query', '2m')
    .option('--json', 'one JSON array of events on stdout, streamed (with --insights: one document with the rows)')
    .action(
      action<Opts>(async (opts, out) => {
        if (opts.insights !== undefined)
          return (await import('../../src/insights/cli.js')).insightsAction({ ...opts, insights: opts.insights }, out);
        const [{ logsSettings }, { openOp }, { runLogs }] = await Promise.all([
          import('../../src/cli-args/logs.js'),
          import('../../src/rollout/open-op.js'),
          import('../../src/logs/run.js'),
        ]);
        const settings = logsSettings(opts);
        const op = openOp(opts.env, opts.service, out);
        await runLogs(op.ctx, op.loc, { ...settings, out: out.stdout }, out);
        return 0;
      }),
    );
}
