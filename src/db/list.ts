/**
 * `berth db snapshots`: the cluster's snapshots, manual and automated, newest first, with age,
 * size, who took them and why; with --prune, the environment's retention rule applied
 * (db/retention.ts) to manual snapshots berth took.
 */
import type { AwsContext } from '../aws/context.js';
import { rds } from '../aws/clients.js';
import { BY_TAG, CREATED_BY_TAG, REASON_TAG, type SnapshotFacts } from './retention.js';

export interface SnapshotRow extends SnapshotFacts {
  arn?: string;
  ageHours?: number;
  sizeGiB?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
  byBerth: boolean;
  by?: string;
  reason?: string;
}

export async function listSnapshots(ctx: AwsContext, cluster: string, now = Date.now()): Promise<SnapshotRow[]> {
  const { DescribeDBClusterSnapshotsCommand } = await import('../aws/sdk/rds.js');
  const client = await rds(ctx);
  const rows: SnapshotRow[] = [];
  for (const type of ['manual', 'automated'] as const) {
    let Marker: string | undefined;
    let pages = 0;
    do {
      const r = await client.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: cluster, SnapshotType: type, MaxRecords: 100, Marker }),
      );
      for (const s of r.DBClusterSnapshots ?? []) rows.push(row(s, now));
      Marker = r.Marker;
    } while (Marker && ++pages < 20);
  }
  return rows.sort((a, b) => new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime());
}

function row(s: import('@aws-sdk/client-rds').DBClusterSnapshot, now: number): SnapshotRow {
  const tag = (k: string) => s.TagList?.find((t) => t.Key === k)?.Value;
  const created = s.SnapshotCreateTime;
  return {
    id: s.DBClusterSnapshotIdentifier ?? '?',
    arn: s.DBClusterSnapshotArn,
    type: s.SnapshotType ?? 'manual',
    status: s.Status,
    createdAt: created,
    ageHours: created ? Math.round(((now - created.getTime()) / 3_600_000) * 10) / 10 : undefined,
    sizeGiB: s.AllocatedStorage,
    encrypted: s.StorageEncrypted,
    kmsKeyId: s.KmsKeyId,
    tags: s.TagList,
    byBerth: tag(CREATED_BY_TAG) === 'berth',
    by: tag(BY_TAG),
    reason: tag(REASON_TAG),
  };
}

export async function deleteSnapshot(ctx: AwsContext, id: string): Promise<void> {
  const { DeleteDBClusterSnapshotCommand } = await import('../aws/sdk/rds.js');
  await (await rds(ctx)).send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
}
