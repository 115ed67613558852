/**
 * apply on an adopted environment (a platform berth did not build: src/config/adoption.ts) refuses
 * any plan that destroys or replaces something unless --allow-destroy: taking over a running
 * platform must never delete a part of it by surprise. Exit 65, nothing applied. Pure.
 */
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { PlanSummary } from './plan-summary.js';

/** What a stack's plan destroys or replaces, as `<stack>: <address> (replaced|destroyed)`. */
export function destructiveChanges(stacks: { stack: string; summary?: PlanSummary }[]): string[] {
  return stacks.flatMap((s) => [
    ...(s.summary?.replaced ?? []).map((a) => `${s.stack}: ${a} (replaced)`),
    ...(s.summary?.destroyed ?? []).map((a) => `${s.stack}: ${a} (destroyed)`),
  ]);
}

export class DestructivePlanError extends BerthError {
  constructor(env: string, changes: string[]) {
    super(
      `the plan of ${env} (an adopted platform) destroys or replaces ${changes.length} resource${changes.length === 1 ? '' : 's'}; nothing was applied:\n  ${changes.join('\n  ')}`,
      {
        exitCode: EXIT.ADOPT_DESTRUCTIVE_PLAN,
        code: 'adopt.destructive-plan',
        hint: `Review them in \`berth plan --env ${env}\`; apply with --allow-destroy only if losing them is intended.`,
        details: { changes },
      },
    );
    this.name = 'DestructivePlanError';
  }
}

/** Throw when the guard is on and anything would be destroyed or replaced. */
export function refuseDestructive(env: string, guarded: boolean, allow: boolean, stacks: { stack: string; summary?: PlanSummary }[]): void {
  if (!guarded || allow) return;
  const changes = destructiveChanges(stacks);
  if (changes.length) throw new DestructivePlanError(env, changes);
}
