import type { Command } from 'commander';
import { FLAG_BOUNDS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';
import { addWatchOptions, type WatchOpts } from './watch-options.js';

interface Opts extends WatchOpts {
  image?: string;
  tag?: string;
  rollback?: boolean;
  imageCheck?: boolean;
  runFirst?: string | false;
  runFirstTimeout?: string;
  snapshotFirst?: boolean;
  yes?: boolean;
  strategy?: string;
}

export function register(program: Command): void {
  addWatchOptions(
    program
      .command('deploy')
      .description(
        'Deploy an image: register a new task-definition revision (only the image changes), update the service, watch until a verdict; roll back on failure.\n' +
          exitHelp('deploy'),
      )
      .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
      .option('-s, --service <name>', 'the service (required when the environment has several)')
      .option('--image <uri:tag>', 'full image reference with a tag or @sha256 digest')
      .option(
        '--strategy <strategy>',
        "rolling, blue-green, canary or linear for this release (default: the service's deployment.strategy); the others shift traffic in steps, judge each on evidence and roll traffic back on failure",
      )
      .option('--tag <tag>', "a tag in the service's ECR repository")
      .option('--no-rollback', 'on failure, leave the service on the new revision')
      .option('--no-image-check', 'do not check that the image exists in ECR before deploying')
      .option(
        '--run-first <command>',
        "run this command (sh -c) as a one-off task on the NEW image before the service moves; a failure stops the release (default: the service's release.runFirst)",
      )
      .option('--no-run-first', "skip the service's release.runFirst")
      .option('--run-first-timeout <duration>', 'bound on the run-first task (default: release.runFirstTimeoutMinutes, 30m)')
      .option('--snapshot-first', 'take a manual snapshot of the Aurora cluster first (default: database.snapshotBeforeDeploy)')
      .option('--no-snapshot-first', 'skip the snapshot database.snapshotBeforeDeploy asks for')
      .option('-y, --yes', 'on Ctrl-C during the run-first task, stop it without asking'),
    'failed tasks of the new revision tolerated before failing (definitive errors fail at once)',
  )
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { watchSettings } = await import('../../src/cli-args/watch.js');
        const { confirm } = await import('../../src/rollout/open-op.js');
        const settings = watchSettings(opts);
        const { checkImage, checkTag } = await import('../../src/cli-args/image.js');
        if (opts.image) checkImage(opts.image);
        if (opts.tag) checkTag(opts.tag);
        if (Boolean(opts.image) === Boolean(opts.tag)) {
          const { ERROR_CODES, UsageError } = await import('../../src/output/errors.js');
          const both = Boolean(opts.image);
          throw new UsageError(both ? '--image and --tag do not combine: pass one.' : 'deploy needs --image <uri:tag> or --tag <tag>.', {
            code: both ? ERROR_CODES.flagCombination : ERROR_CODES.missingOption,
          });
        }
        const { parseStrategy } = await import('../../src/rollout/release/settings.js');
        const strategyFlag = opts.strategy !== undefined ? parseStrategy(opts.strategy) : undefined;
        const { openOp } = await import('../../src/rollout/open-op.js');
        const { parseDuration } = await import('../../src/cli-args/duration.js');
        const runFirstTimeout = opts.runFirstTimeout
          ? parseDuration(opts.runFirstTimeout, '--run-first-timeout', FLAG_BOUNDS.timeout)
          : undefined;
        const op = openOp(opts.env, opts.service, out);
        const { progressiveSettings } = await import('../../src/rollout/release/settings.js');
        const release = progressiveSettings(op.env, op.svc, strategyFlag, opts.rollback !== false);
        const { runFirstSettings, runFirstHook } = await import('../../src/run/run-first.js');
        const { snapshotFirstWanted, snapshotFirstHook } = await import('../../src/db/snapshot-first.js');
        const { releaseSteps } = await import('../../src/run/release-steps.js');
        const rf = runFirstSettings(op, opts.runFirst, runFirstTimeout);
        const beforeUpdate = releaseSteps([
          snapshotFirstWanted(op, opts.snapshotFirst) ? snapshotFirstHook(op) : undefined,
          rf ? runFirstHook(op, rf, { yes: opts.yes, interactive: out.caps.canPrompt, ask: confirm }) : undefined,
        ]);
        const { deploy } = await import('../../src/rollout/deploy.js');
        const { renderOp } = await import('../../src/rollout/render-op.js');
        const res = await deploy(op, {
          ...settings,
          image: opts.image,
          tag: opts.tag,
          rollback: opts.rollback !== false,
          imageCheck: opts.imageCheck !== false,
          beforeUpdate,
          release,
        });
        out.result(res, () => renderOp(res));
        return res.exitCode;
      }),
    );
}
