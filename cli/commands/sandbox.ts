import type { Command } from 'commander';
import { FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface UpOpts {
  json?: boolean;
  apply?: boolean;
  parallelism?: string;
  fresh?: boolean;
}
interface DownOpts {
  json?: boolean;
  destroy?: boolean;
}
interface StatusOpts {
  json?: boolean;
}

export function register(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description(
      'The whole platform on this machine, no AWS account: moto (extended by berth) on 127.0.0.1 and the real stacks applied to it.',
    );

  sandbox
    .command('up')
    .description(
      'Start the emulator (or reuse the running one) and apply every stack of the built-in sandbox environment to it; then wait until every service runs its desired count, healthy.\n' +
        'A second up over a live emulator plans no change. After down, up restores the sandbox the last full up saved (.berth/sandbox/saved: same ids, same terraform state) when its stacks have not changed; --fresh applies from nothing.\n' +
        exitHelp('sandbox up'),
    )
    .option('--no-apply', 'start (or reuse) the emulator only')
    .option('--fresh', 'apply every stack from nothing, even when a saved sandbox matches')
    .option('--parallelism <n>', 'stacks applied at once (1-32)', String(FLAG_DEFAULTS.parallelism))
    .option('--json', 'machine-readable output')
    .action(
      action<UpOpts>(async (opts, out) => {
        const { parseParallelism } = await import('../../src/cli-args/terraform.js');
        const parallelism = parseParallelism(opts.parallelism);
        const { sandboxUp } = await import('../../src/sandbox/lifecycle.js');
        const r = await sandboxUp({ reporter: out, apply: opts.apply !== false, parallelism, fresh: Boolean(opts.fresh) });
        out.result(r, () => {
          const lines = [
            out.paint('bold', `Sandbox up in ${(r.durationMs / 1000).toFixed(1)} s`) +
              ` (emulator ${r.emulator}${r.restored ? `, restored the sandbox saved ${r.restored.savedAt}` : r.applied ? `, ${r.changedStacks ? `${r.changedStacks} stack${r.changedStacks === 1 ? '' : 's'} applied` : 'no changes'}` : ', nothing applied'})`,
            `  emulator    ${r.endpoint}  (pid ${r.pid}, region ${r.region})`,
            `  public URL  ${r.publicUrl ?? '-'}  (stands for the ALB)`,
            `  cluster     ${r.cluster}`,
            ...r.services.map(
              (s) =>
                `  service     ${s.name}: ${s.running}/${s.desired} running, ${s.targets.healthy} healthy targets, ${s.healthUrl ?? ''}`,
            ),
            `  credentials ${r.credentials.accessKeyId} / ${r.credentials.secretAccessKey} (fake)`,
            `  log         ${r.logFile}`,
            '',
            'Try next:',
            ...r.next.map((n) => `  ${n}`),
          ];
          return lines.join('\n');
        });
      }),
    );

  sandbox
    .command('down')
    .description(
      'Stop the emulator berth started (by its PID, after checking it is still the emulator), check it is gone and its ports closed, ' +
        'and remove the sandbox record, terraform state and saved plans. No terraform destroy: the emulator keeps its resources in memory. ' +
        exitHelp('sandbox down'),
    )
    .option('--destroy', 'destroy every stack with terraform first (reverse order, as on AWS; slower), then stop the emulator')
    .option('--no-destroy', 'stop the emulator without terraform destroy (the default)')
    .option('--json', 'machine-readable output')
    .action(
      action<DownOpts>(async (opts, out) => {
        const { sandboxDown } = await import('../../src/sandbox/lifecycle.js');
        const r = await sandboxDown({ reporter: out, destroy: opts.destroy === true });
        out.result(r, () =>
          !r.found
            ? 'No sandbox here (nothing to stop).'
            : `Sandbox down in ${(r.durationMs / 1000).toFixed(1)} s: ${r.destroyed ? 'stacks destroyed, ' : ''}` +
              `${r.stoppedPid ? `emulator (pid ${r.stoppedPid}) stopped, ports ${r.portsClosed.join(', ')} closed` : 'no emulator was running'}; ` +
              `removed ${r.removed.join(', ')}.`,
        );
      }),
    );

  sandbox
    .command('status')
    .description('Is a sandbox running here? Its endpoint, region, public URL and services. ' + exitHelp('sandbox status'))
    .option('--json', 'machine-readable output')
    .action(
      action<StatusOpts>(async (opts, out) => {
        const { sandboxStatus } = await import('../../src/sandbox/lifecycle.js');
        const r = await sandboxStatus();
        out.result(r, () => {
          if (!r.running)
            return r.stale
              ? `No sandbox running: the emulator recorded here (pid ${r.pid}, ${r.endpoint}) is gone. \`berth sandbox up\` starts a new one.`
              : 'No sandbox running. Start one with `berth sandbox up`.';
          return [
            `Sandbox running`,
            `  emulator    ${r.endpoint}  (pid ${r.pid}, region ${r.region}, since ${r.startedAt})`,
            `  public URL  ${r.publicUrl ?? '-'}`,
            ...(r.cluster ? [`  cluster     ${r.cluster}`] : []),
            ...(r.services ?? []).map(
              (s) =>
                `  service     ${s.name}: ${s.running}/${s.desired} running, ${s.targets.healthy} healthy, ${s.rolloutState ?? ''}${s.steady ? ', steady' : ''}`,
            ),
            ...(r.appliedAt ? [] : ['  (no stack applied yet: `berth sandbox up` applies them)']),
          ].join('\n');
        });
        return r.running ? 0 : 1;
      }),
    );
}
