import type { Command } from 'commander';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Common {
  env: string;
  json?: boolean;
}

async function open(envName: string) {
  const { loadEnvironment } = await import('../../src/config/load.js');
  const { environmentContext } = await import('../../src/sandbox/context.js');
  const env = loadEnvironment(envName);
  return { env, ctx: environmentContext(env) };
}

function reasonOf(r: string | undefined, dflt: string): string {
  return (
    (r ?? dflt)
      .replace(/[^\p{L}\p{N} _.:/=+@-]/gu, ' ')
      .trim()
      .slice(0, 256) || dflt
  );
}

function snapshotCmd(db: Command): void {
  db.command('snapshot')
    .description(
      "Take a manual snapshot of the environment's Aurora cluster, tagged with who and why, and wait until it is available.\n" +
        exitHelp('db snapshot'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--name <id>', 'snapshot identifier (default <cluster>-berth-<UTC time>)')
    .option('--reason <text>', 'why (stored as the berth:reason tag)', 'manual snapshot')
    .option('--timeout <duration>', 'how long to wait for it to be available', FLAG_DEFAULTS.snapshotTimeout)
    .option('--no-wait', 'return once requested')
    .option('--json', 'machine-readable output')
    .action(
      action<Common & { name?: string; reason?: string; timeout?: string; wait?: boolean }>(async (opts, out) => {
        const { parseDuration } = await import('../../src/cli-args/duration.js');
        const { checkSnapshotId } = await import('../../src/db/identifiers.js');
        const timeoutMs = parseDuration(opts.timeout ?? FLAG_DEFAULTS.snapshotTimeout, '--timeout', FLAG_BOUNDS.timeout);
        const name = opts.name !== undefined ? checkSnapshotId(opts.name, '--name') : undefined;
        const { env, ctx } = await open(opts.env);
        const { takeSnapshot, renderSnapshot } = await import('../../src/db/snapshot.js');
        const r = await takeSnapshot(
          ctx,
          env,
          { name, reason: reasonOf(opts.reason, 'manual snapshot'), timeoutMs, wait: opts.wait !== false },
          out,
        );
        out.result(r, () => renderSnapshot(r));
        return r.exitCode;
      }),
    );
}

function snapshotsCmd(db: Command): void {
  db.command('snapshots')
    .description(
      "The cluster's snapshots, manual and automated, newest first, with age, size, who and why. --prune deletes berth's manual " +
        "snapshots beyond the environment's rule (database.snapshotRetention).\n" +
        exitHelp('db snapshots'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--prune', 'delete the snapshots marked "would delete" (asks on a terminal; --yes without one)')
    .option('--include-unmanaged', 'with --prune: apply the rule to manual snapshots berth did not take too (never to automated ones)')
    .option('-y, --yes', 'prune without asking')
    .option('--json', 'machine-readable output')
    .action(
      action<Common & { prune?: boolean; includeUnmanaged?: boolean; yes?: boolean }>(async (opts, out) => {
        const { ERROR_CODES, UsageError } = await import('../../src/output/errors.js');
        if (opts.includeUnmanaged && !opts.prune)
          throw new UsageError('--include-unmanaged goes with --prune.', { code: ERROR_CODES.flagCombination });
        const { env, ctx } = await open(opts.env);
        const { confirm } = await import('../../src/rollout/open-op.js');
        const { snapshots, renderSnapshots } = await import('../../src/db/snapshots.js');
        const r = await snapshots(
          ctx,
          env,
          {
            prune: Boolean(opts.prune),
            includeUnmanaged: Boolean(opts.includeUnmanaged),
            yes: Boolean(opts.yes),
            canPrompt: out.caps.canPrompt && !out.json,
            confirm,
          },
          out,
        );
        out.result(r, () => renderSnapshots(r));
        return r.exitCode;
      }),
    );
}

function restoreCmd(db: Command): void {
  db.command('restore')
    .description(
      'Restore a snapshot, or a point in time, into a NEW Aurora cluster beside the current one (never over it): same subnet ' +
        'group, security groups, KMS key, serverless v2 scaling, plus a writer instance. Prints how to switch a service to it.\n' +
        exitHelp('db restore'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('--snapshot <id>', 'a cluster snapshot (manual, automated rds:..., or ARN)')
    .option('--to-time <iso>', 'a point in time (ISO 8601 UTC, e.g. 2026-11-26T09:30:00Z) within the restorable window')
    .option('--latest', 'the latest restorable time')
    .option('--name <id>', 'the new cluster identifier (default <cluster>-r-<UTC time>)')
    .option('-s, --service <name>', 'name this service in the printed switch steps')
    .option('--reason <text>', 'why (stored as the berth:reason tag)', 'restore')
    .option('--timeout <duration>', 'how long to wait for the new cluster and its writer', FLAG_DEFAULTS.restoreTimeout)
    .option('--no-wait', 'return once the restore has started')
    .option('--json', 'machine-readable output')
    .action(
      action<
        Common & {
          snapshot?: string;
          toTime?: string;
          latest?: boolean;
          name?: string;
          service?: string;
          reason?: string;
          timeout?: string;
          wait?: boolean;
        }
      >(async (opts, out) => {
        const { restoreSource } = await import('../../src/db/restore-flags.js');
        const { parseDuration } = await import('../../src/cli-args/duration.js');
        const { checkClusterId } = await import('../../src/db/identifiers.js');
        const source = restoreSource(opts, Date.now());
        const timeoutMs = parseDuration(opts.timeout ?? FLAG_DEFAULTS.restoreTimeout, '--timeout', FLAG_BOUNDS.timeout);
        const name = opts.name !== undefined ? checkClusterId(opts.name, '--name') : undefined;
        const { env, ctx } = await open(opts.env);
        if (opts.service) (await import('../../src/rollout/target.js')).selectService(env, opts.service);
        const { restore, renderRestore } = await import('../../src/db/restore.js');
        const r = await restore(
          ctx,
          env,
          { source, name, reason: reasonOf(opts.reason, 'restore'), timeoutMs, wait: opts.wait !== false, service: opts.service },
          out,
        );
        out.result(r, () => renderRestore(r));
        return r.exitCode;
      }),
    );
}

function copyCmd(db: Command): void {
  db.command('copy-snapshot')
    .description(
      'Copy a cluster snapshot to another region (disaster recovery). An encrypted snapshot needs --kms-key, a KMS key of the ' +
        'destination region.\n' +
        exitHelp('db copy-snapshot'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .requiredOption('--snapshot <id>', "the snapshot to copy (id or ARN, in the environment's region)")
    .requiredOption('--to-region <region>', 'the destination region')
    .option('--kms-key <key>', 'KMS key (ARN, id or alias/<name>) of the destination region; required for encrypted snapshots')
    .option('--name <id>', "the copy's identifier (default: the source's)")
    .option('--reason <text>', 'why (stored as the berth:reason tag)', 'disaster recovery copy')
    .option('--timeout <duration>', 'how long to wait for the copy to be available', FLAG_DEFAULTS.copyTimeout)
    .option('--no-wait', 'return once the copy has started')
    .option('--json', 'machine-readable output')
    .action(
      action<
        Common & { snapshot: string; toRegion: string; kmsKey?: string; name?: string; reason?: string; timeout?: string; wait?: boolean }
      >(async (opts, out) => {
        const { parseDuration } = await import('../../src/cli-args/duration.js');
        const { checkSnapshotId } = await import('../../src/db/identifiers.js');
        const { checkCopyFlags, copySnapshot, renderCopy } = await import('../../src/db/copy.js');
        const timeoutMs = parseDuration(opts.timeout ?? FLAG_DEFAULTS.copyTimeout, '--timeout', FLAG_BOUNDS.timeout);
        const snapshot = checkSnapshotId(opts.snapshot, '--snapshot');
        const name = opts.name !== undefined ? checkSnapshotId(opts.name, '--name') : undefined;
        const { ctx } = await open(opts.env);
        checkCopyFlags(opts, ctx.region);
        const r = await copySnapshot(
          ctx,
          {
            snapshot,
            toRegion: opts.toRegion,
            kmsKey: opts.kmsKey,
            name,
            reason: reasonOf(opts.reason, 'disaster recovery copy'),
            timeoutMs,
            wait: opts.wait !== false,
          },
          out,
        );
        out.result(r, () => renderCopy(r));
        return r.exitCode;
      }),
    );
}

export function register(program: Command): void {
  const db = program
    .command('db')
    .description("The environment's Aurora cluster: snapshots, retention, restores into a new cluster, cross-region copies.");
  snapshotCmd(db);
  snapshotsCmd(db);
  restoreCmd(db);
  copyCmd(db);
}
