/**
 * The environment's Aurora cluster as RDS describes it (names.ts dbCluster), and the waits on
 * clusters, instances and snapshots: each polls with a bound and reports what it last saw.
 */
import type { AwsContext } from '../aws/context.js';
import { rds } from '../aws/clients.js';
import { BerthError } from '../output/errors.js';

export interface ClusterFacts {
  id: string;
  arn?: string;
  status?: string;
  engine?: string;
  engineVersion?: string;
  port?: number;
  endpoint?: string;
  subnetGroup?: string;
  securityGroups: string[];
  kmsKeyId?: string;
  storageEncrypted?: boolean;
  serverlessV2?: { MinCapacity?: number; MaxCapacity?: number };
  earliestRestorableTime?: Date;
  latestRestorableTime?: Date;
  masterUserSecretArn?: string;
  deletionProtection?: boolean;
  logExports?: string[];
}

export async function describeCluster(ctx: AwsContext, id: string): Promise<ClusterFacts | undefined> {
  const { DescribeDBClustersCommand } = await import('../aws/sdk/rds.js');
  try {
    const r = await (await rds(ctx)).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const c = r.DBClusters?.[0];
    if (!c) return undefined;
    return {
      id: c.DBClusterIdentifier ?? id,
      arn: c.DBClusterArn,
      status: c.Status,
      engine: c.Engine,
      engineVersion: c.EngineVersion,
      port: c.Port,
      endpoint: c.Endpoint,
      subnetGroup: c.DBSubnetGroup,
      securityGroups: (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!).filter(Boolean),
      kmsKeyId: c.KmsKeyId,
      storageEncrypted: c.StorageEncrypted,
      serverlessV2: c.ServerlessV2ScalingConfiguration,
      earliestRestorableTime: c.EarliestRestorableTime,
      latestRestorableTime: c.LatestRestorableTime,
      masterUserSecretArn: c.MasterUserSecret?.SecretArn,
      deletionProtection: c.DeletionProtection,
      logExports: c.EnabledCloudwatchLogsExports,
    };
  } catch (e) {
    if ((e as Error).name === 'DBClusterNotFoundFault') return undefined;
    throw e;
  }
}

export async function requireCluster(ctx: AwsContext, id: string): Promise<ClusterFacts> {
  const c = await describeCluster(ctx, id);
  if (!c)
    throw new BerthError(`Aurora cluster ${id} not found.`, { hint: 'Is the data stack applied? `berth apply --env <env>` creates it.' });
  return c;
}

export interface WaitResult {
  ok: boolean;
  status?: string;
  waitedSeconds: number;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `status()` until it returns one of `done` (ok), one of `failed`, or the time is up. */
export async function waitFor(
  status: () => Promise<string | undefined>,
  o: {
    done: string[];
    failed?: string[];
    timeoutMs: number;
    pollMs: number;
    onStatus?: (s: string) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<WaitResult> {
  const started = Date.now();
  let last: string | undefined;
  for (;;) {
    last = await status();
    if (last) o.onStatus?.(last);
    if (last && o.done.includes(last)) return { ok: true, status: last, waitedSeconds: Math.round((Date.now() - started) / 1000) };
    if (last && o.failed?.includes(last)) return { ok: false, status: last, waitedSeconds: Math.round((Date.now() - started) / 1000) };
    if (Date.now() - started >= o.timeoutMs) return { ok: false, status: last, waitedSeconds: Math.round((Date.now() - started) / 1000) };
    await (o.sleep ?? sleepReal)(o.pollMs);
  }
}

export async function snapshotStatus(ctx: AwsContext, id: string): Promise<string | undefined> {
  const { DescribeDBClusterSnapshotsCommand } = await import('../aws/sdk/rds.js');
  const r = await (await rds(ctx)).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }));
  return r.DBClusterSnapshots?.[0]?.Status;
}

export async function instanceStatus(ctx: AwsContext, id: string): Promise<string | undefined> {
  const { DescribeDBInstancesCommand } = await import('../aws/sdk/rds.js');
  const r = await (await rds(ctx)).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  return r.DBInstances?.[0]?.DBInstanceStatus;
}
