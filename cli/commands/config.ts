import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  const config = program.command('config').description('Validate environment files and document their fields.');
  config
    .command('validate')
    .description('Validate an environment file; lists every problem at once.\n' + exitHelp('config validate'))
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        out.result(
          { ok: true, environment: env },
          () =>
            `${opts.env}: valid (${env.services.length} service${env.services.length === 1 ? '' : 's'}: ${env.services.map((s) => s.name).join(', ')}).`,
        );
      }),
    );
  config
    .command('docs')
    .description('Print every environment field with its default, as Markdown.\n' + exitHelp('config docs'))
    .option('--json', 'machine-readable output')
    .action(
      action<{ json?: boolean }>(async (_opts, out) => {
        const { docRows } = await import('../../src/config/spec.js');
        const { environmentSpec } = await import('../../src/config/schema.js');
        const rows = docRows(environmentSpec);
        out.result(rows, () =>
          [
            '| field | accepts | default | meaning |',
            '| --- | --- | --- | --- |',
            ...rows.map((r) => `| \`${r.path}\` | ${r.accepts} | ${r.default ? '`' + r.default + '`' : ''} | ${r.doc} |`),
          ].join('\n'),
        );
      }),
    );
  config
    .command('schema')
    .description(
      'Print the JSON Schema of environment files (the one shipped as schema/environment.schema.json, for editors).\n' +
        exitHelp('config schema'),
    )
    .option('--json', 'machine-readable output (the schema is JSON either way)')
    .action(
      action<{ json?: boolean }>(async (_opts, out) => {
        const { environmentJsonSchema } = await import('../../src/config/json-schema.js');
        const { environmentSpec } = await import('../../src/config/schema.js');
        const doc = environmentJsonSchema(environmentSpec);
        out.result(doc, () => JSON.stringify(doc, null, 2));
      }),
    );
}
