import type { Command } from 'commander';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('plan')
    .description('Plan every stack of an environment (dependency order, independent stacks in parallel) and save the plans for `berth apply`. Exit 0 no changes, 2 changes pending, 1 error.')
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--markdown <file>', 'also write a summary fit for a pull-request comment to this file')
    .option('-p, --parallelism <n>', 'stacks planned at once', '4')
    .option('--lock-timeout <duration>', 'how long to wait for a held state lock (terraform -lock-timeout)', '0s')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; markdown?: string; parallelism?: string; lockTimeout?: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { runSettings, withInterrupt } = await import('../../src/terraform/command.js');
        const settings = runSettings(opts, out);
        const { planEnvironment } = await import('../../src/terraform/orchestrate.js');
        const res = await withInterrupt(out, (signal) => planEnvironment(env, { ...settings, signal }));
        const { renderPlanText, renderPlanMarkdown } = await import('../../src/terraform/render.js');
        if (opts.markdown) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(opts.markdown, renderPlanMarkdown(res));
        }
        out.result(res, () => renderPlanText(res));
        return res.exitCode;
      }),
    );
}
