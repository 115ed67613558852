/**
 * Apply an environment nobody reviews (the sandbox, applied from nothing) the short way: each stack
 * gets ONE `terraform apply -auto-approve` (plan and apply in the same run, the provider started
 * once per stack instead of once for a plan and again for its apply), started as soon as the stacks
 * it reads are applied. No plan is made before its dependencies exist, so none is thrown away, and
 * none is saved. Independent stacks run in parallel (RunSettings.parallelism); a failed stack blocks
 * the stacks that read it, the others finish. `berth apply` keeps the reviewed plan-then-apply flow
 * of orchestrate.ts; this is for `berth sandbox up` only.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { EXIT } from '../output/exit-codes.js';
import { translateFailure } from './errors.js';
import { walkGraph } from './graph.js';
import {
  applyExit,
  clearSavedPlans,
  context,
  ensureInit,
  tf,
  toStackError,
  type ApplyResult,
  type Ctx,
  type RunSettings,
  type StackApply,
} from './orchestrate.js';
import { countsLine, diagnosticsText, parseMessages, summarizePlan } from './plan-summary.js';
import { StackProgress } from './progress.js';
import type { StackWork } from './workspace.js';

async function applyStack(ctx: Ctx, stack: StackWork, progress: StackProgress): Promise<StackApply> {
  const base = { stack: stack.name, kind: stack.kind };
  const t0 = Date.now();
  if (ctx.s.signal?.aborted) return { ...base, status: 'failed', error: { message: 'cancelled', exitCode: EXIT.FAILED }, durationMs: 0 };
  const line = await progress.start(stack.name, `${stack.name}: applying`);
  try {
    await ensureInit(ctx, stack);
    const args = ['apply', '-auto-approve', '-json', '-input=false', '-no-color', `-lock-timeout=${ctx.s.lockTimeout}`];
    const r = await tf(ctx, stack, args, ctx.s.limits.apply, true);
    const messages = parseMessages(r.lines);
    if (r.code !== 0)
      throw translateFailure(stack.name, 'apply', { code: r.code, stdout: '', stderr: `${diagnosticsText(messages)}\n${r.stderr}` });
    const summary = summarizePlan(messages);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (!summary.hasChanges) {
      line.succeed(`${stack.name}: no changes`);
      return { ...base, status: 'unchanged', summary, durationMs: Date.now() - t0 };
    }
    line.succeed(`${stack.name}: applied (${countsLine(summary)}) in ${secs} s`);
    return { ...base, status: 'applied', summary, durationMs: Date.now() - t0 };
  } catch (e) {
    line.fail(`${stack.name}: failed`);
    return { ...base, status: 'failed', error: toStackError(e), durationMs: Date.now() - t0 };
  }
}

/** Every stack planned and applied in one run each, in dependency order (see the file comment). */
export async function applyDirect(env: EnvironmentConfig, opts: RunSettings = {}): Promise<ApplyResult> {
  const started = Date.now();
  const ctx = await context(env, opts);
  clearSavedPlans(env.name, ctx.project);
  const byName = new Map(ctx.ws.stacks.map((x) => [x.name, x]));
  const progress = new StackProgress(ctx.s.reporter, 'applying');
  const res = await walkGraph<StackApply>(ctx.ws.stacks, {
    concurrency: ctx.s.parallelism,
    ok: (r) => r.status === 'applied' || r.status === 'unchanged',
    blocked: (name, by) => ({ stack: name, kind: byName.get(name)!.kind, status: 'blocked', blockedBy: by, durationMs: 0 }),
    run: (name) => applyStack(ctx, byName.get(name)!, progress),
  });
  await progress.flush();
  const stacks = ctx.ws.stacks.map((x) => res.get(x.name)).filter((x): x is StackApply => Boolean(x));
  // A stack not applied because one it reads failed is a failure of the whole apply, not a pending approval.
  const exit = applyExit(stacks);
  const exitCode = exit === EXIT.NOT_CONFIRMED ? EXIT.FAILED : exit;
  return { environment: env.name, ok: exitCode === EXIT.OK, exitCode, stacks, durationMs: Date.now() - started };
}
