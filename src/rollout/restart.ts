/** `berth restart`: a new deployment of the running revision (force new deployment), watched to its verdict. */
import { revisionOf, shortTd } from '../ecs/ids.js';
import { exitFor, judgedResult } from './op-result.js';
import type { Op, OpResult, RevisionRef, WatchSettings } from './op-types.js';
import { identityFor, inProgressWarning, opsOf, previousDeploymentIds, relocated, rollingUpdate, watchWithProgress } from './operate.js';
import { imageOf } from './taskdef.js';

export async function restart(opIn: Op, o: WatchSettings): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  const ops = opsOf(opIn);
  const svc = await ops.describeService(opIn.loc);
  const current = svc.taskDefinition!;
  const td = await ops.describeTaskDefinition(current);
  const op = relocated(opIn, td.taskDefinition);
  const w = inProgressWarning(svc);
  if (w) warnings.push(w);
  const rev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(td.taskDefinition, op.loc.container) };
  const previous = previousDeploymentIds(svc);
  const startedAt = now();
  await ops.updateService(op.loc, rollingUpdate(op, svc, { forceNewDeployment: true }));
  const id = identityFor(op, 'restart', o, {
    newTd: current,
    oldTd: current,
    previous,
    startedAt,
    tdInfo: td.taskDefinition,
    image: rev.image,
  });
  const { judgement } = await watchWithProgress(op, id, o, `restarting ${op.svc.name} (${shortTd(current)})`, warnings);
  const base = {
    command: 'restart' as const,
    service: op.svc.name,
    cluster: op.loc.cluster,
    startedAt,
    oldRevision: rev,
    newRevision: rev,
    warnings,
  };
  return judgedResult(base, { judgement, exitCode: exitFor(judgement.verdict, 'restart'), image: rev.image, endedAt: now() });
}
