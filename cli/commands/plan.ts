import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addTerraformOptions, terraformSetup } from './terraform-setup.js';

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('plan')
      .description(
        'Plan every stack of an environment (dependency order, independent stacks in parallel) and save the plans for `berth apply`.\n' +
          exitHelp('plan'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('--markdown <file>', 'also write the plan as a pull-request comment to this file (a new file, or one berth wrote before)')
      .option('--cost-base <env-file>', 'with --markdown: the environment file before this change (adds the monthly cost difference)'),
    'planned',
  ).action(
    action<{ env: string; markdown?: string; costBase?: string; parallelism?: string; lockTimeout?: string; json?: boolean }>(
      async (opts, out) => {
        const { env, settings, markdown } = await terraformSetup(opts, out);
        const { loadEnvironment } = await import('../../src/config/load.js');
        const costBase = opts.costBase !== undefined ? loadEnvironment(opts.costBase) : undefined;
        const { withInterrupt } = await import('../../src/terraform/command.js');
        const { planEnvironment } = await import('../../src/terraform/orchestrate.js');
        const res = await withInterrupt(out, (signal) => planEnvironment(env, { ...settings, detail: true, signal }));
        const { renderPlanText, renderPlanMarkdown } = await import('../../src/terraform/render.js');
        if (markdown) {
          const { writeFileSync } = await import('node:fs');
          const { recordOwnedFile } = await import('../../src/config/owned-dir.js');
          const { planCostLine } = await import('../../src/cost/plan-cost.js');
          writeFileSync(markdown, renderPlanMarkdown(res, { cost: planCostLine(env, costBase) }));
          recordOwnedFile(markdown);
        }
        out.result(res, () => renderPlanText(res));
        return res.exitCode;
      },
    ),
  );
}
