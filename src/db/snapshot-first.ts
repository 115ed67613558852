/**
 * `deploy --snapshot-first` (or `database.snapshotBeforeDeploy`): a manual snapshot of the cluster,
 * taken after the new revision is registered and the image checked, before any migration runs and
 * before the service moves ("snapshot before major releases"). Not available within the bound:
 * the release stops, exit 45 (SNAPSHOT_FAILED), nothing else changed.
 */
import { EXIT } from '../output/exit-codes.js';
import type { BeforeUpdateStop, Op, RevisionRef } from '../rollout/op-types.js';
import { shortTd } from '../ecs/ids.js';
import { takeSnapshot } from './snapshot.js';

export const SNAPSHOT_FIRST_TIMEOUT_MS = 30 * 60_000;

export function snapshotFirstWanted(op: Pick<Op, 'env'>, flag: boolean | undefined): boolean {
  return flag ?? op.env.database.snapshotBeforeDeploy;
}

export function snapshotFirstHook(op: Op, timeoutMs = SNAPSHOT_FIRST_TIMEOUT_MS) {
  return async (newRev: RevisionRef): Promise<BeforeUpdateStop | undefined> => {
    const r = await takeSnapshot(
      op.ctx,
      op.env,
      { reason: `before deploying ${shortTd(newRev.arn)} (${newRev.image ?? '?'}) to ${op.svc.name}`, timeoutMs, wait: true },
      op.reporter,
    );
    if (r.ok) return undefined;
    return {
      exitCode: EXIT.SNAPSHOT_FAILED,
      reasons: [
        `the snapshot ${r.snapshot} taken before the release is ${r.status ?? 'not available'} after ${r.waitedSeconds}s: the ` +
          `release stopped before any migration and before the service was updated`,
      ],
      failures: [],
      detail: { snapshot: r },
    };
  };
}
