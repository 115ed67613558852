import type { Command } from 'commander';
import { FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { terraformSetup } from './terraform-setup.js';

export function register(program: Command): void {
  program
    .command('outputs')
    .description(
      'The outputs of every stack of an environment, merged (endpoints, ARNs, URLs); sensitive ones are masked.\n' + exitHelp('outputs'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-p, --parallelism <n>', 'stacks read at once (1-32)', String(FLAG_DEFAULTS.parallelism))
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; parallelism?: string; json?: boolean }>(async (opts, out) => {
        const { env, settings } = await terraformSetup(opts, out);
        const { environmentOutputs } = await import('../../src/terraform/orchestrate.js');
        const { renderOutputsText } = await import('../../src/terraform/render.js');
        const res = await environmentOutputs(env, settings);
        out.result(res, () => renderOutputsText(res));
      }),
    );
}
