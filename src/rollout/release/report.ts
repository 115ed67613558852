/**
 * The result of a progressive release, built whole from what happened (pure): the OpResult every
 * deploy returns, with `release` carrying each stage with its timestamps and weights, the evidence
 * the verdict rested on, and the rollback (when traffic was asked back and when it was back).
 */
import { EXIT } from '../../output/exit-codes.js';
import { baseResult, type ResultBase } from '../op-result.js';
import type { OpResult } from '../op-types.js';
import type { ReleaseJudgement, Signal, StageRecord, StepMetrics, TrafficSplit } from './types.js';

export interface ReleaseRollback {
  /** Who started it: berth on its evidence, ECS (circuit breaker / alarms), or someone outside the watch. */
  by: 'berth' | 'ecs' | 'outside';
  requestedAt?: string;
  /** When the production listener rule was first seen with no weight on the new revision. */
  trafficBackAt?: string;
  /** From the first failing evidence to traffic back (s). */
  trafficBackAfterFirstFailureSeconds?: number;
  /** From berth's StopServiceDeployment to traffic back (s). */
  trafficBackAfterRequestSeconds?: number;
  /** ECS's status at the end: ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED, or what it was when the watch ended. */
  status?: string;
  verdict: 'succeeded' | 'failed' | 'timed-out';
}

export interface ReleaseReport {
  strategy: string;
  deploymentArn: string;
  /** ECS's status and lifecycle stage at the end. */
  status?: string;
  stage?: string;
  /** Production split at the end (percent). */
  production: TrafficSplit;
  /** Every stage seen, with its start, end and weights. */
  stages: StageRecord[];
  /** The planned production share of the new revision after each step. */
  plannedSteps: number[];
  targetGroups: { old: string; new: string };
  signals: Signal[];
  metrics?: StepMetrics;
  firstFailureAt?: string;
  rollback: ReleaseRollback | null;
}

/** Exit code of a release from its verdict and what the rollback did. */
export function exitCodeForRelease(verdict: ReleaseJudgement['verdict'], rollback: ReleaseRollback | null): number {
  if (verdict === 'succeeded') return EXIT.DEPLOY_SUCCEEDED;
  if (verdict === 'superseded') return EXIT.DEPLOY_SUPERSEDED;
  if (!rollback || rollback.verdict !== 'succeeded') return EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
  if (verdict === 'stopped') return EXIT.RELEASE_STOPPED;
  if (verdict === 'timed-out') return EXIT.DEPLOY_TIMED_OUT;
  return EXIT.DEPLOY_FAILED_ROLLED_BACK;
}

export interface ReleaseOutcome {
  judgement: ReleaseJudgement;
  report: ReleaseReport;
  image: string;
  endedAt: number;
}

const VERDICT: Record<ReleaseJudgement['verdict'], OpResult['verdict']> = {
  'in-progress': 'in-progress',
  succeeded: 'succeeded',
  failed: 'failed',
  'rolled-back-by-ecs': 'rolled-back-by-ecs',
  stopped: 'failed',
  superseded: 'superseded',
  'timed-out': 'timed-out',
};

export function releaseResult(b: ResultBase, o: ReleaseOutcome): OpResult {
  const j = o.judgement;
  const base = baseResult(b);
  const rb = o.report.rollback;
  const exitCode = exitCodeForRelease(j.verdict, rb);
  const rollbackSeconds = rb?.requestedAt && rb.trafficBackAt ? rb.trafficBackAfterRequestSeconds : undefined;
  return {
    ...base,
    ok: j.verdict === 'succeeded',
    image: o.image,
    verdict: VERDICT[j.verdict],
    exitCode,
    deploymentId: o.report.deploymentArn,
    reasons: j.reasons,
    failures: j.evidence.failures,
    rollback:
      rb && rb.by !== 'outside'
        ? {
            by: rb.by,
            to: b.oldRevision,
            deploymentId: o.report.deploymentArn,
            verdict: rb.verdict,
            reasons: [],
            durationSeconds: rollbackSeconds ?? 0,
          }
        : null,
    release: o.report,
    durations: {
      ...base.durations,
      verdictAfterSeconds: Math.round(j.evidence.elapsedMs / 1000),
      ...(rollbackSeconds !== undefined ? { rollbackSeconds } : {}),
      totalSeconds: Math.round((o.endedAt - b.startedAt) / 1000),
    },
  };
}
