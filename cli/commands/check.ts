import type { Command } from 'commander';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('Security rules over the synthesized Terraform of an environment (encryption, TLS, open ports, secrets, IAM, ...). Exit 1 on any finding not waived in the environment config, 0 otherwise.')
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
