/**
 * `berth revisions`: the service's task-definition revisions with what berth knows of each, and
 * which of them `--prune` would remove (revisions/select.ts); with --prune (confirmed), removes them.
 */
import { FLAG_DEFAULTS } from '../cli-args/defaults.js';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Op } from '../rollout/op-types.js';
import { shortTd } from '../ecs/ids.js';
import { gatherRevisions } from './gather.js';
import { prune, type PruneOutcome } from './prune.js';
import { planRevisions, type RevisionPlan } from './select.js';

export const DEFAULT_KEEP = FLAG_DEFAULTS.revisionsKeep;
export const DEFAULT_KEEP_DAYS = FLAG_DEFAULTS.revisionsKeepDays;

export interface RevisionsOptions {
  keep: number;
  keepDays: number;
  prune: boolean;
  delete: boolean;
  yes: boolean;
  canPrompt: boolean;
  confirm?: (q: string) => Promise<boolean>;
  now?: number;
}

export interface RevisionsResult {
  ok: boolean;
  command: 'revisions';
  service: string;
  family: string;
  current: string;
  rollbackTarget?: string;
  keep: number;
  keepDays: number;
  revisions: RevisionPlan[];
  pruned: PruneOutcome | null;
  truncated: boolean;
  exitCode: number;
}

/** --keep and --keep-days: whole numbers, checked before any AWS call. */
export function retentionFlags(keep: string | undefined, keepDays: string | undefined): { keep: number; keepDays: number } {
  const k = keep ?? String(DEFAULT_KEEP);
  const d = keepDays ?? String(DEFAULT_KEEP_DAYS);
  if (!/^\d+$/.test(k) || Number(k) < 1 || Number(k) > 1000)
    throw new UsageError(`--keep "${k}": expected a whole number from 1 to 1000 (revisions kept besides the protected ones).`, {
      code: ERROR_CODES.flagRange,
    });
  if (!/^\d+$/.test(d) || Number(d) > 3650)
    throw new UsageError(`--keep-days "${d}": expected a whole number of days from 0 to 3650.`, { code: ERROR_CODES.flagRange });
  return { keep: Number(k), keepDays: Number(d) };
}

export async function revisions(op: Op, o: RevisionsOptions): Promise<RevisionsResult> {
  const g = await gatherRevisions(op, o.delete);
  const plan = planRevisions({
    revisions: g.revisions,
    running: g.running,
    rollbackTarget: g.rollbackTarget,
    keep: o.keep,
    keepDays: o.keepDays,
    now: o.now ?? Date.now(),
    delete: o.delete,
  });
  const result: RevisionsResult = {
    ok: true,
    command: 'revisions',
    service: op.svc.name,
    family: g.family,
    current: g.current,
    rollbackTarget: g.rollbackTarget,
    keep: o.keep,
    keepDays: o.keepDays,
    revisions: plan,
    pruned: null,
    truncated: g.truncated,
    exitCode: EXIT.OK,
  };
  const todo = plan.filter((p) => p.action !== 'keep');
  if (!o.prune || !todo.length) return result;
  const what = `${todo.length} revision${todo.length === 1 ? '' : 's'} of ${g.family} (${todo.map((p) => p.revision).join(', ')})`;
  if (!o.yes) {
    if (!o.canPrompt || !o.confirm)
      throw new UsageError(
        `--prune would ${o.delete ? 'delete' : 'deregister'} ${what}; without a terminal to confirm, pass --yes. Nothing was changed.`,
        { code: ERROR_CODES.notConfirmed, details: { revisions: todo.map((p) => p.arn) } },
      );
    op.reporter.print(renderRevisions(result));
    if (!(await o.confirm(`${o.delete ? 'Deregister and delete' : 'Deregister'} ${what}?`)))
      throw new UsageError('not confirmed; nothing was changed.', { code: ERROR_CODES.notConfirmed });
  }
  result.pruned = await prune(op.ctx, plan);
  result.ok = result.pruned.failed.length === 0;
  result.exitCode = result.ok ? EXIT.OK : EXIT.FAILED;
  return result;
}

export function renderRevisions(r: RevisionsResult): string {
  const lines = [
    `${r.family}: ${r.revisions.length} revision${r.revisions.length === 1 ? '' : 's'}; keeping the ${r.keep} newest releases ` +
      `and anything seen in the last ${r.keepDays} days`,
  ];
  for (const p of r.revisions) {
    const marks = [
      p.status === 'INACTIVE' ? 'inactive' : '',
      p.oneOff ? 'one-off' : '',
      p.healthyAt ? `healthy-at ${p.healthyAt}` : '',
      p.failedAt ? `failed-at ${p.failedAt}` : '',
      p.registeredAt ? `registered ${p.registeredAt.slice(0, 10)}` : '',
    ].filter(Boolean);
    const verdict =
      p.action === 'keep' ? `keep${p.reasons.length ? ` (${p.reasons.join(', ')})` : ''}` : r.pruned ? `${p.action}d` : `would ${p.action}`;
    lines.push(`  ${shortTd(p.arn).padEnd(28)} ${verdict.padEnd(34)} ${p.image ?? ''}${marks.length ? `  [${marks.join('; ')}]` : ''}`);
  }
  if (r.pruned) {
    lines.push(`deregistered ${r.pruned.deregistered.length}, deleted ${r.pruned.deleted.length}, failed ${r.pruned.failed.length}`);
    for (const f of r.pruned.failed) lines.push(`  FAILED ${shortTd(f.arn)}: ${f.error}`);
  } else if (r.revisions.some((p) => p.action !== 'keep'))
    lines.push('nothing changed: pass --prune to remove the revisions marked "would ..."');
  if (r.truncated) lines.push('warning: only the newest 500 revisions were read; run again after pruning for the rest');
  return lines.join('\n');
}
