import type { Command } from 'commander';
import { action } from '../run.js';
import { addWatchOptions, type WatchOpts } from './watch-options.js';

interface Opts extends WatchOpts {
  count: string;
  updateRange?: boolean;
}

export function register(program: Command): void {
  addWatchOptions(
      program
      .command('scale')
      .description(
        'Set the desired count within the autoscaling range (--update-range moves the range too) and watch until the tasks run and are healthy.\n' +
          'Exit codes: 0 succeeded, 12 failed, 13 timed out, 14 superseded, 2 bad input or a count outside the range (nothing changed).',
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)')
      .requiredOption('-c, --count <n>', 'the desired number of tasks')
      .option('--update-range', 'also move the autoscaling min/max to include the count')
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { openOp, watchSettings } = await import('../../src/rollout/cli-support.js');
        const { UsageError } = await import('../../src/output/errors.js');
        const settings = watchSettings(opts);
        if (!/^\d+$/.test(opts.count)) throw new UsageError(`--count "${opts.count}": expected a whole number, 0 or more.`);
        const op = openOp(opts.env, opts.service, out);
        const { scale, renderOp } = await import('../../src/rollout/operate.js');
        const res = await scale(op, { ...settings, count: Number(opts.count), updateRange: Boolean(opts.updateRange) });
        out.result(res, () => renderOp(res) + (res.range ? `\nautoscaling range ${res.range.min}..${res.range.max}${res.range.updated ? ' (updated)' : ''}` : ''));
        return res.exitCode;
      }),
    );
}
