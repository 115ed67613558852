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
        const { healthTimeout } = await import('../../src/cli-args/status.js');
        const timeoutMs = healthTimeout(opts.timeout);
        const { loadEnvironment } = await import('../../src/config/load.js');
        const { selectServices } = await import('../../src/rollout/target.js');
        const { environmentContext } = await import('../../src/sandbox/context.js');
        const env = loadEnvironment(opts.env);
        const services = selectServices(env, opts.service);
        const ctx = environmentContext(env);
        const { gatherHealth } = await import('../../src/health/gather.js');
        const { buildHealth } = await import('../../src/health/judge.js');
        const { renderHealth } = await import('../../src/health/render.js');
        const { withDeadline } = await import('../../src/aws/deadline.js');
        const { awsLimits } = await import('../../src/aws/limits.js');
        const bound = awsLimits().commandBoundMs + timeoutMs;
        const report = buildHealth(await withDeadline(gatherHealth(ctx, env, services, { timeoutMs }), bound, 'health'));
        out.result(report, () => renderHealth(report, (s, x) => out.paint(s, x)));
        return report.healthy ? 0 : 1;
      }),
    );
}
