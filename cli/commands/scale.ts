import type { Command } from 'commander';
import { FLAG_BOUNDS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
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
          exitHelp('scale'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)')
      .requiredOption('-c, --count <n>', `the desired number of tasks (${FLAG_BOUNDS.count.min}-${FLAG_BOUNDS.count.max})`)
      .option('--update-range', 'also move the autoscaling min/max to include the count'),
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { watchSettings } = await import('../../src/cli-args/watch.js');
        const { parseWholeNumber } = await import('../../src/cli-args/number.js');
        const settings = watchSettings(opts);
        const count = parseWholeNumber(opts.count, '--count', FLAG_BOUNDS.count);
        const { openOp } = await import('../../src/rollout/open-op.js');
        const op = openOp(opts.env, opts.service, out);
        const { scale } = await import('../../src/rollout/scale.js');
        const { renderOp } = await import('../../src/rollout/render-op.js');
        const res = await scale(op, { ...settings, count, updateRange: Boolean(opts.updateRange) });
        out.result(
          res,
          () =>
            renderOp(res) +
            (res.range ? `\nautoscaling range ${res.range.min}..${res.range.max}${res.range.updated ? ' (updated)' : ''}` : ''),
        );
        return res.exitCode;
      }),
    );
}
