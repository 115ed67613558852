import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('synth')
    .description(
      "Synthesize the environment's stacks to cdktf.out/<env>/ (in-process, deterministic). --out names a new or empty folder (or one berth wrote); berth never deletes a file it did not write.\n" +
        exitHelp('synth'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-o, --out <dir>', "output folder (default: cdktf.out/<env>; a local backend's state paths assume that layout)")
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; out?: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        if (opts.out !== undefined) {
          const { claimOutputDir } = await import('../../src/config/owned-dir.js');
          claimOutputDir(opts.out, '--out'); // checked before cdktf loads
        }
        const { synthEnvironment } = await import('../../stacks/synth.js');
        const res = await synthEnvironment(env, { outdir: opts.out });
        const kindOf = new Map(res.stacks.map((s) => [s.name, s.kind]));
        out.result(
          res,
          () =>
            `Synthesized ${res.stacks.length} stacks of ${env.name} to ${res.outdir}:\n` +
            res.stacks
              .map(
                (s) =>
                  `  ${s.name}  (${s.resources} resources${s.dependencies.length ? `; after ${s.dependencies.map((d) => kindOf.get(d) ?? d).join(', ')}` : ''})`,
              )
              .join('\n'),
        );
      }),
    );
}
