/**
 * Carrying out a revision plan: DeregisterTaskDefinition for each revision to prune (ACTIVE ->
 * INACTIVE), then, with --delete, DeleteTaskDefinitions in batches of 10 (ECS's limit; only
 * INACTIVE revisions can be deleted). Every failure is recorded per revision; nothing stops at the
 * first one.
 */
import { ecs } from '../aws/clients.js';
import type { AwsContext } from '../aws/context.js';
import type { RevisionPlan } from './select.js';

export interface PruneOutcome {
  deregistered: string[];
  deleted: string[];
  failed: { arn: string; error: string }[];
}

export async function prune(ctx: AwsContext, plan: RevisionPlan[]): Promise<PruneOutcome> {
  const { DeregisterTaskDefinitionCommand, DeleteTaskDefinitionsCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  const out: PruneOutcome = { deregistered: [], deleted: [], failed: [] };
  const todo = plan.filter((p) => p.action !== 'keep');
  for (const p of todo.filter((x) => x.status !== 'INACTIVE')) {
    try {
      await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: p.arn }));
      out.deregistered.push(p.arn);
    } catch (e) {
      out.failed.push({ arn: p.arn, error: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  const failedArns = new Set(out.failed.map((f) => f.arn));
  const toDelete = todo.filter((p) => p.action === 'delete' && !failedArns.has(p.arn)).map((p) => p.arn);
  for (let i = 0; i < toDelete.length; i += 10) {
    const batch = toDelete.slice(i, i + 10);
    try {
      const r = await client.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }));
      for (const f of r.failures ?? [])
        out.failed.push({ arn: f.arn ?? '?', error: `${f.reason ?? 'failed'}${f.detail ? `: ${f.detail}` : ''}` });
      const bad = new Set((r.failures ?? []).map((f) => f.arn));
      out.deleted.push(...batch.filter((a) => !bad.has(a)));
    } catch (e) {
      for (const a of batch) out.failed.push({ arn: a, error: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  return out;
}
