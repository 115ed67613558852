import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
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
          exitHelp('rollback'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)')
      .option('--to <revision|image>', 'a revision number, family:revision, task-definition ARN, or an image reference')
      .option('-y, --yes', 'do not ask (required without a terminal, and with --json)'),
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { watchSettings } = await import('../../src/cli-args/watch.js');
        const { checkRollbackTo } = await import('../../src/cli-args/rollback.js');
        const settings = watchSettings(opts);
        const to = checkRollbackTo(opts.to);
        const canPrompt = out.caps.canPrompt && !out.json;
        if (!opts.yes && !canPrompt) {
          const { ERROR_CODES, UsageError } = await import('../../src/output/errors.js');
          throw new UsageError(
            'rollback changes a running service and there is no terminal to ask on: expected --yes to confirm; nothing changed.',
            {
              code: ERROR_CODES.notConfirmed,
              hint: 'Add --yes in scripts and with --json.',
            },
          );
        }
        const { openOp, confirm } = await import('../../src/rollout/open-op.js');
        const op = openOp(opts.env, opts.service, out);
        const { rollback } = await import('../../src/rollout/rollback.js');
        const { renderOp } = await import('../../src/rollout/render-op.js');
        const res = await rollback(op, { ...settings, to, yes: Boolean(opts.yes), canPrompt, confirm });
        out.result(res, () => renderOp(res));
        return res.exitCode;
      }),
    );
}
