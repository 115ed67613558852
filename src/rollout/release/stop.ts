/**
 * `berth rollback` while a blue/green, canary or linear release is moving: ask ECS to roll it back
 * (StopServiceDeployment ROLLBACK) and watch until ECS reports ROLLBACK_SUCCESSFUL and the
 * production listener rule sends every request to one target group again (the old revision's).
 * A rolling deployment in progress, or none, is left to the ordinary rollback.
 */
import { FLAG_DEFAULTS } from '../../cli-args/defaults.js';
import { parseDurationText } from '../../cli-args/duration.js';
import { revisionOf, shortTd } from '../../ecs/ids.js';
import { toMs } from '../../ecs/time.js';
import { EXIT } from '../../output/exit-codes.js';
import { baseResult } from '../op-result.js';
import type { Op, OpResult, RevisionRef, RollbackOptions } from '../op-types.js';
import type { ServiceSnap } from '../types.js';
import type { ForwardTarget } from './ops.js';
import { releaseOpsOf } from './run.js';
import { stagesOf, currentSplit } from './stages.js';
import type { ReleaseSnapshot, ServiceDeploymentSnap } from './types.js';
import { watchRelease } from './watch.js';
import { isThrottle } from '../watch.js';

const MOVING = ['PENDING', 'IN_PROGRESS'];
const PROGRESSIVE = new Set(['BLUE_GREEN', 'CANARY', 'LINEAR']);

export interface MovingRelease {
  deployment: ServiceDeploymentSnap;
  /** The release's new revision (moving in) and the revision it replaces (traffic goes back to it). */
  from: RevisionRef;
  to: RevisionRef;
  productionRule?: string;
}

/** The blue/green, canary or linear release in progress on the service, if any. */
export async function movingRelease(op: Op, svc: ServiceSnap, warnings: string[]): Promise<MovingRelease | undefined> {
  const ops = releaseOpsOf(op);
  let moving: Awaited<ReturnType<typeof ops.listServiceDeployments>>;
  try {
    moving = await ops.listServiceDeployments(op.loc, MOVING);
  } catch (e) {
    // An endpoint without service deployments (stock moto answers 500 with HTML): nothing to stop; said, not hidden.
    if (isThrottle(e)) throw e;
    warnings.push(`could not list the service deployments (${(e as Error).name}); rolling back as if no release were moving`);
    return undefined;
  }
  for (const m of moving) {
    const d = await ops.describeServiceDeployment(m.serviceDeploymentArn);
    if (!d || !PROGRESSIVE.has(d.deploymentConfiguration?.strategy ?? '')) continue;
    const source = d.sourceServiceRevisions?.[0]?.arn;
    const target = d.targetServiceRevision?.arn;
    const tds = await ops.serviceRevisionTaskDefinitions([target, source].filter((x): x is string => Boolean(x)));
    const toTd = (source && tds[source]) || '';
    const fromTd = (target && tds[target]) || svc.taskDefinition || '';
    return {
      deployment: d,
      from: { arn: fromTd, revision: revisionOf(fromTd) },
      to: { arn: toTd, revision: revisionOf(toTd) },
      productionRule: svc.loadBalancers?.find((l) => l.advancedConfiguration?.productionListenerRule)?.advancedConfiguration
        ?.productionListenerRule,
    };
  }
  return undefined;
}

/** Everything on one target group again (where the old revision's tasks are). */
function oneTargetGroup(forward: ForwardTarget[]): boolean {
  return forward.filter((f) => f.weight > 0).length <= 1;
}

type StopVerdict = 'in-progress' | 'succeeded' | 'failed' | 'timed-out';

/** Pure: has the rollback finished? ECS says ROLLBACK_SUCCESSFUL and (when read) the listener sends everything to one target group. */
export function stopState(timeline: (ReleaseSnapshot & { single?: boolean })[]): Exclude<StopVerdict, 'timed-out'> {
  const last = [...timeline].reverse().find((s) => s.deployment && !s.error);
  const status = last?.deployment?.status ?? '';
  if (status === 'ROLLBACK_FAILED') return 'failed';
  if (status === 'ROLLBACK_SUCCESSFUL' && last?.single !== false) return 'succeeded';
  return 'in-progress';
}

export async function stopRelease(op: Op, o: RollbackOptions, m: MovingRelease, warnings: string[]): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const ops = releaseOpsOf(op);
  const arn = m.deployment.serviceDeploymentArn!;
  const startedAt = now();
  await ops.stopServiceDeployment(arn);
  const deadline = startedAt + o.timeoutMs;
  const pollMs =
    o.pollMs ?? parseDurationText(op.ctx.sandbox ? FLAG_DEFAULTS.sandboxPollInterval : FLAG_DEFAULTS.pollInterval, '--poll-interval');
  const step = await op.reporter.step(`stopping the release ${arn.split('/').pop()}: traffic back to ${shortTd(m.to.arn)}`);
  let backAt: number | undefined;
  const res = await watchRelease(
    {
      fetch: async () => {
        const at = now();
        const [deployment, forward] = await Promise.all([
          ops.describeServiceDeployment(arn),
          m.productionRule ? ops.ruleForward(m.productionRule) : undefined,
        ]);
        const single = forward ? oneTargetGroup(forward) : undefined;
        if (single && backAt === undefined) backAt = at;
        return { at: new Date(at), deployment, single } as ReleaseSnapshot;
      },
      judge: (tl) => ({ verdict: (now() >= deadline ? 'timed-out' : stopState(tl)) as StopVerdict }),
      sleep: o.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))),
      now,
      onProgress: (j) => step.update(`stopping the release: ${j.verdict}`),
    },
    { pollMs: Math.min(pollMs, 1000) },
    [{ at: new Date(toMs(m.deployment.updatedAt) ?? startedAt), deployment: m.deployment }],
  );
  const verdict = res.judgement.verdict as StopVerdict;
  if (verdict === 'succeeded') step.succeed(`traffic back on ${shortTd(m.to.arn)}`);
  else step.fail(`rollback ${verdict}`);
  const last = [...res.timeline].reverse().find((s) => s.deployment)?.deployment;
  const base = baseResult({
    command: 'rollback',
    service: op.svc.name,
    cluster: op.loc.cluster,
    startedAt,
    oldRevision: m.from,
    newRevision: m.to,
    warnings,
  });
  const endedAt = now();
  const exitCode = verdict === 'succeeded' ? EXIT.OK : verdict === 'timed-out' ? EXIT.DEPLOY_TIMED_OUT : EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
  return {
    ...base,
    ok: verdict === 'succeeded',
    verdict: verdict === 'in-progress' ? 'timed-out' : verdict,
    exitCode,
    deploymentId: arn,
    reasons: [
      `the ${(m.deployment.deploymentConfiguration?.strategy ?? '').toLowerCase().replace('_', '-')} release ${arn} was moving (${m.deployment.lifecycleStage ?? m.deployment.status}); berth stopped it with StopServiceDeployment ROLLBACK`,
      ...(verdict === 'succeeded' ? [] : [`ECS: ${last?.status ?? 'no answer'}${last?.statusReason ? ` — ${last.statusReason}` : ''}`]),
    ],
    release: {
      strategy: m.deployment.deploymentConfiguration?.strategy ?? '',
      deploymentArn: arn,
      status: last?.status,
      stage: last?.lifecycleStage,
      production: currentSplit(res.timeline),
      stages: stagesOf(res.timeline),
      plannedSteps: [],
      targetGroups: { old: '', new: '' },
      signals: [],
      rollback: {
        by: 'berth',
        requestedAt: new Date(startedAt).toISOString(),
        ...(backAt !== undefined
          ? { trafficBackAt: new Date(backAt).toISOString(), trafficBackAfterRequestSeconds: Math.round((backAt - startedAt) / 100) / 10 }
          : {}),
        status: last?.status,
        verdict: verdict === 'in-progress' ? 'timed-out' : verdict,
      },
    },
    durations: {
      ...base.durations,
      verdictAfterSeconds: Math.round((endedAt - startedAt) / 1000),
      totalSeconds: Math.round((endedAt - startedAt) / 1000),
    },
  };
}
