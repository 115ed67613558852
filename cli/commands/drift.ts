import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addTerraformOptions, terraformSetup } from './terraform-setup.js';

interface DriftOpts {
  env: string;
  markdown?: string;
  parallelism?: string;
  lockTimeout?: string;
  json?: boolean;
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('drift')
      .description(
        'Find what changed outside terraform: a refresh-only plan of every applied stack, each drifted attribute before -> after. ' +
          `Changes nothing.\n${exitHelp('drift')}`,
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('--markdown <file>', 'also write the report as Markdown (for an issue) to this file (a new file, or one berth wrote before)'),
    'refreshed',
  ).action(
    action<DriftOpts>(async (opts, out) => {
      const { env, settings, markdown } = await terraformSetup(opts, out);
      const { withInterrupt } = await import('../../src/terraform/command.js');
      const { driftEnvironment } = await import('../../src/terraform/drift.js');
      const res = await withInterrupt(out, (signal) => driftEnvironment(env, { ...settings, signal }));
      const { renderDriftText, renderDriftMarkdown } = await import('../../src/terraform/drift-render.js');
      if (markdown) {
        const { writeFileSync } = await import('node:fs');
        const { recordOwnedFile } = await import('../../src/config/owned-dir.js');
        writeFileSync(markdown, renderDriftMarkdown(res));
        recordOwnedFile(markdown);
      }
      out.result(res, () => renderDriftText(res));
      return res.exitCode;
    }),
  );
}
