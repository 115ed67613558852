/**
 * `berth db copy-snapshot --to-region R`: a cluster snapshot copied to another region, for
 * disaster recovery (a region lost). A KMS key belongs to one region, so the copy of an encrypted
 * snapshot needs a key of the destination region (--kms-key; RDS refuses the copy without one).
 * The SDK signs the cross-region request (SourceRegion -> PreSignedUrl) itself.
 */
import type { AwsContext } from '../aws/context.js';
import { rds } from '../aws/clients.js';
import { BerthError, ERROR_CODES, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter } from '../output/reporter.js';
import { snapshotStatus, waitFor } from './cluster.js';
import { copyName } from './identifiers.js';
import { CREATED_BY_TAG, REASON_TAG } from './retention.js';

export const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export interface CopyOptions {
  snapshot: string;
  toRegion: string;
  kmsKey?: string;
  name?: string;
  reason: string;
  timeoutMs: number;
  wait: boolean;
  pollMs?: number;
}

export interface CopyResult {
  ok: boolean;
  command: 'db copy-snapshot';
  source: { region: string; snapshot: string; arn: string; encrypted: boolean };
  target: { region: string; snapshot: string; arn?: string; kmsKeyId?: string; status?: string };
  waitedSeconds: number;
  exitCode: number;
}

/** Flags checked before any AWS call. */
export function checkCopyFlags(o: Pick<CopyOptions, 'toRegion' | 'kmsKey'>, envRegion: string): void {
  if (!REGION_RE.test(o.toRegion))
    throw new UsageError(`--to-region "${o.toRegion}": expected an AWS region such as "us-west-2".`, { code: ERROR_CODES.flagFormat });
  if (o.toRegion === envRegion)
    throw new UsageError(`--to-region ${o.toRegion} is the environment's own region: a disaster-recovery copy goes to another region.`, {
      code: ERROR_CODES.flagCombination,
    });
  if (o.kmsKey === undefined) return;
  const arn = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(key|alias)\/.+$/.exec(o.kmsKey);
  if (arn && arn[1] !== o.toRegion)
    throw new UsageError(
      `--kms-key ${o.kmsKey} is a key of ${arn[1]}; a KMS key is regional, and the copy in ${o.toRegion} needs one of ${o.toRegion}.`,
      { code: ERROR_CODES.flagCombination },
    );
  if (
    !arn &&
    !/^(alias\/[A-Za-z0-9/_-]{1,250}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(o.kmsKey)
  )
    throw new UsageError(`--kms-key "${o.kmsKey}": expected a KMS key ARN, key id or alias/<name> in ${o.toRegion}.`, {
      code: ERROR_CODES.flagFormat,
    });
}

async function sourceSnapshot(ctx: AwsContext, id: string): Promise<{ arn: string; encrypted: boolean; status?: string; id: string }> {
  const { DescribeDBClusterSnapshotsCommand } = await import('../aws/sdk/rds.js');
  try {
    const r = await (await rds(ctx)).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }));
    const s = r.DBClusterSnapshots?.[0];
    if (s?.DBClusterSnapshotArn)
      return {
        arn: s.DBClusterSnapshotArn,
        encrypted: Boolean(s.StorageEncrypted),
        status: s.Status,
        id: s.DBClusterSnapshotIdentifier ?? id,
      };
  } catch (e) {
    if ((e as Error).name !== 'DBClusterSnapshotNotFoundFault') throw e;
  }
  throw new UsageError(`cluster snapshot ${id} not found in ${ctx.region}; nothing was copied.`, {
    hint: 'List them with `berth db snapshots`.',
  });
}

export async function copySnapshot(ctx: AwsContext, o: CopyOptions, reporter: Reporter): Promise<CopyResult> {
  const src = await sourceSnapshot(ctx, o.snapshot);
  if (src.encrypted && !o.kmsKey)
    throw new UsageError(
      `snapshot ${src.id} is encrypted: copying it to ${o.toRegion} needs --kms-key <a KMS key of ${o.toRegion}>. Nothing was copied.`,
      {
        hint: `e.g. \`aws kms create-key --region ${o.toRegion}\`, or an existing key's ARN or alias/<name> there.`,
      },
    );
  if (src.status !== 'available')
    throw new UsageError(`snapshot ${src.id} is ${src.status ?? 'not available'}; only an available snapshot can be copied.`);
  const target = o.name ?? copyName(src.id);
  const dest: AwsContext = { ...ctx, region: o.toRegion };
  const { CopyDBClusterSnapshotCommand } = await import('../aws/sdk/rds.js');
  let arn: string | undefined;
  let kmsKeyId: string | undefined;
  try {
    const r = await (
      await rds(dest)
    ).send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: src.arn,
        TargetDBClusterSnapshotIdentifier: target,
        KmsKeyId: o.kmsKey,
        SourceRegion: ctx.region,
        CopyTags: false,
        Tags: [
          { Key: CREATED_BY_TAG, Value: 'berth' },
          { Key: 'berth:copied-from', Value: src.arn },
          { Key: REASON_TAG, Value: o.reason.slice(0, 256) },
        ],
      } as never),
    );
    arn = r.DBClusterSnapshot?.DBClusterSnapshotArn;
    kmsKeyId = r.DBClusterSnapshot?.KmsKeyId;
  } catch (e) {
    const n = (e as Error).name;
    if (n === 'DBClusterSnapshotAlreadyExistsFault')
      throw new BerthError(`${o.toRegion} already has a cluster snapshot named ${target}; nothing was copied.`, {
        exitCode: EXIT.USAGE,
        hint: 'Pick another --name.',
      });
    if (n === 'KMSKeyNotAccessibleFault' || n === 'InvalidParameterValue' || n === 'NotFoundException')
      throw new BerthError(`the copy was refused: ${(e as Error).message}`, { exitCode: EXIT.USAGE });
    throw e;
  }
  reporter.info(`copying ${src.id} (${ctx.region}) to ${target} in ${o.toRegion}`);
  const result: CopyResult = {
    ok: true,
    command: 'db copy-snapshot',
    source: { region: ctx.region, snapshot: src.id, arn: src.arn, encrypted: src.encrypted },
    target: { region: o.toRegion, snapshot: target, arn, kmsKeyId, status: 'copying' },
    waitedSeconds: 0,
    exitCode: EXIT.OK,
  };
  if (!o.wait) return result;
  const w = await waitFor(() => snapshotStatus(dest, target), {
    done: ['available'],
    failed: ['failed'],
    timeoutMs: o.timeoutMs,
    pollMs: o.pollMs ?? (ctx.sandbox ? 500 : 30_000),
  });
  Object.assign(result, { ok: w.ok, waitedSeconds: w.waitedSeconds, exitCode: w.ok ? EXIT.OK : EXIT.SNAPSHOT_FAILED });
  result.target.status = w.status;
  return result;
}

export function renderCopy(r: CopyResult): string {
  return (
    `db copy-snapshot: ${r.source.snapshot} (${r.source.region}) -> ${r.target.snapshot} (${r.target.region}): ` +
    `${r.target.status ?? '?'} (exit ${r.exitCode})${r.target.kmsKeyId ? `\n  encrypted with ${r.target.kmsKeyId}` : ''}`
  );
}
