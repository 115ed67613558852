import type { Command } from 'commander';
import { FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  service?: string;
  keep?: string;
  keepDays?: string;
  prune?: boolean;
  delete?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('revisions')
    .description(
      "The service's task-definition revisions with what berth knows of each (running, rollback target, healthy-at, failed-at, " +
        'one-off), and which --prune would remove. ' +
        'Never removed: the running revision(s), the rollback target, anything registered or seen running within --keep-days, ' +
        'the --keep newest releases.\n' +
        exitHelp('revisions'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'the service (required when the environment has several)')
    .option('--keep <n>', 'newest release revisions to keep besides the protected ones', String(FLAG_DEFAULTS.revisionsKeep))
    .option(
      '--keep-days <days>',
      'keep revisions registered or seen running within this many days',
      String(FLAG_DEFAULTS.revisionsKeepDays),
    )
    .option('--prune', 'deregister the revisions not kept (asks on a terminal; --yes without one)')
    .option('--delete', 'with --prune: also delete them (DeleteTaskDefinitions), including already INACTIVE ones not kept')
    .option('-y, --yes', 'prune without asking')
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { retentionFlags, revisions, renderRevisions } = await import('../../src/revisions/run.js');
        const { ERROR_CODES, UsageError } = await import('../../src/output/errors.js');
        const r = retentionFlags(opts.keep, opts.keepDays);
        if (opts.delete && !opts.prune) throw new UsageError('--delete goes with --prune.', { code: ERROR_CODES.flagCombination });
        const { openOp, confirm } = await import('../../src/rollout/open-op.js');
        const op = openOp(opts.env, opts.service, out);
        const res = await revisions(op, {
          ...r,
          prune: Boolean(opts.prune),
          delete: Boolean(opts.delete),
          yes: Boolean(opts.yes),
          canPrompt: out.caps.canPrompt && !out.json,
          confirm,
        });
        out.result(res, () => renderRevisions(res));
        return res.exitCode;
      }),
    );
}
