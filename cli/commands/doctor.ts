import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env?: string;
  service?: string;
  json?: boolean;
  verbose?: boolean;
  list?: boolean;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'Look at the live account and say what is wrong, with the evidence and the fix: network routes, security groups, why tasks stop, health checks, database, Redis, certificate, IAM.\n' +
        'Groups: network, security-groups, task-start, health, database, redis, certificate, iam (default: all); a single check id works too (network.private-route).\n' +
        'Ends within 70 s (each group reads for at most 60 s, in parallel; less with a small BERTH_AWS_TIMEOUT).\n' +
        exitHelp('doctor'),
    )
    .argument('[check...]', 'check groups or check ids to run (default: every group)')
    .option('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'only this service (default: all)')
    .option('-v, --verbose', 'show the evidence of passing checks too')
    .option('--list', 'list the check groups and check ids, then exit (no AWS calls)')
    .option('--json', 'machine-readable output: one JSON report on stdout')
    .action(
      action<Opts>(async (opts, out, args) => {
        if (opts.list) {
          const { CHECKS } = await import('../../src/doctor/catalog.js');
          const { parseSelection } = await import('../../src/doctor/run.js');
          parseSelection(args); // --list bogus: exit 2, like a run would
          const rows = CHECKS.filter((c) => !c.id.endsWith('.gather')).filter(
            (c) => !args.length || args.includes(c.id) || args.includes(c.id.split('.')[0]!),
          );
          out.result({ checks: rows }, () => rows.map((c) => `${c.id.padEnd(34)} ${c.title}`).join('\n'));
          return 0;
        }
        const { UsageError } = await import('../../src/output/errors.js');
        if (!opts.env)
          throw new UsageError('--env is required: expected the environment to examine (or --list to see the checks).', {
            code: 'usage.missing-option',
          });
        const [{ parseSelection, runDoctor, groupTimeoutMs }, { withDeadline }, { loadEnvironment }, { renderReport }] = await Promise.all([
          import('../../src/doctor/run.js'),
          import('../../src/aws/deadline.js'),
          import('../../src/config/load.js'),
          import('../../src/doctor/render.js'),
        ]);
        parseSelection(args); // unknown groups: usage error before any AWS call
        const env = loadEnvironment(opts.env);
        const step = await out.step(`doctor: examining ${env.name}`);
        let done = 0;
        const report = await withDeadline(
          runDoctor({
            env,
            select: args,
            service: opts.service,
            onGroup: (name, findings, ms) => {
              done++;
              const bad = findings.filter((f) => f.status === 'FAIL').length;
              step.update(`doctor: ${name} done in ${(ms / 1000).toFixed(1)} s${bad ? ` (${bad} failing)` : ''} [${done}]`);
            },
          }),
          groupTimeoutMs() + 10_000,
          'doctor',
        );
        const secs = (report.durationMs / 1000).toFixed(1);
        if (report.error) step.fail(`doctor: could not read the account (${report.error.code})`);
        else if (report.summary.fail) step.fail(`doctor: ${report.summary.fail} failing check(s) in ${secs} s`);
        else if (report.summary.warn) step.warn(`doctor: no failure, ${report.summary.warn} warning(s) in ${secs} s`);
        else step.succeed(`doctor: all ${report.summary.pass} checks pass in ${(report.durationMs / 1000).toFixed(1)} s`);
        out.result(report, () => renderReport(report, (s, x) => out.paint(s, x), { verbose: opts.verbose }));
        return report.exitCode;
      }),
    );
}
