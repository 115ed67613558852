/**
 * `berth deploy`: register a copy of the running revision with only the image changed, move the
 * service to it, watch it to its verdict and, on failure, roll back (or verify the rollback ECS's
 * circuit breaker made) and watch that too.
 */
import { checkImage } from '../cli-args/image.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import { FAILED_TAG, HEALTHY_TAG } from '../ecs/revisions.js';
import { isSettledWithTasks } from '../ecs/settled.js';
import { BerthError, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { TaskDefinitionInfo } from './ecs-ops.js';
import { baseResult, exitCodeForDeployFailure, judgedResult, type ResultBase } from './op-result.js';
import type { BeforeUpdateStop, DeployOptions, Op, OpResult, RevisionRef, RollbackOutcome, WatchSettings } from './op-types.js';
import {
  checkImageExists,
  identityFor,
  imageForTag,
  inProgressWarning,
  opsOf,
  previousDeploymentIds,
  relocated,
  rollingUpdate,
  tagRevision,
  watchWithProgress,
} from './operate.js';
import { prepareRelease, runRelease, type PreparedRelease } from './release/run.js';
import { releaseResult } from './release/report.js';
import { copyWithImage, imageOf } from './taskdef.js';
import type { Judgement, ServiceSnap } from './types.js';

/** The new revision, registered; the service not touched yet. */
interface Registered {
  op: Op;
  svc: ServiceSnap;
  image: string;
  oldRev: RevisionRef;
  newRev: RevisionRef & { arn: string };
  registered?: TaskDefinitionInfo;
}

async function registerNewRevision(opIn: Op, o: DeployOptions, warnings: string[]): Promise<Registered> {
  const image = o.image ? checkImage(o.image) : await imageForTag(opIn, o.tag!);
  const ops = opsOf(opIn);
  const svc = await ops.describeService(opIn.loc);
  const current = svc.taskDefinition;
  if (!current) throw new BerthError(`service ${opIn.svc.name} reports no task definition.`);
  if (o.imageCheck !== false) await checkImageExists(opIn, image, warnings);
  const { taskDefinition: td, tags } = await ops.describeTaskDefinition(current);
  const oldImage = imageOf(td, opIn.loc.container);
  if (oldImage === image) warnings.push(`${shortTd(current)} already runs ${image}; deploying it again as a new revision`);
  const w = inProgressWarning(svc);
  if (w) warnings.push(w);
  const op = relocated(opIn, td);
  // Settled with tasks running: its revision is known good.
  if (isSettledWithTasks(svc)) await tagRevision(op, current, HEALTHY_TAG, warnings);
  const reg = await ops.registerTaskDefinition(copyWithImage(td, op.loc.container, image, tags));
  if (!reg.arn) throw new BerthError('RegisterTaskDefinition returned no ARN.');
  op.reporter.info(`registered ${shortTd(reg.arn)} (${image}), was ${shortTd(current)} (${oldImage ?? '?'})`);
  const oldRev: RevisionRef = { arn: current, revision: revisionOf(current), image: oldImage };
  return { op, svc, image, oldRev, newRev: { arn: reg.arn, revision: revisionOf(reg.arn), image }, registered: reg.taskDefinition };
}

function resultBase(r: Registered, startedAt: number, warnings: string[]): ResultBase {
  return {
    command: 'deploy',
    service: r.op.svc.name,
    cluster: r.op.loc.cluster,
    startedAt,
    oldRevision: r.oldRev,
    newRevision: r.newRev,
    warnings,
  };
}

/** A step before the update (run-first, snapshot-first) stopped the release: the service is untouched, the revision marked failed. */
async function stoppedBeforeUpdate(r: Registered, stop: BeforeUpdateStop, startedAt: number, warnings: string[]): Promise<OpResult> {
  const result: OpResult = {
    ...baseResult(resultBase(r, startedAt, warnings)),
    image: r.image,
    verdict: 'failed',
    exitCode: stop.exitCode,
    reasons: stop.reasons,
    failures: stop.failures,
    runFirst: stop.detail,
  };
  await tagRevision(r.op, r.newRev.arn, FAILED_TAG, warnings);
  return result;
}

function outcome(by: RollbackOutcome['by'], to: RevisionRef, j: Judgement, started: number, now: () => number): RollbackOutcome {
  return {
    by,
    to,
    deploymentId: j.evidence.deploymentId,
    verdict: j.verdict,
    reasons: j.reasons,
    durationSeconds: Math.round((now() - started) / 1000),
  };
}

async function berthRollback(op: Op, s: WatchSettings, to: RevisionRef, from: string, warnings: string[]): Promise<RollbackOutcome> {
  const now = s.now ?? Date.now;
  const started = now();
  const ops = opsOf(op);
  const svc = await ops.describeService(op.loc);
  const previous = previousDeploymentIds(svc);
  await ops.updateService(op.loc, rollingUpdate(op, svc, { taskDefinition: to.arn }));
  const td = await ops.describeTaskDefinition(to.arn).catch(() => undefined);
  const id = identityFor(op, 'rollback', s, {
    newTd: to.arn,
    oldTd: from,
    previous,
    startedAt: started,
    tdInfo: td?.taskDefinition,
    image: to.image,
  });
  const res = await watchWithProgress(op, id, s, `rolling back to ${shortTd(to.arn)}`, warnings);
  return outcome('berth', to, res.judgement, started, now);
}

async function verifyEcsRollback(
  op: Op,
  s: WatchSettings,
  to: RevisionRef,
  failed: string,
  previous: string[],
  rollbackId: string | undefined,
  warnings: string[],
) {
  const now = s.now ?? Date.now;
  const started = now();
  const id = identityFor(op, 'ecs-rollback', s, {
    newTd: to.arn,
    oldTd: failed,
    previous,
    startedAt: started,
    deploymentId: rollbackId,
    image: to.image,
  });
  const res = await watchWithProgress(op, id, s, `verifying ECS's rollback to ${shortTd(to.arn)}`, warnings);
  return outcome('ecs', to, res.judgement, started, now);
}

/**
 * After a verdict other than success or superseded: mark the revision failed, then verify the
 * rollback ECS made, or make berth's own (unless --no-rollback).
 */
async function afterFailure(
  r: Registered,
  o: DeployOptions,
  j: Judgement,
  previous: string[],
  warnings: string[],
): Promise<RollbackOutcome | null> {
  const { op, oldRev, newRev } = r;
  await tagRevision(op, newRev.arn, FAILED_TAG, warnings);
  let rollback: RollbackOutcome | null = null;
  if (j.verdict === 'rolled-back-by-ecs') {
    const seen = [...previous, ...(j.evidence.deploymentId ? [j.evidence.deploymentId] : [])];
    rollback = await verifyEcsRollback(op, o, oldRev, newRev.arn, seen, j.evidence.rollbackDeploymentId, warnings);
  } else if (o.rollback) rollback = await berthRollback(op, o, oldRev, newRev.arn, warnings);
  if (rollback?.verdict === 'succeeded') await tagRevision(op, oldRev.arn, HEALTHY_TAG, warnings);
  return rollback;
}

/** A blue/green, canary or linear release of the registered revision (src/rollout/release/run.ts). */
async function releaseDeploy(r: Registered, o: DeployOptions, prepared: PreparedRelease, warnings: string[]): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const run = await runRelease(r.op, o, prepared, r.oldRev, r.newRev);
  const ok = run.judgement.verdict === 'succeeded';
  if (run.judgement.verdict !== 'superseded') await tagRevision(r.op, r.newRev.arn, ok ? HEALTHY_TAG : FAILED_TAG, warnings);
  const b = resultBase(r, run.startedAt, warnings);
  return releaseResult(b, { judgement: run.judgement, report: run.report, image: r.image, endedAt: now() });
}

export async function deploy(opIn: Op, o: DeployOptions): Promise<OpResult> {
  if (o.image && o.tag) throw new UsageError('pass either --image or --tag, not both.');
  if (!o.image && !o.tag) throw new UsageError('deploy needs --image <uri:tag> or --tag <tag>.');
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  // A progressive release needs its target groups, listener rules and role: found before anything changes.
  const prepared = o.release ? await prepareRelease(opIn, o.release) : undefined;
  if (prepared) warnings.push(...prepared.warnings);
  const r = await registerNewRevision(opIn, o, warnings);
  const stop = o.beforeUpdate ? await o.beforeUpdate(r.newRev) : undefined;
  if (stop) return stoppedBeforeUpdate(r, stop, now(), warnings);
  if (prepared) return releaseDeploy(r, o, prepared, warnings);
  const { op, newRev } = r;
  const previous = previousDeploymentIds(r.svc);
  const startedAt = now();
  await opsOf(op).updateService(op.loc, rollingUpdate(op, r.svc, { taskDefinition: newRev.arn }));
  const id = identityFor(op, 'deploy', o, {
    newTd: newRev.arn,
    oldTd: r.oldRev.arn,
    previous,
    startedAt,
    tdInfo: r.registered,
    image: r.image,
  });
  const { judgement: j } = await watchWithProgress(op, id, o, `deploying ${shortTd(newRev.arn)}`, warnings);
  let exitCode: number;
  let rollback: RollbackOutcome | null = null;
  if (j.verdict === 'succeeded') {
    exitCode = EXIT.DEPLOY_SUCCEEDED;
    await tagRevision(op, newRev.arn, HEALTHY_TAG, warnings);
  } else if (j.verdict === 'superseded') exitCode = EXIT.DEPLOY_SUPERSEDED;
  else {
    rollback = await afterFailure(r, o, j, previous, warnings);
    exitCode = exitCodeForDeployFailure(j.verdict, rollback);
  }
  return judgedResult(resultBase(r, startedAt, warnings), { judgement: j, exitCode, image: r.image, rollback, endedAt: now() });
}
