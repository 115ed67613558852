/**
 * The stages of a progressive release as they were seen: each change of ECS's lifecycle stage or
 * of the production split starts a new record, with when it started and ended and the weights it
 * had. The split comes from the production listener rule when it was read (where users really
 * go), else from the weights ECS reports it requested. Pure.
 */
import { toMs } from '../../ecs/time.js';
import type { ReleaseSnapshot, StageRecord, TrafficSplit } from './types.js';

const round = (n: number) => Math.round(n * 10) / 10;

/** Production traffic of one poll: the listener's weights, else ECS's requested weights, else undefined. */
export function splitOf(s: ReleaseSnapshot): TrafficSplit | undefined {
  if (s.listener) return { old: round(s.listener.old), new: round(s.listener.new) };
  const d = s.deployment;
  const w = d?.targetServiceRevision?.requestedProductionTrafficWeight;
  if (w === undefined) return undefined;
  const src = (d?.sourceServiceRevisions ?? []).reduce((n, r) => n + (r.requestedProductionTrafficWeight ?? 0), 0);
  return { old: round(src || 100 - w), new: round(w) };
}

function testWeightOf(s: ReleaseSnapshot): number | undefined {
  return s.deployment?.targetServiceRevision?.requestedTestTrafficWeight;
}

const iso = (t: ReleaseSnapshot['at']) => new Date(toMs(t) ?? 0).toISOString();

/** The stage records of a timeline (oldest poll first). The last one is open (no endedAt) unless the release ended. */
export function stagesOf(timeline: ReleaseSnapshot[]): StageRecord[] {
  const out: StageRecord[] = [];
  let split: TrafficSplit = { old: 100, new: 0 };
  for (const s of timeline) {
    if (s.error || !s.deployment) continue;
    split = splitOf(s) ?? split;
    const stage = s.deployment.lifecycleStage ?? s.deployment.status ?? 'UNKNOWN';
    const test = testWeightOf(s);
    const last = out[out.length - 1];
    if (last && last.stage === stage && last.production.new === split.new && last.production.old === split.old) {
      if (test !== undefined) last.testToNew = test;
      continue;
    }
    if (last) last.endedAt = iso(s.at);
    out.push({ stage, startedAt: iso(s.at), production: { ...split }, ...(test !== undefined ? { testToNew: test } : {}) });
  }
  const lastSnap = [...timeline].reverse().find((s) => s.deployment && !s.error);
  if (out.length && lastSnap && ENDED.has(lastSnap.deployment!.status ?? '')) out[out.length - 1]!.endedAt ??= iso(lastSnap.at);
  return out;
}

/** Statuses after which ECS moves nothing more. */
export const ENDED: ReadonlySet<string> = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** The latest known production split of a timeline. */
export function currentSplit(timeline: ReleaseSnapshot[]): TrafficSplit {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const s = timeline[i]!;
    if (s.error) continue;
    const w = splitOf(s);
    if (w) return w;
  }
  return { old: 100, new: 0 };
}
