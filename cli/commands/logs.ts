import type { Command } from 'commander';
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
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('logs')
    .description(
      "The service's log events in time order, all tasks interleaved (one colour per task on a terminal). Streams: constant memory.\n" +
        'Exit codes: 0 done (or --follow interrupted), 1 the log group is missing or AWS refused, 2 bad input.',
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'the service (required when the environment has several)')
    .option('--since <when>', 'a duration back from now (10m, 2h, 1d) or an ISO time', '10m')
    .option('--until <when>', 'stop at this time (duration back from now or ISO); not with --follow')
    .option('-f, --follow', 'keep printing new events (about 1 s latency) until Ctrl-C')
    .option('--filter <pattern>', 'a CloudWatch Logs filter pattern, e.g. ERROR or "\\"connection refused\\""')
    .option('--task <id>', "only this task's stream (task id or ARN)")
    .option('--for <duration>', 'with --follow: stop after this long')
    .option('--json', 'one JSON array of events on stdout, streamed')
    .action(
      action<Opts>(async (opts, out) => {
        const { parseSince } = await import('../../src/logs/since.js');
        const { parseDuration } = await import('../../src/rollout/duration.js');
        const { UsageError } = await import('../../src/output/errors.js');
        const now = Date.now();
        const startTime = parseSince(opts.since ?? '10m', now);
        const endTime = opts.until ? parseSince(opts.until, now) : undefined;
        if (endTime !== undefined && opts.follow) throw new UsageError('--until and --follow do not combine.');
        if (endTime !== undefined && endTime < startTime) throw new UsageError('--until is before --since.');
        const forMs = opts.for ? parseDuration(opts.for, '--for') : undefined;
        if (opts.task !== undefined && !/^(arn:aws[a-z-]*:ecs:[^/]+:task\/)?([\w-]+\/)?[a-f0-9]{8,}$/i.test(opts.task)) throw new UsageError(`--task "${opts.task}" is not a task id or ARN.`);
        const { openOp } = await import('../../src/rollout/cli-support.js');
        const op = openOp(opts.env, opts.service, out);
        const { runLogs } = await import('../../src/logs/run.js');
        await runLogs(op.ctx, op.loc, { startTime, endTime, follow: Boolean(opts.follow), filter: opts.filter, task: opts.task, forMs }, out);
        return 0;
      }),
    );
}
