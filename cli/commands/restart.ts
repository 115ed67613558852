import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addWatchOptions, type WatchOpts } from './watch-options.js';

type Opts = WatchOpts;

export function register(program: Command): void {
  addWatchOptions(
    program
      .command('restart')
      .description(
        'Replace every task of the service (UpdateService forceNewDeployment) and watch it like a deploy.\n' + exitHelp('restart'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)'),
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { watchSettings } = await import('../../src/cli-args/watch.js');
        const settings = watchSettings(opts);
        const { openOp } = await import('../../src/rollout/open-op.js');
        const op = openOp(opts.env, opts.service, out);
        const { restart } = await import('../../src/rollout/restart.js');
        const { renderOp } = await import('../../src/rollout/render-op.js');
        const res = await restart(op, settings);
        out.result(res, () => renderOp(res));
        return res.exitCode;
      }),
    );
}
