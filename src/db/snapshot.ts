/**
 * `berth db snapshot` (and `deploy --snapshot-first`): a manual snapshot of the environment's
 * Aurora cluster, tagged with who took it and why (berth:created-by=berth, berth:by, berth:reason),
 * waited on until `available` within a bound.
 */
import { userInfo } from 'node:os';
import type { AwsContext } from '../aws/context.js';
import { rds } from '../aws/clients.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter } from '../output/reporter.js';
import { requireCluster, snapshotStatus, waitFor } from './cluster.js';
import { defaultSnapshotName } from './identifiers.js';
import { BY_TAG, CREATED_BY_TAG, REASON_TAG } from './retention.js';

export interface SnapshotOptions {
  name?: string;
  reason: string;
  timeoutMs: number;
  wait: boolean;
  pollMs?: number;
}

export interface SnapshotResult {
  ok: boolean;
  command: 'db snapshot';
  cluster: string;
  snapshot: string;
  arn?: string;
  status?: string;
  reason: string;
  by?: string;
  waitedSeconds: number;
  exitCode: number;
}

function who(): string {
  try {
    return (
      userInfo()
        .username.replace(/[^\p{L}\p{N} _.:/=+@-]/gu, '')
        .slice(0, 128) || 'unknown'
    );
  } catch {
    return 'unknown';
  }
}

export async function takeSnapshot(
  ctx: AwsContext,
  env: EnvironmentConfig,
  o: SnapshotOptions,
  reporter: Reporter,
): Promise<SnapshotResult> {
  const cluster = names(env).dbCluster;
  await requireCluster(ctx, cluster);
  const id = o.name ?? defaultSnapshotName(cluster, new Date());
  const by = who();
  const { CreateDBClusterSnapshotCommand } = await import('../aws/sdk/rds.js');
  const tags = [
    { Key: CREATED_BY_TAG, Value: 'berth' },
    { Key: BY_TAG, Value: by },
    { Key: REASON_TAG, Value: o.reason.slice(0, 256) },
  ];
  let arn: string | undefined;
  try {
    const r = await (
      await rds(ctx)
    ).send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: cluster, DBClusterSnapshotIdentifier: id, Tags: tags }));
    arn = r.DBClusterSnapshot?.DBClusterSnapshotArn;
  } catch (e) {
    const n = (e as Error).name;
    if (n === 'DBClusterSnapshotAlreadyExistsFault')
      throw new BerthError(`a cluster snapshot named ${id} already exists; nothing was done.`, {
        exitCode: EXIT.USAGE,
        hint: 'Pick another --name.',
      });
    if (n === 'SnapshotQuotaExceeded' || n === 'SnapshotQuotaExceededFault')
      throw new BerthError(`the account's manual snapshot quota is reached; no snapshot was taken.`, {
        exitCode: EXIT.SNAPSHOT_FAILED,
        hint: 'Delete old ones: `berth db snapshots --prune`.',
      });
    if (n === 'InvalidDBClusterStateFault')
      throw new BerthError(`cluster ${cluster} cannot be snapshotted now (${(e as Error).message}).`, { exitCode: EXIT.SNAPSHOT_FAILED });
    throw e;
  }
  reporter.info(`snapshot ${id} of ${cluster} requested (reason: ${o.reason})`);
  const result: SnapshotResult = {
    ok: true,
    command: 'db snapshot',
    cluster,
    snapshot: id,
    arn,
    status: 'creating',
    reason: o.reason,
    by,
    waitedSeconds: 0,
    exitCode: EXIT.OK,
  };
  if (!o.wait) return result;
  const step = await reporter.step(`waiting for snapshot ${id} to be available`);
  const w = await waitFor(() => snapshotStatus(ctx, id), {
    done: ['available'],
    failed: ['failed', 'deleted'],
    timeoutMs: o.timeoutMs,
    pollMs: o.pollMs ?? (ctx.sandbox ? 500 : 15_000),
    onStatus: (s) => step.update(`snapshot ${id}: ${s}`),
  });
  Object.assign(result, { status: w.status, waitedSeconds: w.waitedSeconds, ok: w.ok, exitCode: w.ok ? EXIT.OK : EXIT.SNAPSHOT_FAILED });
  if (w.ok) step.succeed(`snapshot ${id} available after ${w.waitedSeconds}s`);
  else step.fail(`snapshot ${id} is ${w.status ?? 'unknown'} after ${w.waitedSeconds}s`);
  return result;
}

export function renderSnapshot(r: SnapshotResult): string {
  return (
    `db snapshot ${r.snapshot} of ${r.cluster}: ${r.status}${r.ok ? '' : ' — NOT available'} (exit ${r.exitCode})\n  by ` +
    `${r.by}, reason: ${r.reason}`
  );
}
