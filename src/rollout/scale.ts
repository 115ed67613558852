/**
 * `berth scale`: set the desired count, inside the autoscaling range (or moving it with
 * --update-range), and watch the service settle at that count.
 */
import { revisionOf } from '../ecs/ids.js';
import { UsageError } from '../output/errors.js';
import type { EcsOps } from './ecs-ops.js';
import { exitFor, judgedResult } from './op-result.js';
import type { Op, OpResult, RevisionRef, ScaleOptions } from './op-types.js';
import { identityFor, opsOf, previousDeploymentIds, relocated, watchWithProgress } from './operate.js';
import { scalableResourceId } from './target.js';
import { imageOf } from './taskdef.js';

interface ScalableRange {
  min: number;
  max: number;
  resourceId: string;
}

type RangeOut = { min: number; max: number; updated: boolean };

async function rangeOf(ops: EcsOps, cluster: string, service: string): Promise<ScalableRange | undefined> {
  const resourceId = scalableResourceId(cluster, service);
  const t = await ops.describeScalableTarget(resourceId);
  return t ? { ...t, resourceId } : undefined;
}

function outside(range: ScalableRange | undefined, count: number): boolean {
  return range !== undefined && (count < range.min || count > range.max);
}

/** All input checked before the first change: a whole count, inside the range unless --update-range. */
function checkCount(op: Op, o: ScaleOptions, range: ScalableRange | undefined): void {
  if (!range || !outside(range, o.count) || o.updateRange) return;
  throw new UsageError(
    `--count ${o.count} is outside the autoscaling range ${range.min}..${range.max} of ${op.svc.name}: ` +
      'autoscaling would undo it. Nothing was changed.',
    {
      hint: 'Pass --update-range to move the range too, or pick a count inside it.',
      details: { min: range.min, max: range.max },
    },
  );
}

/** The range after the change: moved to include the count when asked to, else as it was. */
async function settleRange(op: Op, o: ScaleOptions, range: ScalableRange | undefined): Promise<RangeOut | undefined> {
  if (!range) return undefined;
  if (!o.updateRange || !outside(range, o.count)) return { min: range.min, max: range.max, updated: false };
  const min = Math.min(range.min, o.count);
  const max = Math.max(range.max, o.count);
  await opsOf(op).registerScalableTarget(range.resourceId, min, max);
  op.reporter.info(`autoscaling range of ${op.svc.name}: ${range.min}..${range.max} -> ${min}..${max}`);
  return { min, max, updated: true };
}

export async function scale(opIn: Op, o: ScaleOptions): Promise<OpResult & { range?: RangeOut }> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  if (!Number.isInteger(o.count) || o.count < 0) throw new UsageError(`--count ${o.count}: expected a whole number, 0 or more.`);
  const ops = opsOf(opIn);
  const range = await rangeOf(ops, opIn.loc.cluster, opIn.loc.service);
  checkCount(opIn, o, range);
  const svc = await ops.describeService(opIn.loc);
  const current = svc.taskDefinition!;
  const td = await ops.describeTaskDefinition(current);
  const op = relocated(opIn, td.taskDefinition);
  const rangeOut = await settleRange(op, o, range);
  if (!range) warnings.push(`${op.svc.name} has no autoscaling target; the count stays until someone changes it`);
  const rev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(td.taskDefinition, op.loc.container) };
  const previous = previousDeploymentIds(svc);
  const startedAt = now();
  await ops.updateService(op.loc, { desiredCount: o.count });
  const id = identityFor(op, 'scale', o, {
    newTd: current,
    oldTd: current,
    previous,
    startedAt,
    tdInfo: td.taskDefinition,
    image: rev.image,
    desiredCount: o.count,
  });
  const { judgement } = await watchWithProgress(
    op,
    id,
    o,
    `scaling ${op.svc.name} from ${svc.desiredCount ?? '?'} to ${o.count}`,
    warnings,
  );
  const base = {
    command: 'scale' as const,
    service: op.svc.name,
    cluster: op.loc.cluster,
    startedAt,
    oldRevision: rev,
    newRevision: rev,
    warnings,
  };
  const result = judgedResult(base, { judgement, exitCode: exitFor(judgement.verdict, 'scale'), image: rev.image, endedAt: now() });
  return { ...result, desiredCount: o.count, range: rangeOut };
}
