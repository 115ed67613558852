import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('check')
    .description(
      'Security rules over the synthesized Terraform of an environment (encryption, TLS, open ports, secrets, IAM, ...). Findings waived in the environment config do not count.\n' +
        exitHelp('check'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--json', 'machine-readable output')
    .action(
      action<{ env: string; json?: boolean }>(async (opts, out) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { checkEnvironment, renderCheckText } = await import('../../src/check/run.js');
        const report = await checkEnvironment(env);
        out.result(report, () => renderCheckText(report));
        return report.exitCode;
      }),
    );
}
