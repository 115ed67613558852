import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addTerraformOptions, terraformSetup } from './terraform-setup.js';

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('destroy')
      .description(
        'Destroy every stack of an environment in reverse dependency order. A protected environment needs its name typed back or --confirm <name>.\n' +
          exitHelp('destroy'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('--confirm <name>', "the environment's name, to destroy without a prompt (needed for a protected environment in a script)")
      .option('-y, --yes', 'destroy an unprotected environment without asking'),
    'destroyed',
  ).action(
    action<{ env: string; confirm?: string; yes?: boolean; parallelism?: string; lockTimeout?: string; json?: boolean }>(
      async (opts, out) => {
        const { env, settings } = await terraformSetup(opts, out);
        const { withInterrupt } = await import('../../src/terraform/command.js');
        const { terminalAsk } = await import('../../src/terraform/prompt.js');
        const { renderDestroyText } = await import('../../src/terraform/render.js');
        const { destroyEnvironment } = await import('../../src/terraform/orchestrate.js');
        const res = await withInterrupt(out, (signal) =>
          destroyEnvironment(env, {
            ...settings,
            signal,
            autoApprove: Boolean(opts.yes),
            confirm: opts.confirm,
            ask: opts.json ? undefined : terminalAsk(out),
          }),
        );
        out.result(res, () => renderDestroyText(res));
        return res.exitCode;
      },
    ),
  );
}
