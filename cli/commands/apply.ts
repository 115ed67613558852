import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addTerraformOptions, terraformSetup } from './terraform-setup.js';

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('apply')
      .description(
        'Apply the saved plans of an environment in dependency order (refusing stale ones); without saved plans, plan first and ask.\n' +
          exitHelp('apply'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-y, --yes', 'apply without asking, also what berth plans during apply (CI)')
      .option(
        '--allow-destroy',
        'an adopted environment (berth adopt, or a resource map): apply even a plan that destroys or replaces something',
      ),
    'applied',
  ).action(
    action<{ env: string; yes?: boolean; allowDestroy?: boolean; parallelism?: string; lockTimeout?: string; json?: boolean }>(
      async (opts, out) => {
        const { env, settings } = await terraformSetup(opts, out);
        const { withInterrupt } = await import('../../src/terraform/command.js');
        const { terminalAsk } = await import('../../src/terraform/prompt.js');
        const { renderPlanText, renderApplyText } = await import('../../src/terraform/render.js');
        const { applyEnvironment } = await import('../../src/terraform/orchestrate.js');
        const res = await withInterrupt(out, (signal) =>
          applyEnvironment(env, {
            ...settings,
            signal,
            autoApprove: Boolean(opts.yes),
            allowDestroy: Boolean(opts.allowDestroy),
            ask: opts.json ? undefined : terminalAsk(out),
            onPlan: (plan) => out.print(renderPlanText(plan)),
          }),
        );
        out.result(res, () => renderApplyText(res));
        return res.exitCode;
      },
    ),
  );
}
