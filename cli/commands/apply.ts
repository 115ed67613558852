import type { Command } from 'commander';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('apply')
    .description('Apply the saved plans of an environment in dependency order (refusing stale ones); without saved plans, plan first and ask. Exit 0 applied, 1 failed, 2 not confirmed, 4 state locked, 5 stale plan.')
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-y, --yes', 'apply without asking, also what berth plans during apply (CI)')
    .option('-p, --parallelism <n>', 'stacks applied at once', '4')
    .option('--lock-timeout <duration>', 'how long to wait for a held state lock (terraform -lock-timeout)', '0s')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; yes?: boolean; parallelism?: string; lockTimeout?: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { runSettings, withInterrupt } = await import('../../src/terraform/command.js');
        const settings = runSettings(opts, out);
        const { terminalAsk } = await import('../../src/terraform/prompt.js');
        const { renderPlanText, renderApplyText } = await import('../../src/terraform/render.js');
        const { applyEnvironment } = await import('../../src/terraform/orchestrate.js');
        const res = await withInterrupt(out, (signal) =>
          applyEnvironment(env, {
            ...settings,
            signal,
            autoApprove: Boolean(opts.yes),
            ask: opts.json ? undefined : terminalAsk(out),
            onPlan: (plan) => out.print(renderPlanText(plan)),
          }),
        );
        out.result(res, () => renderApplyText(res));
        return res.exitCode;
      }),
    );
}
