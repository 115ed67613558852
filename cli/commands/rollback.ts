import type { Command } from 'commander';
import { action } from '../run.js';
import { addWatchOptions, type WatchOpts } from './watch-options.js';

interface Opts extends WatchOpts {
  to?: string;
  yes?: boolean;
}

export function register(program: Command): void {
  addWatchOptions(
      program
      .command('rollback')
      .description(
        'Roll the service back to the last revision that ran healthy (or --to a revision or image), and watch it like a deploy. Never deregisters anything.\n' +
          'Exit codes: 0 succeeded, 11 the rollback failed, 13 timed out, 14 superseded, 2 bad input or no --yes without a terminal (nothing changed).',
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)')
      .option('--to <revision|image>', 'a revision number, family:revision, task-definition ARN, or an image reference')
      .option('-y, --yes', 'do not ask (required without a terminal, and with --json)')
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { openOp, watchSettings, confirm } = await import('../../src/rollout/cli-support.js');
        const settings = watchSettings(opts);
        const op = openOp(opts.env, opts.service, out);
        const { rollback, renderOp } = await import('../../src/rollout/operate.js');
        const res = await rollback(op, { ...settings, to: opts.to, yes: Boolean(opts.yes), canPrompt: out.caps.canPrompt && !out.json, confirm });
        out.result(res, () => renderOp(res));
        return res.exitCode;
      }),
    );
}
