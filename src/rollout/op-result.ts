/** The results of deploy, rollback, restart and scale, built whole from what happened (pure; nothing mutated). */
import { EXIT } from '../output/exit-codes.js';
import type { OpCommand, OpResult, RevisionRef, RollbackOutcome } from './op-types.js';
import type { Judgement } from './types.js';

/** Exit codes of changes that have nothing to roll back to (rollback itself, restart, scale). */
export function exitFor(v: Judgement['verdict'], command: 'rollback' | 'restart' | 'scale'): number {
  switch (v) {
    case 'succeeded':
      return EXIT.DEPLOY_SUCCEEDED;
    case 'superseded':
      return EXIT.DEPLOY_SUPERSEDED;
    case 'timed-out':
      return EXIT.DEPLOY_TIMED_OUT;
    default:
      // A failed rollback is "rollback failed"; a failed restart/scale has nothing to roll back to.
      return command === 'rollback' ? EXIT.DEPLOY_FAILED_ROLLBACK_FAILED : EXIT.DEPLOY_FAILED_NO_ROLLBACK;
  }
}

/** Exit code of a deploy whose verdict was not success, given the rollback that followed (if any). */
export function exitCodeForDeployFailure(v: Judgement['verdict'], rollback: RollbackOutcome | null): number {
  if (v === 'rolled-back-by-ecs')
    return rollback?.verdict === 'succeeded' ? EXIT.DEPLOY_FAILED_ROLLED_BACK : EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
  if (!rollback) return v === 'timed-out' ? EXIT.DEPLOY_TIMED_OUT : EXIT.DEPLOY_FAILED_NO_ROLLBACK;
  if (rollback.verdict !== 'succeeded') return EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
  return v === 'timed-out' ? EXIT.DEPLOY_TIMED_OUT : EXIT.DEPLOY_FAILED_ROLLED_BACK;
}

export interface ResultBase {
  command: OpCommand;
  service: string;
  cluster: string;
  startedAt: number;
  oldRevision: RevisionRef;
  newRevision: RevisionRef;
  warnings: string[];
}

/** A result before any verdict: failed, in progress, nothing watched yet. */
export function baseResult(b: ResultBase): OpResult {
  return {
    ok: false,
    command: b.command,
    service: b.service,
    cluster: b.cluster,
    verdict: 'in-progress',
    exitCode: EXIT.FAILED,
    oldRevision: b.oldRevision,
    newRevision: b.newRevision,
    reasons: [],
    failures: [],
    rollback: null,
    durations: { startedAt: new Date(b.startedAt).toISOString(), verdictAfterSeconds: 0, totalSeconds: 0 },
    warnings: b.warnings,
  };
}

export interface Judged {
  judgement: Judgement;
  exitCode: number;
  image?: string;
  /** Reasons put before the judgement's own. */
  leadReasons?: string[];
  rollback?: RollbackOutcome | null;
  /** When the operation ended (ms). */
  endedAt: number;
}

/** A result with the watch's verdict, its exit code, the rollback (if any) and the durations. */
export function judgedResult(b: ResultBase, r: Judged): OpResult {
  const j = r.judgement;
  const base = baseResult(b);
  const rollback = r.rollback ?? null;
  return {
    ...base,
    ok: j.verdict === 'succeeded',
    image: r.image,
    verdict: j.verdict,
    exitCode: r.exitCode,
    deploymentId: j.evidence.deploymentId,
    reasons: [...(r.leadReasons ?? []), ...j.reasons],
    failures: j.evidence.failures,
    rollback,
    durations: {
      ...base.durations,
      verdictAfterSeconds: Math.round(j.evidence.elapsedMs / 1000),
      ...(rollback ? { rollbackSeconds: rollback.durationSeconds } : {}),
      totalSeconds: Math.round((r.endedAt - b.startedAt) / 1000),
    },
  };
}
