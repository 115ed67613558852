/**
 * Which revision does `berth rollback` go back to? Pure.
 *
 * The heuristic: the revision that most recently ran HEALTHY before the current one — not merely
 * current-1 (which may be a revision that never worked, or one that was never deployed). Evidence,
 * each with the time it was last seen healthy; the most recent wins:
 *  1. the service's own deployments: an older deployment still listed (ACTIVE while a newer one
 *     rolls out) whose rolloutState is COMPLETED;
 *  2. ECS's service-deployment history (ListServiceDeployments, status SUCCESSFUL), when the API
 *     answers;
 *  3. berth's own marks on task-definition revisions: every deploy, rollback or restart that
 *     berth saw succeed tags its revision `berth:healthy-at=<ISO time>`; one that failed gets
 *     `berth:failed-at=<ISO time>` (the later of the two counts).
 * Revisions marked failed after their last healthy mark, the current revision, INACTIVE
 * (deregistered) revisions and one-off revisions (`berth:one-off`, registered by `berth run --image`
 * for a single task, never a service release) are never chosen.
 * Fallback when there is no evidence at all: the highest ACTIVE revision below the current one
 * that is not marked failed, with a warning that nothing shows it ever ran healthy.
 */
import { BerthError } from '../output/errors.js';
import type { Deployment, Time } from './types.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import { FAILED_TAG, HEALTHY_TAG, ONE_OFF_TAG } from '../ecs/revisions.js';
import { toMs } from '../ecs/time.js';

export interface RevisionInfo {
  arn: string;
  revision?: number;
  status?: string;
  image?: string;
  tags?: { key?: string; value?: string }[];
}

export interface HistoryEntry {
  taskDefinition: string;
  /** ECS service deployment status: SUCCESSFUL, FAILED, ROLLBACK_SUCCESSFUL, ... */
  status: string;
  finishedAt?: Time;
}

export interface RollbackInput {
  current: string;
  deployments: Deployment[];
  /** undefined: the history API did not answer. */
  history?: HistoryEntry[];
  revisions: RevisionInfo[];
}

export type RollbackSource = 'active-deployment' | 'ecs-history' | 'berth-tag' | 'previous-revision' | 'explicit';

export interface RollbackTarget {
  arn: string;
  revision?: number;
  image?: string;
  source: RollbackSource;
  why: string;
  warning?: string;
}

function tag(r: RevisionInfo | undefined, key: string): number | undefined {
  const v = r?.tags?.find((t) => t.key === key)?.value;
  return v ? toMs(v) : undefined;
}

/** Same task definition? Compares family:revision so that ARNs and short forms match. */
export function sameTd(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b) && shortTd(a) === shortTd(b);
}

export function selectRollbackTarget(input: RollbackInput): RollbackTarget {
  const byTd = new Map(input.revisions.map((r) => [shortTd(r.arn), r]));
  const usable = (td: string) => {
    if (sameTd(td, input.current)) return false;
    const r = byTd.get(shortTd(td));
    if (r?.status === 'INACTIVE' || r?.status === 'DELETE_IN_PROGRESS') return false;
    return !r?.tags?.some((t) => t.key === ONE_OFF_TAG);
  };
  const candidates: { td: string; at: number; source: RollbackSource; why: string }[] = [];
  for (const d of input.deployments) {
    if (!d.taskDefinition || d.status === 'PRIMARY' || d.rolloutState !== 'COMPLETED') continue;
    candidates.push({
      td: d.taskDefinition,
      at: toMs(d.updatedAt) ?? toMs(d.createdAt) ?? 0,
      source: 'active-deployment',
      why: `deployment ${d.id} of ${shortTd(d.taskDefinition)} completed and is still listed by the service`,
    });
  }
  for (const h of input.history ?? []) {
    if (h.status !== 'SUCCESSFUL') continue;
    candidates.push({
      td: h.taskDefinition,
      at: toMs(h.finishedAt) ?? 0,
      source: 'ecs-history',
      why: `ECS's deployment history shows ${shortTd(h.taskDefinition)} deployed successfully`,
    });
  }
  for (const r of input.revisions) {
    const healthy = tag(r, HEALTHY_TAG);
    if (healthy !== undefined)
      candidates.push({
        td: r.arn,
        at: healthy,
        source: 'berth-tag',
        why: `berth saw ${shortTd(r.arn)} run healthy at ${new Date(healthy).toISOString()}`,
      });
  }
  const good = candidates
    .filter((c) => usable(c.td))
    .filter((c) => {
      const failedAt = tag(byTd.get(shortTd(c.td)), FAILED_TAG);
      return failedAt === undefined || failedAt < c.at;
    })
    .sort((a, b) => b.at - a.at || (revisionOf(b.td) ?? 0) - (revisionOf(a.td) ?? 0));
  const best = good[0];
  if (best) {
    const r = byTd.get(shortTd(best.td));
    return { arn: r?.arn ?? best.td, revision: revisionOf(best.td), image: r?.image, source: best.source, why: best.why };
  }
  const cur = revisionOf(input.current) ?? Infinity;
  const fallback = input.revisions
    .filter((r) => usable(r.arn) && (revisionOf(r.arn) ?? 0) < cur && tag(r, FAILED_TAG) === undefined)
    .sort((a, b) => (revisionOf(b.arn) ?? 0) - (revisionOf(a.arn) ?? 0))[0];
  if (fallback)
    return {
      arn: fallback.arn,
      revision: revisionOf(fallback.arn),
      image: fallback.image,
      source: 'previous-revision',
      why: `${shortTd(fallback.arn)} is the newest revision below ${shortTd(input.current)} not marked failed`,
      warning: `no record shows ${shortTd(fallback.arn)} ever ran healthy (no completed deployment, ECS history or berth mark); check it, or pass --to <revision>`,
    };
  throw new BerthError(`nothing to roll back to: ${shortTd(input.current)} is the only usable revision of its family.`, {
    hint: 'Pass --to <revision|image> to choose one.',
  });
}
