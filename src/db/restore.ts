/**
 * `berth db restore`: a snapshot (--snapshot) or a point in time (--to-time, --latest) of the
 * environment's cluster restored into a NEW cluster beside it — never over it — with the same
 * subnet group, security groups, KMS key, engine version, serverless v2 scaling and log exports,
 * plus a db.serverless writer instance; waited on within --timeout. Prints how to switch a service
 * to it (db/switch-steps.ts).
 */
import type { AwsContext } from '../aws/context.js';
import { rds } from '../aws/clients.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter } from '../output/reporter.js';
import { describeCluster, instanceStatus, requireCluster, waitFor, type ClusterFacts } from './cluster.js';
import { defaultRestoreName } from './identifiers.js';
import { CREATED_BY_TAG, REASON_TAG } from './retention.js';
import { switchSteps } from './switch-steps.js';

export type RestoreSource = { snapshot: string } | { toTime: Date } | { latest: true };

export interface RestoreOptions {
  source: RestoreSource;
  name?: string;
  reason: string;
  timeoutMs: number;
  wait: boolean;
  service?: string;
  pollMs?: number;
}

export interface RestoreResult {
  ok: boolean;
  command: 'db restore';
  source: { cluster: string; snapshot?: string; toTime?: string; latest?: boolean };
  cluster: string;
  instance: string;
  status?: string;
  instanceStatus?: string;
  endpoint?: string;
  securityGroups: string[];
  subnetGroup?: string;
  waitedSeconds: number;
  switchSteps: string[];
  exitCode: number;
}

function common(src: ClusterFacts, id: string, reason: string) {
  return {
    DBClusterIdentifier: id,
    DBSubnetGroupName: src.subnetGroup,
    VpcSecurityGroupIds: src.securityGroups,
    KmsKeyId: src.storageEncrypted ? src.kmsKeyId : undefined,
    ServerlessV2ScalingConfiguration: src.serverlessV2,
    Port: src.port,
    EnableCloudwatchLogsExports: src.logExports?.length ? src.logExports : undefined,
    CopyTagsToSnapshot: true,
    DeletionProtection: src.deletionProtection,
    Tags: [
      { Key: CREATED_BY_TAG, Value: 'berth' },
      { Key: 'berth:restored-from', Value: src.id },
      { Key: REASON_TAG, Value: reason.slice(0, 256) },
    ],
  };
}

/** A point in time must lie in the cluster's restorable window (RDS refuses it otherwise). */
export function checkRestoreTime(at: Date, src: Pick<ClusterFacts, 'id' | 'earliestRestorableTime' | 'latestRestorableTime'>): void {
  const e = src.earliestRestorableTime;
  const l = src.latestRestorableTime;
  if ((e && at < e) || (l && at > l))
    throw new UsageError(
      `--to-time ${at.toISOString()} is outside ${src.id}'s restorable window ${e?.toISOString() ?? '?'} .. ` +
        `${l?.toISOString() ?? '?'}; nothing was changed.`,
      {
        hint: 'Pick a time inside the window (automated backups go back the backup retention period), or --latest.',
      },
    );
}

async function startRestore(ctx: AwsContext, src: ClusterFacts, id: string, o: RestoreOptions): Promise<void> {
  const m = await import('../aws/sdk/rds.js');
  const client = await rds(ctx);
  const c = common(src, id, o.reason);
  if ('snapshot' in o.source) {
    await client.send(
      new m.RestoreDBClusterFromSnapshotCommand({
        ...c,
        SnapshotIdentifier: o.source.snapshot,
        Engine: src.engine,
        EngineVersion: src.engineVersion,
      }),
    );
  } else {
    const when = 'toTime' in o.source ? { RestoreToTime: o.source.toTime } : { UseLatestRestorableTime: true };
    await client.send(
      new m.RestoreDBClusterToPointInTimeCommand({ ...c, SourceDBClusterIdentifier: src.id, RestoreType: 'full-copy', ...when }),
    );
  }
  await client.send(
    new m.CreateDBInstanceCommand({
      DBInstanceIdentifier: `${id}-writer`.slice(0, 63),
      DBClusterIdentifier: id,
      Engine: src.engine,
      DBInstanceClass: 'db.serverless',
      Tags: c.Tags,
    }),
  );
}

export async function restore(ctx: AwsContext, env: EnvironmentConfig, o: RestoreOptions, reporter: Reporter): Promise<RestoreResult> {
  const current = names(env).dbCluster;
  const src = await requireCluster(ctx, current);
  if ('toTime' in o.source) checkRestoreTime(o.source.toTime, src);
  const id = o.name ?? defaultRestoreName(current, new Date());
  if (id === current || (await describeCluster(ctx, id)))
    throw new UsageError(`cluster ${id} already exists: a restore goes into a NEW cluster, never over one. Nothing was changed.`, {
      hint: 'Pick another --name.',
    });
  try {
    await startRestore(ctx, src, id, o);
  } catch (e) {
    const n = (e as Error).name;
    if (/NotFound/.test(n))
      throw new BerthError(`restore refused: ${(e as Error).message}`, {
        exitCode: EXIT.USAGE,
        hint: 'See `berth db snapshots --env ' + env.name + '` for the snapshots there are.',
      });
    if (n === 'InvalidRestoreFault') throw new BerthError(`restore refused: ${(e as Error).message}`, { exitCode: EXIT.USAGE });
    throw e;
  }
  const at = 'toTime' in o.source ? o.source.toTime.toISOString() : 'its latest restorable time';
  const from = 'snapshot' in o.source ? `snapshot ${o.source.snapshot}` : `${current} at ${at}`;
  reporter.info(`restoring ${from} into NEW cluster ${id} (${current} is not touched)`);
  const instance = `${id}-writer`.slice(0, 63);
  const result: RestoreResult = {
    ok: true,
    command: 'db restore',
    cluster: id,
    instance,
    securityGroups: src.securityGroups,
    subnetGroup: src.subnetGroup,
    waitedSeconds: 0,
    exitCode: EXIT.OK,
    switchSteps: [],
    source: {
      cluster: current,
      ...('snapshot' in o.source
        ? { snapshot: o.source.snapshot }
        : 'toTime' in o.source
          ? { toTime: o.source.toTime.toISOString() }
          : { latest: true }),
    },
  };
  if (o.wait) await waitRestore(ctx, result, o, reporter);
  const after = await describeCluster(ctx, id);
  Object.assign(result, { status: after?.status ?? result.status, endpoint: after?.endpoint });
  result.switchSteps = switchSteps({
    env: env.name,
    service: o.service,
    region: ctx.region,
    oldCluster: current,
    newCluster: id,
    newEndpoint: after?.endpoint,
    securityGroups: src.securityGroups,
  });
  return result;
}

async function waitRestore(ctx: AwsContext, result: RestoreResult, o: RestoreOptions, reporter: Reporter): Promise<void> {
  const step = await reporter.step(`waiting for cluster ${result.cluster} and instance ${result.instance}`);
  const pollMs = o.pollMs ?? (ctx.sandbox ? 500 : 30_000);
  const started = Date.now();
  const c = await waitFor(async () => (await describeCluster(ctx, result.cluster))?.status, {
    done: ['available'],
    failed: ['failed', 'inaccessible-encryption-credentials'],
    timeoutMs: o.timeoutMs,
    pollMs,
    onStatus: (s) => step.update(`cluster ${result.cluster}: ${s}`),
  });
  const left = Math.max(0, o.timeoutMs - (Date.now() - started));
  const i = c.ok
    ? await waitFor(() => instanceStatus(ctx, result.instance), {
        done: ['available'],
        failed: ['failed', 'incompatible-parameters', 'incompatible-network'],
        timeoutMs: left,
        pollMs,
      })
    : undefined;
  Object.assign(result, { status: c.status, instanceStatus: i?.status, waitedSeconds: Math.round((Date.now() - started) / 1000) });
  result.ok = c.ok && Boolean(i?.ok);
  result.exitCode = result.ok ? EXIT.OK : EXIT.RESTORE_INCOMPLETE;
  if (result.ok) step.succeed(`cluster ${result.cluster} and its writer are available after ${result.waitedSeconds}s`);
  else
    step.fail(
      `cluster ${result.cluster} is ${c.status ?? '?'}, instance ${i?.status ?? 'not checked'} after ${result.waitedSeconds}s; left as is`,
    );
}

export function renderRestore(r: RestoreResult): string {
  const from = r.source.snapshot
    ? `snapshot ${r.source.snapshot}`
    : r.source.toTime
      ? `${r.source.cluster} at ${r.source.toTime}`
      : `${r.source.cluster} at its latest restorable time`;
  const lines = [
    `db restore: ${from} -> NEW cluster ${r.cluster} (${r.status ?? '?'}, writer ${r.instance} ${r.instanceStatus ?? '?'}) ` +
      `(exit ${r.exitCode})`,
  ];
  lines.push(
    `  endpoint ${r.endpoint ?? '?'}; subnet group ${r.subnetGroup ?? '?'}; security groups ${r.securityGroups.join(', ')}; ` +
      `${r.source.cluster} untouched`,
  );
  lines.push('To switch a service to it (a separate, deliberate step):');
  r.switchSteps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  return lines.join('\n');
}
