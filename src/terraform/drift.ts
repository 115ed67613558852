/**
 * `berth drift`: has anything changed outside terraform? A refresh-only plan of every applied stack
 * (`terraform plan -refresh-only`, read back with `terraform show -json`), independent stacks in
 * parallel. Nothing is applied and no saved plan of `berth plan` is touched: the refresh-only plan
 * goes to its own file, removed once read. Exit 0 nothing drifted, 30 drift found, 1 an error
 * (4 only a held state lock).
 */
import { rmSync } from 'node:fs';
import type { EnvironmentConfig } from '../config/types.js';
import { EXIT } from '../output/exit-codes.js';
import { ownedDriftOfStack } from './drift-owned.js';
import { translateFailure } from './errors.js';
import { walkGraph } from './graph.js';
import {
  context,
  currentState,
  ensureInit,
  showPlan,
  tf,
  toStackError,
  type Ctx,
  type RunSettings,
  type StackError,
} from './orchestrate.js';
import type { ResourceDetail } from './plan-detail.js';
import { diagnosticsText, parseMessages } from './plan-summary.js';
import { StackProgress } from './progress.js';
import type { StackWork } from './workspace.js';

export interface StackDrift {
  stack: string;
  /** checked: refreshed and compared; not-applied: no state yet, nothing to compare; failed: see error. */
  status: 'checked' | 'not-applied' | 'failed';
  /** What changed outside terraform, attribute by attribute (values masked). */
  drift: ResourceDetail[];
  error?: StackError;
  durationMs: number;
}

export interface DriftResult {
  environment: string;
  exitCode: number;
  drifted: boolean;
  /** Resources that drifted, all stacks. */
  resources: number;
  stacks: StackDrift[];
  durationMs: number;
}

const driftPlanFile = (stack: StackWork) => stack.planFile.replace(/\.tfplan$/, '.drift.tfplan');

async function driftOfStack(ctx: Ctx, stack: StackWork): Promise<StackDrift> {
  const started = Date.now();
  const state = await currentState(ctx, stack);
  if (!state.managed) return { stack: stack.name, status: 'not-applied', drift: [], durationMs: Date.now() - started };
  await ensureInit(ctx, stack);
  const file = driftPlanFile(stack);
  try {
    const args = ['plan', '-refresh-only', '-json', '-input=false', '-no-color', '-detailed-exitcode'];
    const r = await tf(ctx, stack, [...args, `-lock-timeout=${ctx.s.lockTimeout}`, `-out=${file}`], ctx.s.limits.plan, true);
    if (r.code !== 0 && r.code !== 2) {
      const stderr = `${diagnosticsText(parseMessages(r.lines))}\n${r.stderr}`;
      throw translateFailure(stack.name, 'plan -refresh-only', { code: r.code, stdout: '', stderr });
    }
    // Changes to attributes the stack hands to berth/ECS (ignore_changes) are not drift (drift-owned.ts).
    const drift = r.code === 2 ? ownedDriftOfStack((await showPlan(ctx, stack, file)).drift, stack.file) : [];
    return { stack: stack.name, status: 'checked', drift, durationMs: Date.now() - started };
  } finally {
    rmSync(file, { force: true });
  }
}

export function exitCodeForDrift(stacks: readonly StackDrift[]): number {
  const failed = stacks.filter((s) => s.status === 'failed');
  if (failed.length) return failed.every((s) => s.error?.exitCode === EXIT.STATE_LOCKED) ? EXIT.STATE_LOCKED : EXIT.FAILED;
  return stacks.some((s) => s.drift.length) ? EXIT.DRIFT_FOUND : EXIT.OK;
}

export async function driftEnvironment(env: EnvironmentConfig, opts: RunSettings = {}): Promise<DriftResult> {
  const started = Date.now();
  const ctx = await context(env, opts);
  const progress = new StackProgress(ctx.s.reporter, 'checking drift');
  const nodes = ctx.ws.stacks.map((s) => ({ name: s.name, dependencies: [] }));
  const results = await walkGraph<StackDrift>(nodes, {
    concurrency: ctx.s.parallelism,
    ok: () => true,
    blocked: (name) => ({ stack: name, status: 'failed', drift: [], durationMs: 0 }),
    run: async (name) => {
      const stack = ctx.ws.stacks.find((s) => s.name === name)!;
      const line = await progress.start(name, `${name}: refreshing`);
      try {
        const d = await driftOfStack(ctx, stack);
        const changed = d.drift.length ? `${d.drift.length} resource(s) changed outside terraform` : 'no drift';
        const what = d.status === 'not-applied' ? 'not applied yet' : changed;
        if (d.drift.length) line.warn(`${name}: ${what}`);
        else line.succeed(`${name}: ${what}`);
        return d;
      } catch (e) {
        line.fail(`${name}: drift check failed`);
        return { stack: name, status: 'failed', drift: [], error: toStackError(e), durationMs: 0 };
      }
    },
  });
  await progress.flush();
  const stacks = ctx.ws.stacks.map((s) => results.get(s.name)!).filter(Boolean);
  const resources = stacks.reduce((n, s) => n + s.drift.length, 0);
  const exitCode = exitCodeForDrift(stacks);
  return { environment: env.name, exitCode, drifted: resources > 0, resources, stacks, durationMs: Date.now() - started };
}
