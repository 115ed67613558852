import type { Command } from 'commander';
import { describeDurationBound, FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  service?: string;
  watch?: boolean;
  interval?: string;
  for?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('status')
    .description(
      'Each service: desired/running/pending, deployments (revision, image, rollout state, age), autoscaling range, last events, target health; alarms in ALARM.\n' +
        'Ends within the read bound (default 2 min 11 s; it follows BERTH_AWS_TIMEOUT); --watch: until --for or Ctrl-C.\n' +
        exitHelp('status'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'only this service (default: all)')
    .option('-w, --watch', 'refresh until interrupted (a TTY redraws; otherwise one block per change)')
    .option(
      '--interval <duration>',
      `refresh interval with --watch (${describeDurationBound(FLAG_BOUNDS.statusInterval)})`,
      FLAG_DEFAULTS.statusInterval,
    )
    .option('--for <duration>', `with --watch: stop after this long (${describeDurationBound(FLAG_BOUNDS.forDuration)})`)
    .option('--json', 'machine-readable output (not with --watch)')
    .action(
      action<Opts>(async (opts, out) => {
        // Everything the command runs, loaded at once (each import is a chunk of the bundled CLI).
        const [
          { statusSettings },
          { loadEnvironment },
          { selectServices },
          { environmentContext },
          { gatherStatus },
          { buildStatus, exitCodeForStatus },
          { withDeadline },
          { awsLimits },
        ] = await Promise.all([
          import('../../src/cli-args/status.js'),
          import('../../src/config/load.js'),
          import('../../src/rollout/target.js'),
          import('../../src/sandbox/context.js'),
          import('../../src/status/gather.js'),
          import('../../src/status/judge.js'),
          import('../../src/aws/deadline.js'),
          import('../../src/aws/limits.js'),
        ]);
        const { intervalMs, forMs } = statusSettings(opts);
        const env = loadEnvironment(opts.env);
        const services = selectServices(env, opts.service);
        const ctx = environmentContext(env);
        const bound = awsLimits().commandBoundMs;
        const once = async () => buildStatus(await withDeadline(gatherStatus(ctx, env, services), bound, 'status'), Date.now());
        if (opts.watch) {
          const { watchStatus } = await import('../../src/status/watch.js');
          return watchStatus({ report: once, out, intervalMs, forMs });
        }
        const [report, { renderStatus }] = await Promise.all([once(), import('../../src/status/render.js')]);
        out.result(report, () => renderStatus(report, (s, x) => out.paint(s, x)));
        return exitCodeForStatus(report);
      }),
    );
}
