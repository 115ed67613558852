import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('adopt')
    .description(
      "Bring an existing platform under berth's stacks: resolve (read-only, bounded) the import id of everything the stacks would create that already exists, write them to .berth/adopt/<env>.json for `berth plan`, and report what is imported, created and left alone.\n" +
        exitHelp('adopt'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file (with a `resources` map)')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { checkAdoptInput, adoptEnvironment } = await import('../../src/adopt/run.js');
        checkAdoptInput(env);
        const { environmentContext } = await import('../../src/sandbox/context.js');
        const { defaultSynth } = await import('../../src/terraform/workspace.js');
        const { paths } = await import('../../src/config/paths.js');
        const res = await adoptEnvironment(env, { ctx: environmentContext(env), synth: defaultSynth, outdir: paths.synthDir(env.name) });
        const { renderAdopt } = await import('../../src/adopt/render.js');
        out.result(res, () => renderAdopt(res));
        return 0;
      }),
    );
}
