/**
 * The steps of a release before the service moves, in order: the snapshot (--snapshot-first),
 * then the migration (--run-first). The first that stops ends the release.
 */
import type { BeforeUpdateStop, RevisionRef } from '../rollout/op-types.js';

export type Step = (rev: RevisionRef) => Promise<BeforeUpdateStop | undefined>;

export function releaseSteps(steps: (Step | undefined)[]): Step | undefined {
  const list = steps.filter((s): s is Step => Boolean(s));
  if (!list.length) return undefined;
  return async (rev) => {
    for (const s of list) {
      const stop = await s(rev);
      if (stop) return stop;
    }
    return undefined;
  };
}
