/**
 * Which manual cluster snapshots `db snapshots --prune` deletes, by the environment's rule
 * (`database.snapshotRetention`: keep the N newest, delete older than D days). Pure.
 *
 * Only manual snapshots berth took (tag berth:created-by=berth) are candidates, unless `foreign`
 * (--include-unmanaged) is set. Automated snapshots are never candidates (RDS expires them itself
 * after the backup retention period). The newest candidate is always kept, whatever its age, so a
 * prune never leaves an environment without a manual snapshot. Snapshots not yet `available`
 * (creating, copying) are kept.
 */
export const CREATED_BY_TAG = 'berth:created-by';
export const REASON_TAG = 'berth:reason';
export const BY_TAG = 'berth:by';

export interface SnapshotFacts {
  id: string;
  type: string; // manual | automated | shared | public | awsbackup
  status?: string;
  createdAt?: Date | string;
  tags?: { Key?: string; Value?: string }[];
}

export interface RetentionRule {
  keep: number;
  maxAgeDays: number;
}

export interface SnapshotVerdict {
  id: string;
  delete: boolean;
  why: string;
}

const DAY = 86_400_000;

export function byBerth(s: SnapshotFacts): boolean {
  return Boolean(s.tags?.some((t) => t.Key === CREATED_BY_TAG && t.Value === 'berth'));
}

export function selectSnapshotsToDelete(snaps: SnapshotFacts[], rule: RetentionRule, now: number, foreign = false): SnapshotVerdict[] {
  const time = (s: SnapshotFacts) => (s.createdAt ? new Date(s.createdAt).getTime() : now);
  const candidates = snaps.filter((s) => s.type === 'manual' && (foreign || byBerth(s))).sort((a, b) => time(b) - time(a));
  const out: SnapshotVerdict[] = [];
  for (const s of snaps) {
    if (s.type !== 'manual') out.push({ id: s.id, delete: false, why: `${s.type}: RDS manages it` });
    else if (!foreign && !byBerth(s)) out.push({ id: s.id, delete: false, why: 'not taken by berth (--include-unmanaged to include it)' });
  }
  candidates.forEach((s, i) => {
    const ageDays = (now - time(s)) / DAY;
    if (s.status && s.status !== 'available') out.push({ id: s.id, delete: false, why: `status ${s.status}` });
    else if (i === 0) out.push({ id: s.id, delete: false, why: 'the newest manual snapshot is always kept' });
    else if (i >= rule.keep) out.push({ id: s.id, delete: true, why: `beyond the ${rule.keep} newest` });
    else if (ageDays > rule.maxAgeDays)
      out.push({ id: s.id, delete: true, why: `older than ${rule.maxAgeDays} days (${Math.floor(ageDays)})` });
    else out.push({ id: s.id, delete: false, why: `within the ${rule.keep} newest and ${rule.maxAgeDays} days` });
  });
  return out;
}
