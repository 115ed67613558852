import type { Command } from 'commander';
import { describeDurationBound, FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  service?: string;
  timeout?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('health')
    .description(
      "ALB target health per target (state, reason code), an HTTP check of each service's public health URL (status, latency, TLS certificate days left).\n" +
        'Ends within the read bound (default 2 min 11 s; it follows BERTH_AWS_TIMEOUT) plus --timeout.\n' +
        exitHelp('health'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'only this service (default: all)')
    .option('--timeout <duration>', `HTTP timeout (${describeDurationBound(FLAG_BOUNDS.healthTimeout)})`, FLAG_DEFAULTS.healthTimeout)
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        // Everything the command runs, loaded at once (each import is a chunk of the bundled CLI).
        const [
          { healthTimeout },
          { loadEnvironment },
          { selectServices },
          { environmentContext },
          { gatherHealth },
          { buildHealth },
          { renderHealth },
          { withDeadline },
          { awsLimits },
        ] = await Promise.all([
          import('../../src/cli-args/status.js'),
          import('../../src/config/load.js'),
          import('../../src/rollout/target.js'),
          import('../../src/sandbox/context.js'),
          import('../../src/health/gather.js'),
          import('../../src/health/judge.js'),
          import('../../src/health/render.js'),
          import('../../src/aws/deadline.js'),
          import('../../src/aws/limits.js'),
        ]);
        const timeoutMs = healthTimeout(opts.timeout);
        const env = loadEnvironment(opts.env);
        const services = selectServices(env, opts.service);
        const ctx = environmentContext(env);
        const bound = awsLimits().commandBoundMs + timeoutMs;
        const report = buildHealth(await withDeadline(gatherHealth(ctx, env, services, { timeoutMs }), bound, 'health'));
        out.result(report, () => renderHealth(report, (s, x) => out.paint(s, x)));
        return report.healthy ? 0 : 1;
      }),
    );
}
