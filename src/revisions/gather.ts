/**
 * What berth knows of a service's task-definition revisions: every revision of its family (ACTIVE,
 * and INACTIVE ones too when they may be deleted), with tags; which ones run (the service's
 * deployments and every running task of the family, one-off tasks included); and the revision
 * `berth rollback` would choose now.
 */
import { ecs } from '../aws/clients.js';
import { describeService } from '../rollout/fetch.js';
import { ecsHistory } from '../rollout/choose-target.js';
import { describeTd } from '../rollout/operate.js';
import type { Op } from '../rollout/op-types.js';
import { selectRollbackTarget } from '../rollout/rollback-target.js';
import { imageOf } from '../rollout/taskdef.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import type { RevisionFacts } from './select.js';

/** At most this many revisions are read per run (newest first); the rest wait for the next run. */
export const MAX_REVISIONS = 500;

export interface Gathered {
  family: string;
  current: string;
  revisions: RevisionFacts[];
  running: string[];
  rollbackTarget?: string;
  truncated: boolean;
}

async function listFamily(op: Op, family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
  const { ListTaskDefinitionsCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(op.ctx);
  const out: string[] = [];
  let nextToken: string | undefined;
  do {
    const r = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', maxResults: 100, nextToken }));
    out.push(...(r.taskDefinitionArns ?? []).filter((a) => shortTd(a).replace(/:\d+$/, '') === family));
    nextToken = r.nextToken;
  } while (nextToken && out.length < MAX_REVISIONS);
  return out;
}

async function runningTaskDefinitions(op: Op, family: string): Promise<string[]> {
  const { ListTasksCommand, DescribeTasksCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(op.ctx);
  const arns =
    (await client.send(new ListTasksCommand({ cluster: op.loc.cluster, family, desiredStatus: 'RUNNING', maxResults: 100 }))).taskArns ??
    [];
  if (!arns.length) return [];
  const r = await client.send(new DescribeTasksCommand({ cluster: op.loc.cluster, tasks: arns }));
  return (r.tasks ?? []).map((t) => t.taskDefinitionArn).filter((x): x is string => Boolean(x));
}

export async function gatherRevisions(op: Op, withInactive: boolean): Promise<Gathered> {
  const svc = await describeService(op.ctx, op.loc);
  const current = svc.taskDefinition ?? '';
  const family = shortTd(current).replace(/:\d+$/, '');
  const [active, inactive, tasks, history] = await Promise.all([
    listFamily(op, family, 'ACTIVE'),
    withInactive ? listFamily(op, family, 'INACTIVE') : Promise.resolve([]),
    runningTaskDefinitions(op, family),
    ecsHistory(op),
  ]);
  const arns = [...active, ...inactive].sort((a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0));
  const revisions: RevisionFacts[] = [];
  for (let i = 0; i < Math.min(arns.length, MAX_REVISIONS); i += 5) {
    revisions.push(...(await Promise.all(arns.slice(i, i + 5).map((arn) => facts(op, arn)))));
  }
  const running = [...new Set([current, ...(svc.deployments ?? []).map((d) => d.taskDefinition ?? ''), ...tasks].filter(Boolean))];
  let rollbackTarget: string | undefined;
  try {
    rollbackTarget = selectRollbackTarget({
      current,
      deployments: svc.deployments ?? [],
      history,
      revisions: revisions.map((r) => ({ ...r, revision: revisionOf(r.arn) })),
    }).arn;
  } catch {
    rollbackTarget = undefined;
  }
  return { family, current, revisions, running, rollbackTarget, truncated: arns.length > MAX_REVISIONS };
}

async function facts(op: Op, arn: string): Promise<RevisionFacts> {
  const d = await describeTd(op.ctx, arn);
  const td = d.taskDefinition as { status?: string; registeredAt?: Date };
  return {
    arn: d.taskDefinition.taskDefinitionArn ?? arn,
    status: td.status,
    registeredAt: td.registeredAt,
    tags: d.tags,
    image: imageOf(d.taskDefinition, op.loc.container),
  };
}
