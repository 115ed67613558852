import type { Command } from 'commander';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  service?: string;
  image?: string;
  tag?: string;
  cpu?: string;
  memory?: string;
  timeout?: string;
  detach?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      "Run a one-off task (a migration, a script) from the service's task definition, in its subnets and security groups with " +
        'its secrets and logging; ' +
        "the command after `--` overrides the container's. Streams the task's log lines; exits with the container's exit code.\n" +
        exitHelp('run'),
    )
    .argument('[command...]', 'the command, after `--`, e.g. -- ./manage.py migrate, or -- sh -c "echo hi; exit 3"')
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-s, --service <name>', 'the service (required when the environment has several)')
    .option(
      '--image <uri:tag>',
      'run another image: a one-off revision (tagged berth:one-off, never a release) with only this image changed',
    )
    .option('--tag <tag>', "like --image, with a tag in the service's ECR repository")
    .option('--cpu <units>', 'task CPU units for this task (Fargate sizes: 256 ... 16384)')
    .option('--memory <MiB>', 'task memory for this task (a valid Fargate pair with the cpu)')
    .option('--timeout <duration>', 'stop the task if it has not exited after this long', FLAG_DEFAULTS.runTimeout)
    .option('-d, --detach', 'print the task id and return at once (exit 0); follow with `berth logs --task <id> --follow`')
    .option('-y, --yes', 'on Ctrl-C stop the task without asking (without a terminal, Ctrl-C leaves it running unless --yes)')
    .option('--json', 'one JSON document on stdout (the log lines go to stderr)')
    .action(
      action<Opts>(async (opts, out, args) => {
        const { commandFromWords } = await import('../../src/run/command.js');
        const { parseDuration } = await import('../../src/cli-args/duration.js');
        const { checkImage, checkTag } = await import('../../src/cli-args/image.js');
        const { taskSize } = await import('../../src/run/task-size.js');
        const { ERROR_CODES, UsageError } = await import('../../src/output/errors.js');
        const command = commandFromWords(args);
        const timeoutMs = parseDuration(opts.timeout ?? FLAG_DEFAULTS.runTimeout, '--timeout', FLAG_BOUNDS.timeout);
        if (opts.image && opts.tag)
          throw new UsageError('--image and --tag do not combine: pass one.', { code: ERROR_CODES.flagCombination });
        if (opts.image) checkImage(opts.image);
        if (opts.tag) checkTag(opts.tag);
        const { openOp, confirm } = await import('../../src/rollout/open-op.js');
        const op = openOp(opts.env, opts.service, out);
        const size = taskSize(opts, { cpu: op.svc.cpu, memory: op.svc.memory });
        const { runOneOff, renderRun } = await import('../../src/run/run.js');
        const res = await runOneOff(op, {
          command,
          image: opts.image,
          tag: opts.tag,
          size,
          timeoutMs,
          detach: Boolean(opts.detach),
          yes: Boolean(opts.yes),
          interactive: out.caps.canPrompt,
          ask: confirm,
          onLine: (l) => out.print(l),
        });
        // stdout carries only the task's own lines (and the task id with --detach); berth's summary goes to stderr.
        if (out.json || opts.detach) out.result(res, () => res.taskId);
        else out.info(renderRun(res));
        return res.exitCode;
      }),
    );
}
