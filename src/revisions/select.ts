/**
 * Which task-definition revisions `berth revisions --prune` may remove. Pure.
 *
 * A revision is KEPT when any of these holds (each named in its `reasons`):
 *  - running: a deployment of the service or a task (service or one-off) uses it;
 *  - rollback-target: `berth rollback` would choose it now (rollout/rollback-target.ts);
 *  - terraform: the service stack registered it (tag berth:registered-by=terraform); deregistering
 *    it would make the next plan register it again;
 *  - recent: it was registered, or berth saw it run (berth:healthy-at / berth:failed-at), within
 *    the last `keepDays` days;
 *  - newest: it is among the `keep` newest release revisions (one-off revisions, tagged
 *    berth:one-off, are not releases and do not count towards `keep`).
 * Everything else is pruned: ACTIVE revisions are deregistered; with `delete`, they are also
 * deleted (DeleteTaskDefinitions), as are INACTIVE revisions that nothing above protects.
 */
import { revisionOf, shortTd } from '../ecs/ids.js';
import { FAILED_TAG, HEALTHY_TAG, ONE_OFF_TAG, TERRAFORM_REVISION_TAG } from '../ecs/revisions.js';
import { toMs } from '../ecs/time.js';

export interface RevisionFacts {
  arn: string;
  status?: string;
  registeredAt?: Date | string | number;
  tags?: { key?: string; value?: string }[];
  image?: string;
}

export type KeepReason = 'running' | 'rollback-target' | 'terraform' | 'recent' | 'newest';

export interface RevisionPlan {
  arn: string;
  revision?: number;
  status?: string;
  image?: string;
  oneOff: boolean;
  healthyAt?: string;
  failedAt?: string;
  registeredAt?: string;
  lastSeenAt?: string;
  keep: boolean;
  reasons: KeepReason[];
  /** What --prune does to it: nothing, deregister (ACTIVE), or delete (with --delete). */
  action: 'keep' | 'deregister' | 'delete';
}

export interface SelectInput {
  revisions: RevisionFacts[];
  running: string[];
  rollbackTarget?: string;
  keep: number;
  keepDays: number;
  now: number;
  delete: boolean;
}

const DAY = 86_400_000;

function tagTime(r: RevisionFacts, key: string): number | undefined {
  const v = r.tags?.find((t) => t.key === key)?.value;
  return v ? toMs(v) : undefined;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function planRevisions(input: SelectInput): RevisionPlan[] {
  const running = new Set(input.running.map(shortTd));
  const sorted = [...input.revisions].sort((a, b) => (revisionOf(b.arn) ?? 0) - (revisionOf(a.arn) ?? 0));
  let releases = 0;
  return sorted.map((r) => {
    const oneOff = Boolean(r.tags?.some((t) => t.key === ONE_OFF_TAG));
    const healthy = tagTime(r, HEALTHY_TAG);
    const failed = tagTime(r, FAILED_TAG);
    const registered = r.registeredAt !== undefined ? toMs(r.registeredAt) : undefined;
    const lastSeen = Math.max(healthy ?? -Infinity, failed ?? -Infinity, registered ?? -Infinity);
    const reasons: KeepReason[] = [];
    if (running.has(shortTd(r.arn))) reasons.push('running');
    if (input.rollbackTarget && shortTd(input.rollbackTarget) === shortTd(r.arn)) reasons.push('rollback-target');
    if (r.tags?.some((t) => t.key === TERRAFORM_REVISION_TAG && t.value === 'terraform')) reasons.push('terraform');
    if (Number.isFinite(lastSeen) && input.now - lastSeen < input.keepDays * DAY) reasons.push('recent');
    if (!oneOff && r.status !== 'INACTIVE' && releases++ < input.keep) reasons.push('newest');
    const keep = reasons.length > 0;
    const action: RevisionPlan['action'] = keep ? 'keep' : input.delete ? 'delete' : r.status === 'INACTIVE' ? 'keep' : 'deregister';
    return {
      arn: r.arn,
      revision: revisionOf(r.arn),
      status: r.status,
      image: r.image,
      oneOff,
      healthyAt: iso(healthy),
      failedAt: iso(failed),
      registeredAt: iso(registered),
      lastSeenAt: iso(Number.isFinite(lastSeen) ? lastSeen : undefined),
      keep: keep || action === 'keep',
      reasons,
      action,
    };
  });
}
