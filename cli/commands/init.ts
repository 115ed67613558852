import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface InitOpts {
  template: string;
  force?: boolean;
  ci?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'Create environments/<name>.json from an example (with a $schema reference for editors), git-ignore .berth/ and ' +
        'cdktf.out/, and optionally add CI workflows. Never overwrites a file berth did not write.\n' +
        exitHelp('init'),
    )
    .argument('<name>', "the new environment's name")
    .option('-t, --template <template>', 'platform (one API, PostgreSQL) or two-service (web + API, MySQL)', 'platform')
    .option('--force', 'overwrite an environment file berth init wrote before (never one it did not write)')
    .option('--ci <provider>', 'also copy the CI workflows for this provider (github) into .github/workflows/, for this environment')
    .option('--json', 'machine-readable output')
    .action(
      action<InitOpts>(async (opts, out, [name]) => {
        const { initEnvironment, checkEnvironmentName } = await import('../../src/config/init.js');
        const { checkCi, initCi } = await import('../../src/config/init-ci.js');
        checkEnvironmentName(name!);
        if (opts.ci) checkCi(opts.ci); // every refusal before the first write
        const res = initEnvironment(name!, opts.template, { force: Boolean(opts.force) });
        const ci = opts.ci ? initCi(opts.ci, name!) : undefined;
        out.result({ ...res, workflows: ci?.files ?? [] }, () =>
          [
            `Wrote ${res.file} from the ${res.template} template (schema: ${res.schema}).`,
            res.gitignoreAdded.length ? `Added ${res.gitignoreAdded.join(', ')} to ${res.gitignore}.` : '',
            ...(ci?.files ?? []).map((f) => `Wrote ${f}.`),
            `Next: edit it (app, domain, services), then \`berth config validate --env ${name}\` and \`berth synth --env ${name}\`.`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      }),
    );
}
