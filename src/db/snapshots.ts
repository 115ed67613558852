/**
 * `berth db snapshots [--prune]`: list the cluster's snapshots; with --prune, delete the manual
 * snapshots the environment's retention rule lets go (db/retention.ts), after confirmation (a
 * terminal, or --yes).
 */
import type { AwsContext } from '../aws/context.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter } from '../output/reporter.js';
import { deleteSnapshot, listSnapshots, type SnapshotRow } from './list.js';
import { selectSnapshotsToDelete, type SnapshotVerdict } from './retention.js';

export interface SnapshotsOptions {
  prune: boolean;
  includeUnmanaged: boolean;
  yes: boolean;
  canPrompt: boolean;
  confirm?: (q: string) => Promise<boolean>;
}

export interface SnapshotsResult {
  ok: boolean;
  command: 'db snapshots';
  cluster: string;
  rule: { keep: number; maxAgeDays: number };
  snapshots: (SnapshotRow & { prune: boolean; why: string })[];
  deleted: string[];
  failed: { id: string; error: string }[];
  exitCode: number;
}

export async function snapshots(
  ctx: AwsContext,
  env: EnvironmentConfig,
  o: SnapshotsOptions,
  reporter: Reporter,
): Promise<SnapshotsResult> {
  const cluster = names(env).dbCluster;
  const rows = await listSnapshots(ctx, cluster);
  const rule = env.database.snapshotRetention;
  const verdicts = new Map<string, SnapshotVerdict>(
    selectSnapshotsToDelete(rows, rule, Date.now(), o.includeUnmanaged).map((v) => [v.id, v]),
  );
  const result: SnapshotsResult = {
    ok: true,
    command: 'db snapshots',
    cluster,
    rule,
    deleted: [],
    failed: [],
    exitCode: EXIT.OK,
    snapshots: rows.map((r) => ({ ...r, prune: Boolean(verdicts.get(r.id)?.delete), why: verdicts.get(r.id)?.why ?? '' })),
  };
  const doomed = result.snapshots.filter((s) => s.prune);
  if (!o.prune || !doomed.length) return result;
  const what = `${doomed.length} manual snapshot${doomed.length === 1 ? '' : 's'} of ${cluster} (${doomed.map((s) => s.id).join(', ')})`;
  if (!o.yes) {
    if (!o.canPrompt || !o.confirm)
      throw new UsageError(`--prune would delete ${what}; without a terminal to confirm, pass --yes. Nothing was deleted.`, {
        code: ERROR_CODES.notConfirmed,
        details: { snapshots: doomed.map((s) => s.id) },
      });
    reporter.print(renderSnapshots(result));
    if (!(await o.confirm(`Delete ${what}?`)))
      throw new UsageError('not confirmed; nothing was deleted.', { code: ERROR_CODES.notConfirmed });
  }
  for (const s of doomed) {
    try {
      await deleteSnapshot(ctx, s.id);
      result.deleted.push(s.id);
    } catch (e) {
      result.failed.push({ id: s.id, error: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  result.ok = !result.failed.length;
  result.exitCode = result.ok ? EXIT.OK : EXIT.FAILED;
  return result;
}

function age(h: number | undefined): string {
  if (h === undefined) return '?';
  return h < 48 ? `${h.toFixed(1)}h` : `${Math.round(h / 24)}d`;
}

export function renderSnapshots(r: SnapshotsResult): string {
  const lines = [
    `${r.cluster}: ${r.snapshots.length} snapshot${r.snapshots.length === 1 ? '' : 's'} (retention of berth's manual snapshots: ` +
      `keep ${r.rule.keep} newest, at most ${r.rule.maxAgeDays} days)`,
  ];
  for (const s of r.snapshots) {
    const mark = r.deleted.includes(s.id) ? 'DELETED' : s.prune ? 'would delete' : '';
    lines.push(
      `  ${s.id.padEnd(44)} ${s.type.padEnd(9)} ${(s.status ?? '?').padEnd(10)} ${age(s.ageHours).padStart(6)} ` +
        `${s.sizeGiB ?? '?'} GiB${s.byBerth ? `  by ${s.by ?? '?'}: ${s.reason ?? ''}` : ''}${mark ? `  [${mark}: ${s.why}]` : ''}`,
    );
  }
  for (const f of r.failed) lines.push(`  FAILED to delete ${f.id}: ${f.error}`);
  return lines.join('\n');
}
