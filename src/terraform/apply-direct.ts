/**
 * Apply an environment nobody reviews (the sandbox, applied from nothing) the short way: each stack
 * gets ONE `terraform apply -auto-approve` (plan and apply in the same run, the provider started
 * once per stack instead of once for a plan and again for its apply), started as soon as the stacks
 * it reads are applied: a graph, no stages (a stack never waits for one it does not read). No plan
 * is made before its dependencies exist, so none is thrown away, and none is saved. Independent
 * stacks run in parallel (RunSettings.parallelism); a failed stack blocks the stacks that read it,
 * the others finish. `berth apply` keeps the reviewed plan-then-apply flow of orchestrate.ts; this
 * is for `berth sandbox up` only.
 *
 * Waiting removed on top of that (sandbox only; what berth does against AWS is unchanged):
 *  - every stack's `terraform init` runs while the emulator starts (`endpoint` still pending), for
 *    stacks with a local backend (an S3 backend's init needs the emulator, so it waits for it);
 *  - a stack whose part that reads no other stack holds a resource the provider waits on after
 *    creating it (src/terraform/early-apply.ts) gets that part applied early, with `-target`, while
 *    the stacks it reads are still applying; its own apply then finds those in its state;
 *  - `onApplied` is told of each stack as it is applied, so the caller can go on with what needs
 *    only that stack (the sandbox seeds images after the registry, watches services after service).
 */
import type { LocalEndpoint } from '../aws/context.js';
import type { EnvironmentConfig } from '../config/types.js';
import { EXIT } from '../output/exit-codes.js';
import { terraformAwsEnv } from './aws-env.js';
import { earlyTargets, managedResources, RUN_SECONDS, waitSeconds } from './early-apply.js';
import { translateFailure } from './errors.js';
import { criticalPath, walkGraph, type GraphNode } from './graph.js';
import {
  exitCodeForApply,
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
import { readFileSync } from 'node:fs';

export interface DirectOptions extends RunSettings {
  /**
   * The endpoint terraform is to use, once it answers (the sandbox's emulator, still starting):
   * synth and the inits that need no endpoint go on meanwhile. Default: `local`, at once.
   */
  endpoint?: Promise<LocalEndpoint | undefined>;
  /** Each stack as soon as it is applied (not called for failed or blocked ones). */
  onApplied?: (stack: StackApply) => void;
}

/** What the walk does to a stack; terraform in applyDirect, a fake in tests. */
export interface DirectSteps {
  init(stack: string): Promise<void>;
  /** Apply the stack; `targets`: only those resources (its early part); `background`: off the critical path. */
  apply(stack: string, targets: string[] | undefined, background: boolean): Promise<StackApply>;
}

export interface DirectPlan {
  stacks: readonly GraphNode[];
  /** Per stack, its early part (none: absent or empty). */
  early: ReadonlyMap<string, string[]>;
  /** Stacks whose init may run before `ready` (no endpoint needed). */
  initEarly: ReadonlySet<string>;
  concurrency: number;
  /** Resolves when applies may start (the endpoint answers). */
  ready: Promise<unknown>;
  onApplied?: (stack: StackApply) => void;
  /** What a node costs (s; early parts are `early:<stack>`): nodes off the longest path run in the background. */
  cost?: (node: string) => number;
}

/**
 * Runs off the critical path yield the CPU to the ones on it (2 cores shared by up to 5 terraform
 * runs at the start). Not more: under a busy machine (CI) a run at nice 10 could starve past the
 * slack it has and hold up the stack waiting for it.
 */
const BACKGROUND_NICE = 5;
const EARLY = 'early:'; // a prefix no stack name can carry (cdktf names are [A-Za-z0-9-_])
const applied = (r: StackApply) => r.status === 'applied' || r.status === 'unchanged';

/** A gate letting at most `n` tasks run at once, in the order they ask. */
function gate(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await task();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

/** Every stack's init, in the walk's order, as many at once as stacks may apply at once. */
function startInits(p: DirectPlan, steps: DirectSteps): Map<string, Promise<void>> {
  const inits = new Map<string, Promise<void>>();
  const run = gate(p.concurrency);
  for (const s of p.stacks) {
    const go = p.initEarly.has(s.name) ? run(() => steps.init(s.name)) : p.ready.then(() => run(() => steps.init(s.name)));
    go.catch(() => undefined); // reported by the stack that awaits it
    inits.set(s.name, go);
  }
  return inits;
}

/** The graph walked: each stack with an early part gets an `early:<stack>` node it waits for. */
function nodes(p: DirectPlan): GraphNode[] {
  const out: GraphNode[] = [];
  const early: GraphNode[] = [];
  for (const s of p.stacks) {
    const part = p.early.get(s.name);
    if (part?.length) early.push({ name: EARLY + s.name, dependencies: [] });
    out.push({ name: s.name, dependencies: [...s.dependencies, ...(part?.length ? [EARLY + s.name] : [])] });
  }
  // Early parts start after the stacks that read nothing (they hold the critical path's first links).
  return [...out, ...early];
}

/**
 * Walk the stacks: inits at once, each apply once `ready` and its own dependencies (and early part)
 * are applied. Returns every stack's result (early parts folded into their stack's on failure).
 */
export async function walkDirect(p: DirectPlan, steps: DirectSteps): Promise<Map<string, StackApply>> {
  const inits = startInits(p, steps);
  const graph = nodes(p);
  const critical = p.cost ? criticalPath(graph, p.cost) : new Set(graph.map((n) => n.name));
  const res = await walkGraph<StackApply>(graph, {
    concurrency: p.concurrency,
    ok: applied,
    blocked: (name, by) => ({ stack: name, status: 'blocked', blockedBy: by, durationMs: 0 }),
    run: async (name) => {
      const stack = name.startsWith(EARLY) ? name.slice(EARLY.length) : name;
      const t0 = Date.now();
      try {
        await inits.get(stack);
        await p.ready;
      } catch (e) {
        return { stack, status: 'failed', error: toStackError(e), durationMs: Date.now() - t0 };
      }
      const r = await steps.apply(stack, name === stack ? undefined : p.early.get(stack), !critical.has(name));
      if (name === stack && applied(r)) p.onApplied?.(r);
      return r;
    },
  });
  const out = new Map<string, StackApply>();
  for (const s of p.stacks) {
    const r = res.get(s.name)!;
    const early = res.get(EARLY + s.name);
    // A failed early part is the stack's failure, not a dependency the user never heard of.
    out.set(s.name, early && !applied(early) ? { ...early, stack: s.name } : r);
  }
  return out;
}

async function applyStack(
  ctx: Ctx,
  stack: StackWork,
  progress: StackProgress,
  targets: string[] | undefined,
  background: boolean,
): Promise<StackApply> {
  const base = { stack: stack.name, kind: stack.kind };
  const t0 = Date.now();
  if (ctx.s.signal?.aborted) return { ...base, status: 'failed', error: { message: 'cancelled', exitCode: EXIT.FAILED }, durationMs: 0 };
  const what = targets ? `${stack.name} (its part that reads no other stack)` : stack.name;
  const line = await progress.start(targets ? `${stack.name}#early` : stack.name, `${what}: applying`);
  try {
    const args = ['apply', '-auto-approve', '-json', '-input=false', '-no-color', `-lock-timeout=${ctx.s.lockTimeout}`];
    for (const t of targets ?? []) args.push(`-target=${t}`);
    const r = await tf(ctx, stack, args, ctx.s.limits.apply, true, background ? BACKGROUND_NICE : 0);
    const messages = parseMessages(r.lines);
    if (r.code !== 0)
      throw translateFailure(stack.name, 'apply', { code: r.code, stdout: '', stderr: `${diagnosticsText(messages)}\n${r.stderr}` });
    const summary = summarizePlan(messages);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (!summary.hasChanges) {
      line.succeed(`${what}: no changes`);
      return { ...base, status: 'unchanged', summary, durationMs: Date.now() - t0 };
    }
    line.succeed(`${what}: applied (${countsLine(summary)}) in ${secs} s`);
    return { ...base, status: 'applied', summary, durationMs: Date.now() - t0 };
  } catch (e) {
    line.fail(`${what}: failed`);
    return { ...base, status: 'failed', error: toStackError(e), durationMs: Date.now() - t0 };
  }
}

/** Every stack planned and applied in one run each (plus early parts), in dependency order (see the file comment). */
export async function applyDirect(env: EnvironmentConfig, opts: DirectOptions = {}): Promise<ApplyResult> {
  const started = Date.now();
  const ctx = await context(env, opts, { awsEnv: !opts.endpoint });
  clearSavedPlans(env.name, ctx.project);
  const byName = new Map(ctx.ws.stacks.map((x) => [x.name, x]));
  const progress = new StackProgress(ctx.s.reporter, 'applying');
  const ready = (async () => {
    if (!opts.endpoint) return;
    ctx.tfEnv = terraformAwsEnv(env, await opts.endpoint);
  })();
  ready.catch(() => undefined);
  const early = new Map<string, string[]>();
  const cost = new Map<string, number>();
  for (const s of ctx.ws.stacks) {
    const tfJson = JSON.parse(readFileSync(s.file, 'utf8')) as Parameters<typeof managedResources>[0];
    const part = earlyTargets(tfJson, s.dependencies);
    early.set(s.name, part);
    cost.set(EARLY + s.name, RUN_SECONDS + waitSeconds(part));
    cost.set(s.name, RUN_SECONDS + waitSeconds(managedResources(tfJson).filter((a) => !part.includes(a))));
  }
  const res = await walkDirect(
    {
      stacks: ctx.ws.stacks,
      early,
      initEarly: new Set(ctx.ws.stacks.filter((s) => s.backend.type === 'local').map((s) => s.name)),
      concurrency: ctx.s.parallelism,
      ready,
      onApplied: opts.onApplied,
      cost: (node) => cost.get(node) ?? RUN_SECONDS,
    },
    {
      init: (name) => ensureInit(ctx, byName.get(name)!),
      apply: (name, targets, background) => applyStack(ctx, byName.get(name)!, progress, targets, background),
    },
  );
  await progress.flush();
  const stacks = ctx.ws.stacks.map((x) => ({ ...res.get(x.name)!, kind: x.kind }));
  // A stack not applied because one it reads failed is a failure of the whole apply, not a pending approval.
  const exit = exitCodeForApply(stacks);
  const exitCode = exit === EXIT.NOT_CONFIRMED ? EXIT.FAILED : exit;
  return { environment: env.name, ok: exitCode === EXIT.OK, exitCode, stacks, durationMs: Date.now() - started };
}
