import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('dashboard')
    .description(
      "The console URL of the environment's CloudWatch dashboard (created by the alarms stack). No AWS call.\n" + exitHelp('dashboard'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--json', 'machine-readable output: {name, region, url}')
    .action(
      action<{ env: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const { dashboardLink } = await import('../../src/dashboard/url.js');
        const env = loadEnvironment(opts.env);
        const link = dashboardLink(env);
        const note = env.sandbox ? '\n(sandbox: the dashboard lives in the emulator; the console shows the real account only)' : '';
        out.result({ ok: true, ...link, sandbox: env.sandbox }, () => `${link.url}${note}`);
      }),
    );
}
