import type { Command } from 'commander';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('outputs')
    .description('The outputs of every stack of an environment, merged (endpoints, ARNs, URLs); sensitive ones are masked.')
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-p, --parallelism <n>', 'stacks read at once', '4')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; parallelism?: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { runSettings } = await import('../../src/terraform/command.js');
        const { environmentOutputs } = await import('../../src/terraform/orchestrate.js');
        const { renderOutputsText } = await import('../../src/terraform/render.js');
        const res = await environmentOutputs(env, runSettings(opts, out));
        out.result(res, () => renderOutputsText(res));
      }),
    );
}
