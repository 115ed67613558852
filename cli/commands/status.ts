import type { Command } from 'commander';
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
        'Exit codes: 0 shown, 1 a service is not deployed or AWS refused, 2 bad input.',
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'only this service (default: all)')
    .option('-w, --watch', 'refresh until interrupted (a TTY redraws; otherwise one block per change)')
    .option('--interval <duration>', 'refresh interval with --watch', '2s')
    .option('--for <duration>', 'with --watch: stop after this long')
    .option('--json', 'machine-readable output (not with --watch)')
    .action(
      action<Opts>(async (opts, out) => {
        const { UsageError } = await import('../../src/output/errors.js');
        const { parseDuration } = await import('../../src/rollout/duration.js');
        if (opts.watch && opts.json) throw new UsageError('--watch and --json do not combine: poll `berth status --json` instead.');
        const intervalMs = parseDuration(opts.interval ?? '2s', '--interval');
        const forMs = opts.for ? parseDuration(opts.for, '--for') : undefined;
        const { loadEnvironment } = await import('../../src/config/load.js');
        const { selectServices } = await import('../../src/rollout/target.js');
        const { awsContext } = await import('../../src/aws/context.js');
        const env = loadEnvironment(opts.env);
        const services = selectServices(env, opts.service);
        const ctx = awsContext(env);
        const { gatherStatus, buildStatus, renderStatus, statusKey } = await import('../../src/status/status.js');
        const once = async () => buildStatus(await gatherStatus(ctx, env, services), Date.now());
        if (!opts.watch) {
          const report = await once();
          out.result(report, () => renderStatus(report, (s, x) => out.paint(s, x)));
          return report.services.every((s) => s.found) ? 0 : 1;
        }
        let stop = false;
        const onSig = () => (stop = true);
        process.once('SIGINT', onSig);
        const deadline = forMs !== undefined ? Date.now() + forMs : undefined;
        let lastKey = '';
        try {
          while (!stop && (deadline === undefined || Date.now() < deadline)) {
            const report = await once();
            const text = renderStatus(report, (s, x) => out.paint(s, x));
            if (out.rich) process.stdout.write('\x1b[2J\x1b[H' + text + '\n');
            else if (statusKey(report) !== lastKey) out.print(text + '\n');
            lastKey = statusKey(report);
            await new Promise((r) => setTimeout(r, intervalMs));
          }
        } finally {
          process.removeListener('SIGINT', onSig);
        }
        return 0;
      }),
    );
}
