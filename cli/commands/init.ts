import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('init')
    .description('Create environments/<name>.json from an example environment.\n' + exitHelp('init'))
    .argument('<name>', 'the new environment\'s name')
    .option('-t, --template <template>', 'platform (one API, PostgreSQL) or two-service (web + API, MySQL)', 'platform')
    .option('--force', 'overwrite an environment file berth init wrote before (never one it did not write)')
    .option('--json', 'machine-readable output')
    .action(
      action<{ template: string; force?: boolean; json?: boolean }>(async (opts, out, [name]) => {
        const { initEnvironment } = await import('../../src/config/init.js');
        const res = initEnvironment(name!, opts.template, { force: Boolean(opts.force) });
        out.result(res, () => `Wrote ${res.file} from the ${res.template} template.\nNext: edit it (app, domain, services), then \`berth config validate --env ${name}\` and \`berth synth --env ${name}\`.`);
      }),
    );
}
