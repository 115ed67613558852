/**
 * `berth rollback`: move the service back to the revision chosen (choose-target.ts), after a
 * confirmation (a prompt on a terminal, else --yes), and watch it to its verdict.
 */
import { revisionOf, shortTd } from '../ecs/ids.js';
import { FAILED_TAG, HEALTHY_TAG } from '../ecs/revisions.js';
import { BerthError, UsageError } from '../output/errors.js';
import { chooseRollbackTarget } from './choose-target.js';
import { exitFor, judgedResult } from './op-result.js';
import type { Op, OpResult, RevisionRef, RollbackOptions } from './op-types.js';
import { identityFor, opsOf, previousDeploymentIds, relocated, rollingUpdate, tagRevision, watchWithProgress } from './operate.js';
import { movingRelease, stopRelease, type MovingRelease } from './release/stop.js';
import { sameTd, type RollbackTarget } from './rollback-target.js';
import { imageOf } from './taskdef.js';

/** Without --yes: ask on a terminal, refuse without one. Nothing has changed yet either way. */
async function confirmed(
  op: Op,
  o: RollbackOptions,
  oldRev: RevisionRef,
  target: Pick<RollbackTarget, 'arn' | 'revision' | 'image' | 'why'>,
): Promise<void> {
  if (o.yes) return;
  const newRev: RevisionRef = { arn: target.arn, revision: target.revision, image: target.image };
  if (!o.canPrompt || !o.confirm)
    throw new UsageError('rollback changes a running service: pass --yes to confirm (no terminal to ask on).', {
      details: { from: oldRev, to: newRev, why: target.why },
    });
  const question =
    `Roll ${op.svc.name} in ${op.env.name} back from ${shortTd(oldRev.arn)} (${oldRev.image ?? '?'}) ` +
    `to ${shortTd(target.arn)} (${target.image ?? '?'})? Chosen because ${target.why}.`;
  if (!(await o.confirm(question))) throw new UsageError('rollback cancelled: nothing was changed.');
}

/** During a blue/green, canary or linear release: stop it, traffic back to the revision it replaces (release/stop.ts). */
async function stopMoving(op: Op, o: RollbackOptions, m: MovingRelease): Promise<OpResult> {
  const target = {
    arn: m.to.arn,
    revision: m.to.revision,
    why: `a ${m.deployment.deploymentConfiguration?.strategy ?? ''} release (${m.deployment.lifecycleStage ?? m.deployment.status}) is moving to ${shortTd(m.from.arn)}: berth stops it and returns all traffic`,
  };
  await confirmed(op, o, m.from, target);
  return stopRelease(op, o, m, []);
}

export async function rollback(opIn: Op, o: RollbackOptions): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  const ops = opsOf(opIn);
  const svc = await ops.describeService(opIn.loc);
  const current = svc.taskDefinition;
  if (!current) throw new BerthError(`service ${opIn.svc.name} reports no task definition.`);
  const moving = o.to === undefined ? await movingRelease(opIn, svc, warnings) : undefined;
  if (moving) return stopMoving(opIn, o, moving);
  const curTd = await ops.describeTaskDefinition(current);
  const op = relocated(opIn, curTd.taskDefinition);
  const target = await chooseRollbackTarget(op, svc, o.to, warnings);
  if (sameTd(target.arn, current)) throw new UsageError(`${op.svc.name} already runs ${shortTd(current)}: nothing to roll back.`);
  const oldRev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(curTd.taskDefinition, op.loc.container) };
  const newRev: RevisionRef = { arn: target.arn, revision: target.revision, image: target.image };
  await confirmed(op, o, oldRev, target);
  for (const w of warnings) op.reporter.warn(w);
  const previous = previousDeploymentIds(svc);
  const startedAt = now();
  await ops.updateService(op.loc, rollingUpdate(op, svc, { taskDefinition: target.arn }));
  const tdInfo = await ops.describeTaskDefinition(target.arn).catch(() => undefined);
  const id = identityFor(op, 'rollback', o, {
    newTd: target.arn,
    oldTd: current,
    previous,
    startedAt,
    tdInfo: tdInfo?.taskDefinition,
    image: target.image,
  });
  const { judgement } = await watchWithProgress(op, id, o, `rolling back to ${shortTd(target.arn)}`, warnings);
  await tagRevision(op, target.arn, judgement.verdict === 'succeeded' ? HEALTHY_TAG : FAILED_TAG, warnings);
  const base = {
    command: 'rollback' as const,
    service: op.svc.name,
    cluster: op.loc.cluster,
    startedAt,
    oldRevision: oldRev,
    newRevision: newRev,
    warnings,
  };
  const leadReasons = [`target chosen: ${target.why} (${target.source})`];
  return judgedResult(base, {
    judgement,
    exitCode: exitFor(judgement.verdict, 'rollback'),
    image: target.image,
    leadReasons,
    endedAt: now(),
  });
}
