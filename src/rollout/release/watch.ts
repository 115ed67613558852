/**
 * The poll loop of a progressive release: fetch, ask the pure judgement, report progress on a
 * change, sleep, until a verdict. Throttling and transient errors back off (bounded), like the
 * rolling watch (src/rollout/watch.ts). Older polls are kept light (the deployment and the split
 * only), so the stages of a long release stay complete while memory stays bounded.
 */
import { isThrottle, isTransient } from '../watch.js';
import type { ReleaseSnapshot } from './types.js';

export interface ReleaseWatchDeps<J extends { verdict: string }> {
  fetch: () => Promise<ReleaseSnapshot>;
  judge: (timeline: ReleaseSnapshot[]) => J;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  onProgress?: (j: J) => void;
}

export interface ReleaseWatchOptions {
  pollMs: number;
  maxBackoffMs?: number;
  maxConsecutiveErrors?: number;
  /** Polls kept whole; older ones keep only what the stages need. */
  keepFull?: number;
  /** Stop at the first judgement whose verdict is not this (default 'in-progress'). */
  until?: (j: { verdict: string }) => boolean;
}

const light = (s: ReleaseSnapshot): ReleaseSnapshot => ({ at: s.at, deployment: s.deployment, listener: s.listener, error: s.error });

export async function watchRelease<J extends { verdict: string }>(
  deps: ReleaseWatchDeps<J>,
  o: ReleaseWatchOptions,
  timeline: ReleaseSnapshot[] = [],
): Promise<{ judgement: J; timeline: ReleaseSnapshot[]; polls: number }> {
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const maxErrors = o.maxConsecutiveErrors ?? 5;
  const keepFull = o.keepFull ?? 40;
  const done = o.until ?? ((j) => j.verdict !== 'in-progress');
  let backoff = 0;
  let errors = 0;
  let polls = 0;
  for (;;) {
    polls++;
    let snap: ReleaseSnapshot;
    try {
      snap = await deps.fetch();
      backoff = 0;
      errors = 0;
    } catch (e) {
      if (!isTransient(e) || (!isThrottle(e) && ++errors >= maxErrors)) throw e;
      backoff = backoff ? Math.min(maxBackoff, backoff * 2) : Math.min(maxBackoff, o.pollMs * 2);
      snap = { at: new Date(deps.now()), error: `${(e as Error).name}: ${(e as Error).message}` };
    }
    timeline.push(snap);
    if (timeline.length > keepFull) timeline[timeline.length - keepFull - 1] = light(timeline[timeline.length - keepFull - 1]!);
    const j = deps.judge(timeline);
    deps.onProgress?.(j);
    if (done(j)) return { judgement: j, timeline, polls };
    await deps.sleep(backoff || o.pollMs);
  }
}
