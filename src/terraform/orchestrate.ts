/**
 * Plan, apply, destroy and read outputs of every stack of an environment, in dependency order,
 * independent stacks in parallel (bounded, default 4).
 *
 * The stack graph comes from the synth manifest (`dependencies`, i.e. cross-stack references read
 * through `terraform_remote_state`). A stack cannot be planned truthfully while a stack it reads
 * has pending changes to the outputs it reads: on a new environment the dependency's state does
 * not even exist yet, and terraform fails with "Unable to find remote state". berth does not guess:
 *
 *  - `planEnvironment` plans every stack (all at once up to the parallelism, not level by level:
 *    a stack's plan reads its dependencies' current state) and keeps a stack's plan only when the
 *    plans of the stacks it reads do not change the outputs it reads. The others are reported as
 *    `waiting` on those stacks (`waitsOn`) and their plans dropped; the result counts as "changes".
 *  - `applyEnvironment` applies the saved plans in order and plans each waiting stack as soon as
 *    the stacks it waits on are applied. A plan berth makes during apply needs approval like any
 *    other: `autoApprove` (--yes), or a y at the prompt between rounds; without either it is saved
 *    and reported as `pending` (run `berth apply` again to apply exactly that plan).
 *
 * Saved plans live under .berth/work/<env>/ with plans.json recording, per stack, the hash of the
 * cdk.tf.json the plan was made from and the state's serial and lineage. Apply re-synthesizes and
 * refuses (exit 5, nothing applied) when any of these changed. Every terraform run gets
 * terraformAwsEnv(env), its own TF_DATA_DIR, `-lock-timeout` (default 0s: a held lock fails at once
 * with who holds it) and a hard time limit.
 */
import { FLAG_DEFAULTS } from '../cli-args/defaults.js';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, projectDir } from '../config/paths.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError, isBerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { redact, redactValue } from '../output/redact.js';
import type { Reporter } from '../output/reporter.js';
import type { LocalEndpoint } from '../aws/context.js';
import { terraformAwsEnv } from './aws-env.js';
import { isAdopted } from '../config/adoption.js';
import { destructiveChanges, DestructivePlanError, refuseDestructive } from './destroy-guard.js';
import { ensureCliConfig } from './cli-config.js';
import { StalePlanError, StateLockedError, translateFailure, type StaleStack } from './errors.js';
import { dependencyOrder, walkGraph } from './graph.js';
import { readLocalOutputs, readLocalState } from './local-state.js';
import { NO_STATE, planStateMeta, stateMeta, type StateMeta } from './plan-file.js';
import { planDetail, type PlanDetail, type ShowJson } from './plan-detail.js';
import {
  countsLine,
  diagnosticsText,
  parseMessages,
  planWarnings,
  summarizePlan,
  type PlanSummary,
  type PlanWarning,
} from './plan-summary.js';
import { runTerraform, type RunResult } from './process.js';
import { StackProgress } from './progress.js';
import { isYes, type Ask } from './prompt.js';
import { findTerraform } from './tool.js';
import {
  configHash,
  defaultSynth,
  initArgs,
  markInitialised,
  needsInit,
  readWorkspace,
  type StackWork,
  type SynthFn,
  type Workspace,
} from './workspace.js';

export const DEFAULT_PARALLELISM = FLAG_DEFAULTS.parallelism;
export const DEFAULT_LOCK_TIMEOUT = FLAG_DEFAULTS.lockTimeout;
/** Hard limits per terraform command (ms). Aurora and ElastiCache take 10-20 minutes on AWS. */
export const DEFAULT_TIMEOUTS = { init: 5 * 60_000, plan: 15 * 60_000, apply: 90 * 60_000, destroy: 90 * 60_000, read: 3 * 60_000 };

export interface RunSettings {
  /** Stacks at once (default 4). */
  parallelism?: number;
  /** terraform `-lock-timeout` (default "0s"). */
  lockTimeout?: string;
  /** Hard limits per terraform command, ms. */
  timeouts?: Partial<typeof DEFAULT_TIMEOUTS>;
  /** Progress lines (one per stack); none without. */
  reporter?: Reporter;
  /** The synth to use (default: stacks/synth.js, loaded lazily). */
  synth?: SynthFn;
  /** The project folder (default: projectDir()). */
  project?: string;
  /** Abort: running terraform gets SIGINT (it stops cleanly and writes its state); nothing new starts. */
  signal?: AbortSignal;
  /** Every line terraform prints (debugging). */
  onLine?: (stack: string, line: string) => void;
  /** plan: read each plan with changes or drift back (`terraform show -json`) for the attribute-level detail. */
  detail?: boolean;
  /** The sandbox's endpoint, for an environment that runs on it (the sandbox hands it in: src/sandbox/context.ts). */
  local?: LocalEndpoint;
}

export type StackPlanStatus = 'planned' | 'waiting' | 'failed' | 'blocked';

export interface StackError {
  message: string;
  hint?: string;
  exitCode: number;
}

export interface StackPlan {
  stack: string;
  kind?: string;
  dependencies: string[];
  status: StackPlanStatus;
  /** planned: terraform reported changes (-detailed-exitcode 2). */
  changes?: boolean;
  summary?: PlanSummary;
  /** planned, with RunSettings.detail: each change attribute by attribute, and what drifted (values masked). */
  detail?: PlanDetail;
  /** terraform's warnings for this stack. */
  warnings?: PlanWarning[];
  /** waiting: the dependencies whose outputs this stack reads will change; planned after they are applied. */
  waitsOn?: string[];
  /** blocked: dependencies that failed. */
  blockedBy?: string[];
  error?: StackError;
  durationMs: number;
}

export interface PlanResult {
  environment: string;
  /** 0 no changes, 2 changes pending (or stacks waiting), 1 error (4: only a held state lock). */
  exitCode: number;
  changes: boolean;
  totals: { add: number; change: number; destroy: number };
  /** In dependency order. */
  stacks: StackPlan[];
  /** Where the plans were saved (.berth/work/<env>). */
  planDir: string;
  durationMs: number;
}

export type StackApplyStatus = 'applied' | 'unchanged' | 'failed' | 'blocked' | 'pending' | 'declined';

export interface StackApply {
  stack: string;
  kind?: string;
  status: StackApplyStatus;
  summary?: PlanSummary;
  blockedBy?: string[];
  error?: StackError;
  durationMs: number;
}

export interface ApplyResult {
  environment: string;
  ok: boolean;
  /** 0 applied (or nothing to do), 1 failed (4 lock held, 5 stale plan), 2 not confirmed / plans pending approval. */
  exitCode: number;
  stacks: StackApply[];
  /** The plan berth made first when there was no saved plan. */
  plan?: PlanResult;
  durationMs: number;
}

export interface ApplyOptions extends RunSettings {
  /** Apply without asking (--yes): also the plans berth makes during apply. */
  autoApprove?: boolean;
  /** Ask the person at the terminal; absent = no TTY. */
  ask?: Ask;
  /** Called with each plan before its approval is asked (to print it). */
  onPlan?: (plan: PlanResult) => void | Promise<void>;
  /** Apply destroys and replacements on an adopted environment too (--allow-destroy; destroy-guard.ts). */
  allowDestroy?: boolean;
}

export type StackDestroyStatus = 'destroyed' | 'empty' | 'failed' | 'blocked';

export interface StackDestroy {
  stack: string;
  kind?: string;
  status: StackDestroyStatus;
  blockedBy?: string[];
  error?: StackError;
  durationMs: number;
}

export interface DestroyResult {
  environment: string;
  ok: boolean;
  /** 0 destroyed, 1 failed (4 lock held), 2 refused (not confirmed; nothing destroyed). */
  exitCode: number;
  stacks: StackDestroy[];
  durationMs: number;
}

export interface DestroyOptions extends RunSettings {
  /** Destroy an unprotected environment without asking (--yes; `berth sandbox down`). */
  autoApprove?: boolean;
  /** The environment's name, typed in advance (--confirm): required for a protected environment without a TTY. */
  confirm?: string;
  ask?: Ask;
}

export interface OutputValue {
  stack: string;
  sensitive: boolean;
  /** Absent when sensitive. */
  value?: unknown;
}

export interface OutputsResult {
  environment: string;
  outputs: Record<string, OutputValue>;
  /** Stacks with no state yet (never applied). */
  notApplied: string[];
}

/** apply / destroy refused for want of a confirmation. Nothing changed. */
export class NotConfirmedError extends BerthError {
  constructor(message: string, hint: string) {
    super(message, { exitCode: EXIT.NOT_CONFIRMED, hint, code: 'usage.not-confirmed' });
    this.name = 'NotConfirmedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Running terraform for a stack

export interface Ctx {
  env: EnvironmentConfig;
  project: string;
  ws: Workspace;
  tfEnv: NodeJS.ProcessEnv;
  s: Required<Pick<RunSettings, 'parallelism' | 'lockTimeout'>> & RunSettings & { limits: typeof DEFAULT_TIMEOUTS };
}

function settings(opts: RunSettings) {
  const parallelism = Math.max(1, Math.floor(opts.parallelism ?? DEFAULT_PARALLELISM) || DEFAULT_PARALLELISM);
  return { ...opts, parallelism, lockTimeout: opts.lockTimeout ?? DEFAULT_LOCK_TIMEOUT, limits: { ...DEFAULT_TIMEOUTS, ...opts.timeouts } };
}

/** terraform must be there before anything slow happens (exit 3 with how to get it). */
async function preflight(reporter?: Reporter, project?: string): Promise<void> {
  await findTerraform();
  const cli = ensureCliConfig(process.env, project ?? projectDir());
  if (cli.ignoredUserFile)
    reporter?.warn(
      `TF_CLI_CONFIG_FILE names ${cli.ignoredUserFile}, which does not exist: using berth's own CLI config ${cli.file} instead.`,
    );
}

async function synthWorkspace(env: EnvironmentConfig, s: RunSettings, project: string): Promise<Workspace> {
  const synth = s.synth ?? defaultSynth;
  const res = await synth(env, { outdir: paths.synthDir(env.name, project) });
  const ws = readWorkspace(env, res.outdir, project);
  // The synth result's kinds win over name matching (a custom synth may name stacks freely).
  for (const st of ws.stacks) {
    const k = res.stacks.find((x) => x.name === st.name)?.kind;
    if (k && !st.kind) st.kind = k as StackWork['kind'];
  }
  // Report in dependency order (the synth result's order breaks ties), not the manifest's.
  const rank = new Map(res.stacks.map((x, i) => [x.name, i]));
  const order = dependencyOrder([...ws.stacks].sort((a, b) => (rank.get(a.name) ?? 1e9) - (rank.get(b.name) ?? 1e9)));
  ws.stacks.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  mkdirSync(ws.workDir, { recursive: true });
  return ws;
}

export async function tf(
  ctx: Ctx,
  stack: StackWork,
  args: string[],
  limit: number,
  collect = false,
  nice = 0,
): Promise<RunResult & { lines: string[] }> {
  const lines: string[] = [];
  const r = await runTerraform({
    cwd: stack.dir,
    args,
    stack: stack.name,
    timeoutMs: limit,
    nice,
    env: { ...ctx.tfEnv, TF_DATA_DIR: stack.dataDir },
    signal: ctx.s.signal,
    onLine: (line, stream) => {
      if (collect && stream === 'stdout') lines.push(line);
      ctx.s.onLine?.(stack.name, line);
    },
  });
  return { ...r, lines };
}

export async function ensureInit(ctx: Ctx, stack: StackWork): Promise<void> {
  const args = initArgs(ctx.env, stack);
  const { needed, marker } = needsInit(stack, args);
  if (!needed) return;
  mkdirSync(stack.dataDir, { recursive: true });
  const r = await tf(ctx, stack, args, ctx.s.limits.init);
  if (r.code !== 0) throw translateFailure(stack.name, 'init', r);
  markInitialised(stack, marker);
}

/** The environment terraform runs with for the stacks (what decides its workspace). */
const runEnv = (ctx: Ctx): NodeJS.ProcessEnv => ({ ...process.env, ...ctx.tfEnv });

/**
 * The stack's state: its local state file read directly (local-state.ts: no terraform run, no init),
 * else `terraform state pull` (after init). A caller that goes on to run terraform inits first.
 */
export async function currentState(ctx: Ctx, stack: StackWork): Promise<StateMeta & { managed: number }> {
  const text = readLocalState(stack, runEnv(ctx))?.text ?? (await pullState(ctx, stack));
  if (!text.trim()) return { ...NO_STATE, managed: 0 };
  const doc = JSON.parse(text) as { resources?: { mode?: string }[] };
  return { ...stateMeta(text), managed: (doc.resources ?? []).filter((x) => x.mode === 'managed').length };
}

async function pullState(ctx: Ctx, stack: StackWork): Promise<string> {
  await ensureInit(ctx, stack);
  const r = await tf(ctx, stack, ['state', 'pull'], ctx.s.limits.read, true);
  if (r.code !== 0) throw translateFailure(stack.name, 'state pull', r);
  return r.lines.join('\n');
}

export function toStackError(e: unknown): StackError {
  if (isBerthError(e)) return { message: redact(e.message), hint: e.hint ? redact(e.hint) : undefined, exitCode: e.exitCode };
  return { message: redact((e as Error)?.message ?? String(e)), exitCode: EXIT.FAILED };
}

/** The output names a stack reads from other stacks' remote state. undefined: cannot tell. */
export function readOutputNames(cdkTfJson: string): Set<string> | undefined {
  const found = new Set<string>();
  const re = /terraform_remote_state\.[A-Za-z0-9_-]+\.outputs(?:\.([A-Za-z0-9_-]+)|\[\\?"([^"\\]+)\\?"\])/g;
  let m: RegExpExecArray | null;
  let any = false;
  while ((m = re.exec(cdkTfJson))) {
    any = true;
    const name = m[1] ?? m[2];
    if (name) found.add(name);
    else return undefined;
  }
  const whole = /terraform_remote_state\.[A-Za-z0-9_-]+\.outputs(?![.[A-Za-z0-9_])/.test(cdkTfJson);
  if (whole) return undefined;
  return any ? found : new Set();
}

/**
 * Plan one stack and save the plan (one terraform run: its -json messages carry the summary).
 * `discarded`, asked once the plan is made: true when the plan will be dropped anyway (a stack it
 * reads changes), and its detail (`terraform show`) is not worth a terraform run.
 */
async function planStack(ctx: Ctx, stack: StackWork, discarded: () => boolean = () => false): Promise<StackPlan> {
  const started = Date.now();
  await ensureInit(ctx, stack);
  rmSync(stack.planFile, { force: true });
  const r = await tf(
    ctx,
    stack,
    ['plan', '-json', '-input=false', '-no-color', '-detailed-exitcode', `-lock-timeout=${ctx.s.lockTimeout}`, `-out=${stack.planFile}`],
    ctx.s.limits.plan,
    true,
  );
  const messages = parseMessages(r.lines);
  if (r.code !== 0 && r.code !== 2)
    throw translateFailure(stack.name, 'plan', { code: r.code, stdout: '', stderr: `${diagnosticsText(messages)}\n${r.stderr}` });
  // The plan file holds the prior state, sensitive values included: owner-only.
  chmodSync(stack.planFile, 0o600);
  const summary = summarizePlan(messages);
  const warnings = planWarnings(messages);
  const drifted = messages.some((m) => m.type === 'resource_drift');
  const detail = ctx.s.detail && (r.code === 2 || drifted) && !discarded() ? await showPlan(ctx, stack, stack.planFile) : undefined;
  return {
    stack: stack.name,
    kind: stack.kind,
    dependencies: stack.dependencies,
    status: 'planned',
    changes: r.code === 2,
    summary,
    ...(detail ? { detail } : {}),
    ...(warnings.length ? { warnings } : {}),
    durationMs: Date.now() - started,
  };
}

/** A saved plan, attribute by attribute (`terraform show -json`; values masked by planDetail). */
export async function showPlan(ctx: Ctx, stack: StackWork, planFile: string): Promise<PlanDetail> {
  const r = await tf(ctx, stack, ['show', '-json', '-no-color', planFile], ctx.s.limits.read, true);
  if (r.code !== 0) throw translateFailure(stack.name, 'show', r);
  return planDetail(JSON.parse(r.lines.join('\n')) as ShowJson);
}

async function applyPlanFile(ctx: Ctx, stack: StackWork): Promise<void> {
  await ensureInit(ctx, stack);
  const r = await tf(
    ctx,
    stack,
    ['apply', '-input=false', '-no-color', `-lock-timeout=${ctx.s.lockTimeout}`, stack.planFile],
    ctx.s.limits.apply,
  );
  if (r.code !== 0) throw translateFailure(stack.name, 'apply', r);
  rmSync(stack.planFile, { force: true });
}

// ---------------------------------------------------------------------------------------------
// The saved-plan record

interface RecordEntry {
  status: 'planned' | 'waiting';
  changes: boolean;
  configHash: string;
  state?: StateMeta;
  summary?: PlanSummary;
  waitsOn?: string[];
}

interface PlanRecord {
  version: 1;
  environment: string;
  createdAt: string;
  stacks: Record<string, RecordEntry>;
}

const recordFile = (ws: Pick<Workspace, 'workDir'>) => join(ws.workDir, 'plans.json');

function readRecord(workDir: string): PlanRecord | undefined {
  const f = recordFile({ workDir });
  if (!existsSync(f)) return undefined;
  try {
    const r = JSON.parse(readFileSync(f, 'utf8')) as PlanRecord;
    return r.version === 1 && r.stacks ? r : undefined;
  } catch {
    return undefined;
  }
}

function writeRecord(ws: Workspace, rec: PlanRecord): void {
  writeFileSync(recordFile(ws), JSON.stringify(rec, null, 2) + '\n');
}

/** Forget every saved plan of the environment; returns the files removed. */
export function clearSavedPlans(envName: string, project = projectDir()): string[] {
  const dir = paths.workDir(envName, project);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f === 'plans.json' || f.endsWith('.tfplan'))
    .map((f) => join(dir, f));
  for (const f of files) rmSync(f, { force: true });
  return files;
}

function entryFromPlan(stack: StackWork, p: StackPlan): RecordEntry {
  return {
    status: p.status === 'planned' ? 'planned' : 'waiting',
    changes: Boolean(p.changes),
    configHash: configHash(stack.file),
    state: p.status === 'planned' ? planStateMeta(stack.planFile) : undefined,
    summary: p.summary,
    waitsOn: p.waitsOn,
  };
}

// ---------------------------------------------------------------------------------------------
// plan

function overallPlan(env: EnvironmentConfig, ws: Workspace, stacks: StackPlan[], started: number): PlanResult {
  const failed = stacks.filter((x) => x.status === 'failed');
  const changes = stacks.some((x) => (x.status === 'planned' && x.changes) || x.status === 'waiting');
  const onlyLocks = failed.length > 0 && failed.every((x) => x.error?.exitCode === EXIT.STATE_LOCKED);
  const exitCode =
    failed.length || stacks.some((x) => x.status === 'blocked')
      ? onlyLocks
        ? EXIT.STATE_LOCKED
        : EXIT.PLAN_ERROR
      : changes
        ? EXIT.PLAN_CHANGES
        : EXIT.PLAN_NO_CHANGES;
  const totals = { add: 0, change: 0, destroy: 0 };
  for (const x of stacks) if (x.summary) (['add', 'change', 'destroy'] as const).forEach((k) => (totals[k] += x.summary![k]));
  return { environment: env.name, exitCode, changes, totals, stacks, planDir: ws.workDir, durationMs: Date.now() - started };
}

function planLine(p: StackPlan): string {
  if (p.status === 'waiting') return `${p.stack}: waits on ${p.waitsOn!.join(', ')} (planned once that is applied)`;
  if (p.status === 'blocked') return `${p.stack}: not planned, ${p.blockedBy!.join(', ')} failed`;
  if (p.status === 'failed') return `${p.stack}: plan failed`;
  const s = p.summary!;
  const extra = s.replaced.length || s.destroyed.length ? ` (replaces ${s.replaced.length}, destroys ${s.destroyed.length})` : '';
  return `${p.stack}: ${p.changes ? countsLine(s) + extra : 'no changes'} (${(p.durationMs / 1000).toFixed(1)} s)`;
}

/**
 * What a stack's plan is worth given its dependencies' final results: `blocked` when one failed,
 * `waiting` when one waits or will change outputs this stack reads (or we cannot tell which it
 * reads), `undefined` when its own plan stands. Pure.
 */
export function dependencyVerdict(
  stack: Pick<StackPlan, 'stack'> & { reads: Set<string> | undefined },
  deps: StackPlan[],
): Pick<StackPlan, 'status' | 'waitsOn' | 'blockedBy'> | undefined {
  const bad = deps.filter((d) => d.status === 'failed' || d.status === 'blocked').map((d) => d.stack);
  if (bad.length) return { status: 'blocked', blockedBy: bad };
  const reads = stack.reads;
  const waitsOn = deps
    .filter(
      (d) =>
        d.status === 'waiting' ||
        (d.status === 'planned' &&
          (d.summary?.outputsChanged.length ?? 0) > 0 &&
          (!reads || d.summary!.outputsChanged.some((o) => reads.has(o)))),
    )
    .map((d) => d.stack);
  return waitsOn.length ? { status: 'waiting', waitsOn } : undefined;
}

/**
 * Plan every stack, `parallelism` at a time. A stack is planned without waiting for the plans of
 * the stacks it reads (its plan reads their current state), and its plan is kept only when those
 * plans turn out not to change what it reads; otherwise it is `waiting` (or `blocked` when one of
 * them failed) and its plan file is dropped. A stack one of whose dependencies is already known to
 * change the outputs it reads (or to wait, or to have failed) is not run at all, even while its other
 * dependencies are still being planned; and a plan that turns out to be dropped is not read back
 * (`terraform show`) for its detail. This keeps all workers busy instead of walking the dependency
 * chain level by level (five levels deep for berth's nine stacks).
 */
async function planWalk(ctx: Ctx): Promise<Map<string, StackPlan>> {
  const progress = new StackProgress(ctx.s.reporter, 'planning');
  const stacks = ctx.ws.stacks; // dependency order
  const byName = new Map(stacks.map((x) => [x.name, x]));
  const reads = new Map(stacks.map((x) => [x.name, readOutputNames(readFileSync(x.file, 'utf8'))]));
  const own = new Map<string, StackPlan>(); // each stack's own plan (or failure)
  const lines = new Map<string, Awaited<ReturnType<StackProgress['start']>>>();
  const final = new Map<string, StackPlan>();
  const base = (name: string) => ({
    stack: name,
    kind: byName.get(name)!.kind,
    dependencies: byName.get(name)!.dependencies,
    durationMs: 0,
  });

  /** Settle every stack whose dependencies are settled (in dependency order, so chains settle at once). */
  const settle = async () => {
    for (const st of stacks) {
      if (final.has(st.name)) continue;
      const deps = st.dependencies.map((d) => final.get(d));
      if (deps.some((d) => !d)) continue;
      const verdict = dependencyVerdict({ stack: st.name, reads: reads.get(st.name) }, deps as StackPlan[]);
      const mine = own.get(st.name);
      if (!verdict && !mine) continue; // its own plan is still to come
      const p: StackPlan = verdict ? { ...base(st.name), ...verdict } : mine!;
      final.set(st.name, p);
      if (verdict) rmSync(st.planFile, { force: true });
      const line = lines.get(st.name);
      if (p.status === 'planned') line?.succeed(planLine(p));
      else if (p.status === 'failed') line?.fail(`${st.name}: plan failed`);
      else if (line) line.warn(planLine(p));
      else await progress.once('warn', planLine(p));
    }
  };

  /**
   * Already known to wait (or be blocked): by the dependencies settled so far (one more settled can
   * only add to that), or because a dependency not settled yet is itself known to (it will wait).
   */
  const doomed = (name: string): boolean => {
    const deps = byName.get(name)!.dependencies;
    const settled = deps.flatMap((d) => final.get(d) ?? []);
    if (dependencyVerdict({ stack: name, reads: reads.get(name) }, settled)) return true;
    return deps.some((d) => !final.has(d) && doomed(d));
  };

  const pending = stacks.map((x) => x.name);
  const running = new Map<string, Promise<void>>();
  for (;;) {
    await settle();
    for (const name of [...pending]) {
      if (running.size >= ctx.s.parallelism) break;
      pending.splice(pending.indexOf(name), 1);
      if (final.has(name) || doomed(name)) continue; // settled (or to be) by its dependencies: no need to run it
      const stack = byName.get(name)!;
      const line = await progress.start(name, `${name}: planning`);
      lines.set(name, line);
      const started = Date.now();
      const job = (async () => {
        if (ctx.s.signal?.aborted) {
          own.set(name, { ...base(name), status: 'failed', error: { message: 'cancelled', exitCode: EXIT.FAILED } });
          return;
        }
        try {
          own.set(name, await planStack(ctx, stack, () => doomed(name)));
        } catch (e) {
          own.set(name, { ...base(name), status: 'failed', error: toStackError(e), durationMs: Date.now() - started });
        }
      })().finally(() => running.delete(name));
      running.set(name, job);
    }
    if (!running.size && !pending.length) break;
    if (running.size) await Promise.race(running.values());
  }
  await settle();
  await progress.flush();
  return final;
}

/** `awsEnv: false`: no AWS settings yet (apply-direct sets them once the endpoint answers; init of a local backend needs none). */
export async function context(env: EnvironmentConfig, opts: RunSettings, how: { awsEnv?: boolean } = {}): Promise<Ctx> {
  const s = settings(opts);
  const project = opts.project ?? projectDir();
  await preflight(s.reporter, project);
  const tfEnv = how.awsEnv === false ? {} : terraformAwsEnv(env, opts.local);
  const ws = await synthWorkspace(env, s, project);
  return { env, project, ws, tfEnv, s };
}

function inOrder<T extends { stack: string }>(ws: Workspace, m: Map<string, T>): T[] {
  return ws.stacks.map((x) => m.get(x.name)!).filter(Boolean);
}

/**
 * Synthesize and plan every stack (dependency order, independent stacks in parallel), saving each
 * plan under .berth/work/<env>/. A plan with any error saves nothing.
 */
export async function planEnvironment(env: EnvironmentConfig, opts: RunSettings = {}): Promise<PlanResult> {
  const started = Date.now();
  const ctx = await context(env, opts);
  return planWithContext(ctx, started);
}

async function planWithContext(ctx: Ctx, started: number): Promise<PlanResult> {
  clearSavedPlans(ctx.env.name, ctx.project);
  const results = await planWalk(ctx);
  const stacks = inOrder(ctx.ws, results);
  const result = overallPlan(ctx.env, ctx.ws, stacks, started);
  if (result.exitCode === EXIT.PLAN_NO_CHANGES || result.exitCode === EXIT.PLAN_CHANGES) {
    const rec: PlanRecord = { version: 1, environment: ctx.env.name, createdAt: new Date().toISOString(), stacks: {} };
    for (const p of stacks)
      rec.stacks[p.stack] = entryFromPlan(
        ctx.ws.stacks.find((x) => x.name === p.stack)!,
        p,
      );
    writeRecord(ctx.ws, rec);
  } else {
    clearSavedPlans(ctx.env.name, ctx.project);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// apply

async function findStale(ctx: Ctx, rec: PlanRecord): Promise<StaleStack[]> {
  const stale: StaleStack[] = [];
  const names = new Set(ctx.ws.stacks.map((x) => x.name));
  for (const st of ctx.ws.stacks) {
    const e = rec.stacks[st.name];
    if (!e) stale.push({ stack: st.name, reason: 'this stack is new since the plan' });
    else if (e.configHash !== configHash(st.file))
      stale.push({ stack: st.name, reason: 'its synthesized configuration changed since the plan (cdk.tf.json differs)' });
  }
  for (const n of Object.keys(rec.stacks)) if (!names.has(n)) stale.push({ stack: n, reason: 'this stack is no longer synthesized' });
  if (stale.length) return stale;
  const check = ctx.ws.stacks.filter((st) => rec.stacks[st.name]!.status === 'planned' && rec.stacks[st.name]!.changes);
  await walkGraph<StaleStack | null>(
    check.map((x) => ({ name: x.name, dependencies: [] })),
    {
      concurrency: ctx.s.parallelism,
      ok: () => true,
      blocked: () => null,
      run: async (name) => {
        const st = check.find((x) => x.name === name)!;
        const then = rec.stacks[name]!.state ?? NO_STATE;
        if (!existsSync(st.planFile)) {
          stale.push({ stack: name, reason: `its saved plan ${st.planFile} is missing` });
          return null;
        }
        const now = await currentState(ctx, st);
        if (now.lineage !== then.lineage || now.serial !== then.serial)
          stale.push({
            stack: name,
            reason: `its state changed since the plan (serial ${then.serial} -> ${now.serial}${now.lineage !== then.lineage ? ', different lineage' : ''})`,
          });
        return null;
      },
    },
  );
  return stale;
}

export function exitCodeForApply(stacks: StackApply[]): number {
  const failed = stacks.filter((x) => x.status === 'failed');
  if (failed.length) {
    if (failed.every((x) => x.error?.exitCode === EXIT.STATE_LOCKED)) return EXIT.STATE_LOCKED;
    if (failed.every((x) => x.error?.exitCode === EXIT.PLAN_STALE)) return EXIT.PLAN_STALE;
    if (failed.some((x) => x.error?.exitCode === EXIT.ADOPT_DESTRUCTIVE_PLAN)) return EXIT.ADOPT_DESTRUCTIVE_PLAN;
    return EXIT.FAILED;
  }
  if (stacks.some((x) => x.status === 'pending' || x.status === 'declined' || x.status === 'blocked')) return EXIT.NOT_CONFIRMED;
  return EXIT.OK;
}

/**
 * Apply the environment. With saved plans (`berth plan`): check none is stale, then apply them in
 * dependency order. Without: plan first, then apply with `autoApprove` or after a y at `ask`;
 * with neither, refuse before doing anything (exit 2). Stacks that waited on a dependency are
 * planned once it is applied (see the file comment). A failed stack stops the stacks that depend
 * on it; independent ones finish.
 */
// eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 111 lines
export async function applyEnvironment(env: EnvironmentConfig, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const started = Date.now();
  const project = opts.project ?? projectDir();
  let rec = readRecord(paths.workDir(env.name, project));
  if (!rec && !opts.autoApprove && !opts.ask)
    throw new NotConfirmedError(
      `no saved plan for ${env.name} and nobody to confirm one (no TTY): nothing was changed.`,
      `Run \`berth plan --env ${env.name}\`, review it, then \`berth apply --env ${env.name}\` applies exactly that plan; or pass --yes to plan and apply in one go.`,
    );
  const ctx = await context(env, opts);
  const guarded = isAdopted(env, project);
  let plan: PlanResult | undefined;
  if (!rec) {
    plan = await planWithContext(ctx, started);
    if (plan.exitCode !== EXIT.PLAN_CHANGES) {
      const stacks = plan.stacks.map<StackApply>((p) => ({
        stack: p.stack,
        kind: p.kind,
        status: p.status === 'planned' ? 'unchanged' : p.status === 'failed' ? 'failed' : 'blocked',
        error: p.error,
        blockedBy: p.blockedBy,
        summary: p.summary,
        durationMs: 0,
      }));
      if (plan.exitCode === EXIT.PLAN_NO_CHANGES) clearSavedPlans(env.name, project);
      const exitCode = plan.exitCode === EXIT.PLAN_NO_CHANGES ? EXIT.OK : plan.exitCode;
      return { environment: env.name, ok: exitCode === EXIT.OK, exitCode, stacks, plan, durationMs: Date.now() - started };
    }
    refuseDestructive(env.name, guarded, Boolean(opts.allowDestroy), plan.stacks);
    if (!opts.autoApprove) {
      await opts.onPlan?.(plan);
      const yes = isYes(await opts.ask!(`Apply these changes to ${env.name}? Only "yes" or "y" goes on. [y/N] `));
      if (!yes) {
        clearSavedPlans(env.name, project);
        const stacks = plan.stacks.map<StackApply>((p) => ({
          stack: p.stack,
          kind: p.kind,
          status: 'declined',
          summary: p.summary,
          durationMs: 0,
        }));
        return { environment: env.name, ok: false, exitCode: EXIT.NOT_CONFIRMED, stacks, plan, durationMs: Date.now() - started };
      }
    }
    rec = readRecord(ctx.ws.workDir)!;
  } else {
    const stale = await findStale(ctx, rec);
    if (stale.length) throw new StalePlanError(stale);
    refuseDestructive(
      env.name,
      guarded,
      Boolean(opts.allowDestroy),
      Object.entries(rec.stacks).map(([stack, e]) => ({ stack, summary: e.summary })),
    );
  }

  const byName = new Map(ctx.ws.stacks.map((x) => [x.name, x]));
  const results = new Map<string, StackApply>();
  const finalStatus = new Set<StackApplyStatus>(['applied', 'unchanged', 'failed', 'declined']);
  for (;;) {
    const newlyPlanned: StackPlan[] = [];
    const progress = new StackProgress(ctx.s.reporter, 'applying');
    const round = await walkGraph<StackApply>(ctx.ws.stacks, {
      concurrency: ctx.s.parallelism,
      ok: (r) => r.status === 'applied' || r.status === 'unchanged',
      blocked: (name, by) => ({ stack: name, kind: byName.get(name)!.kind, status: 'blocked', blockedBy: by, durationMs: 0 }),
      run: async (name) => {
        const prev = results.get(name);
        if (prev && finalStatus.has(prev.status)) return prev;
        const stack = byName.get(name)!;
        const entry = rec!.stacks[name]!;
        const t0 = Date.now();
        const base = { stack: name, kind: stack.kind };
        if (ctx.s.signal?.aborted)
          return { ...base, status: 'failed', error: { message: 'cancelled', exitCode: EXIT.FAILED }, durationMs: 0 };
        if (entry.status === 'planned' && !entry.changes) return { ...base, status: 'unchanged', summary: entry.summary, durationMs: 0 };
        let summary = entry.summary;
        const line = await progress.start(name, `${name}: ${entry.status === 'planned' ? 'applying' : 'planning'}`);
        try {
          if (entry.status === 'waiting') {
            const p = await planStack(ctx, stack);
            rec!.stacks[name] = entryFromPlan(stack, p);
            summary = p.summary;
            if (guarded && !opts.allowDestroy && destructiveChanges([p]).length)
              throw new DestructivePlanError(env.name, destructiveChanges([p]));
            if (!p.changes) {
              line.succeed(`${name}: no changes`);
              return { ...base, status: 'unchanged', summary, durationMs: Date.now() - t0 };
            }
            if (!opts.autoApprove) {
              newlyPlanned.push(p);
              line.warn(`${name}: planned (${countsLine(p.summary!)}), waits for approval`);
              return { ...base, status: 'pending', summary, durationMs: Date.now() - t0 };
            }
            line.update(`${name}: applying`);
          }
          await applyPlanFile(ctx, stack);
          line.succeed(`${name}: applied${summary ? ` (${countsLine(summary)})` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          return { ...base, status: 'applied', summary, durationMs: Date.now() - t0 };
        } catch (e) {
          line.fail(`${name}: failed`);
          return { ...base, status: 'failed', summary, error: toStackError(e), durationMs: Date.now() - t0 };
        }
      },
    });
    await progress.flush();
    for (const [k, v] of round) results.set(k, v);
    if (!newlyPlanned.length || !opts.ask || [...results.values()].some((r) => r.status === 'failed')) break;
    // Between rounds, nothing is running: ask about the plans made just now.
    const partial = overallPlan(env, ctx.ws, newlyPlanned, Date.now());
    await opts.onPlan?.(partial);
    const yes = isYes(await opts.ask(`Apply the changes to ${newlyPlanned.map((p) => p.stack).join(', ')} too? [y/N] `));
    if (!yes) {
      for (const p of newlyPlanned) results.set(p.stack, { ...results.get(p.stack)!, status: 'declined' });
      break;
    }
    // Next round: the approved plans are applied, the stacks they blocked go on.
    for (const p of newlyPlanned) results.delete(p.stack);
    for (const [k, v] of [...results]) if (v.status === 'blocked') results.delete(k);
  }

  const stacks = inOrder(ctx.ws, results);
  if (
    stacks.some((x) => x.status === 'failed' || x.status === 'declined') ||
    stacks.every((x) => x.status === 'applied' || x.status === 'unchanged')
  ) {
    clearSavedPlans(env.name, project);
  } else {
    // Plans made during this apply and still awaiting approval stay saved, with what they apply to.
    for (const x of stacks) {
      if (x.status === 'applied' || x.status === 'unchanged')
        rec.stacks[x.stack] = { ...rec.stacks[x.stack]!, status: 'planned', changes: false };
      if (x.status === 'blocked') rec.stacks[x.stack] = { ...rec.stacks[x.stack]!, status: 'waiting', changes: false };
    }
    rec.createdAt = new Date().toISOString();
    writeRecord(ctx.ws, rec);
  }
  const exitCode = exitCodeForApply(stacks);
  return { environment: env.name, ok: exitCode === EXIT.OK, exitCode, stacks, plan, durationMs: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// destroy

/** The confirmation destroy needs; throws NotConfirmedError (exit 2) before anything is touched. */
export async function confirmDestroy(env: EnvironmentConfig, opts: Pick<DestroyOptions, 'autoApprove' | 'confirm' | 'ask'>): Promise<void> {
  if (opts.confirm !== undefined && opts.confirm !== env.name)
    throw new NotConfirmedError(
      `--confirm ${opts.confirm} does not match the environment's name; nothing was destroyed.`,
      `Pass --confirm ${env.name} to destroy ${env.name}.`,
    );
  if (opts.confirm === env.name) return;
  if (env.protected) {
    if (opts.ask) {
      const typed = await opts.ask(`${env.name} is protected. Type its name to destroy every resource of it: `);
      if (typed?.trim() === env.name) return;
      throw new NotConfirmedError(
        `the name typed did not match ${env.name}; nothing was destroyed.`,
        `Type ${env.name} exactly, or pass --confirm ${env.name}.`,
      );
    }
    throw new NotConfirmedError(
      `${env.name} is protected and there is no TTY to confirm on: nothing was destroyed.`,
      `Pass --confirm ${env.name} to destroy it from a script.`,
    );
  }
  if (opts.autoApprove) return;
  if (opts.ask) {
    if (isYes(await opts.ask(`Destroy every resource of ${env.name}? [y/N] `))) return;
    throw new NotConfirmedError(`not confirmed; nothing was destroyed.`, `Answer y, or pass --yes.`);
  }
  throw new NotConfirmedError(
    `no TTY to confirm on: nothing was destroyed.`,
    `Pass --yes (or --confirm ${env.name}) to destroy ${env.name} from a script.`,
  );
}

/**
 * Destroy every stack in reverse dependency order (a stack after the stacks that read it), after
 * the confirmation `confirmDestroy` demands. A stack that fails keeps the stacks it reads.
 */
export async function destroyEnvironment(env: EnvironmentConfig, opts: DestroyOptions = {}): Promise<DestroyResult> {
  const started = Date.now();
  await confirmDestroy(env, opts);
  const ctx = await context(env, opts);
  clearSavedPlans(env.name, ctx.project);
  const byName = new Map(ctx.ws.stacks.map((x) => [x.name, x]));
  const progress = new StackProgress(ctx.s.reporter, 'destroying');
  const res = await walkGraph<StackDestroy>(ctx.ws.stacks, {
    concurrency: ctx.s.parallelism,
    reverse: true,
    ok: (r) => r.status === 'destroyed' || r.status === 'empty',
    blocked: (name, by) => ({ stack: name, kind: byName.get(name)!.kind, status: 'blocked', blockedBy: by, durationMs: 0 }),
    run: async (name) => {
      const stack = byName.get(name)!;
      const base = { stack: name, kind: stack.kind };
      const t0 = Date.now();
      if (ctx.s.signal?.aborted)
        return { ...base, status: 'failed', error: { message: 'cancelled', exitCode: EXIT.FAILED }, durationMs: 0 };
      const line = await progress.start(name, `${name}: destroying`);
      try {
        const st = await currentState(ctx, stack);
        if (st.managed === 0) {
          line.succeed(`${name}: nothing to destroy`);
          return { ...base, status: 'empty', durationMs: Date.now() - t0 };
        }
        await ensureInit(ctx, stack);
        const r = await tf(
          ctx,
          stack,
          ['apply', '-destroy', '-auto-approve', '-input=false', '-no-color', `-lock-timeout=${ctx.s.lockTimeout}`],
          ctx.s.limits.destroy,
        );
        if (r.code !== 0) throw translateFailure(name, 'destroy', r);
        line.succeed(
          `${name}: destroyed ${st.managed} resource${st.managed === 1 ? '' : 's'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
        return { ...base, status: 'destroyed', durationMs: Date.now() - t0 };
      } catch (e) {
        line.fail(`${name}: destroy failed`);
        return { ...base, status: 'failed', error: toStackError(e), durationMs: Date.now() - t0 };
      }
    },
  });
  await progress.flush();
  const stacks = inOrder(ctx.ws, res).reverse();
  const failed = stacks.filter((x) => x.status === 'failed');
  const exitCode = failed.length
    ? failed.every((x) => x.error?.exitCode === EXIT.STATE_LOCKED)
      ? EXIT.STATE_LOCKED
      : EXIT.FAILED
    : stacks.some((x) => x.status === 'blocked')
      ? EXIT.FAILED
      : EXIT.OK;
  return { environment: env.name, ok: exitCode === EXIT.OK, exitCode, stacks, durationMs: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// outputs

/** cdktf's own plumbing between stacks, not something a person asked for. */
const isInternalOutput = (name: string) => name.startsWith('cross-stack-output-');

/** `terraform output -json` of a stack. */
async function terraformOutputs(ctx: Ctx, stack: StackWork): Promise<Record<string, { sensitive?: boolean; value?: unknown }>> {
  await ensureInit(ctx, stack);
  const r = await tf(ctx, stack, ['output', '-json', '-no-color'], ctx.s.limits.read, true);
  if (r.code !== 0) throw translateFailure(stack.name, 'output', r);
  return JSON.parse(r.lines.join('\n') || '{}') as Record<string, { sensitive?: boolean; value?: unknown }>;
}

/** Every stack's outputs, merged (a name two stacks share is kept per stack as `<stack>.<name>`). Sensitive values are never read out. */
export async function environmentOutputs(env: EnvironmentConfig, opts: RunSettings = {}): Promise<OutputsResult> {
  const ctx = await context(env, opts);
  type Per = { stack: string; outputs: Record<string, { sensitive?: boolean; value?: unknown }>; applied: boolean; error?: unknown };
  const per = await walkGraph<Per>(
    ctx.ws.stacks.map((x) => ({ name: x.name, dependencies: [] })),
    {
      concurrency: ctx.s.parallelism,
      ok: () => true,
      blocked: (name) => ({ stack: name, outputs: {}, applied: false }),
      run: async (name) => {
        const stack = ctx.ws.stacks.find((x) => x.name === name)!;
        try {
          const outputs = readLocalOutputs(stack, runEnv(ctx)) ?? (await terraformOutputs(ctx, stack));
          return { stack: name, outputs, applied: Object.keys(outputs).length > 0 };
        } catch (error) {
          return { stack: name, outputs: {}, applied: false, error };
        }
      },
    },
  );
  const failed = [...per.values()].find((p) => p.error);
  if (failed) throw failed.error;
  const merged: Record<string, OutputValue> = {};
  const notApplied: string[] = [];
  for (const st of ctx.ws.stacks) {
    const p = per.get(st.name)!;
    if (!p.applied) notApplied.push(st.name);
    for (const [k, o] of Object.entries(p.outputs)) {
      if (isInternalOutput(k)) continue;
      const key = k in merged ? `${st.kind ?? st.name}.${k}` : k;
      merged[key] = o.sensitive ? { stack: st.name, sensitive: true } : { stack: st.name, sensitive: false, value: redactValue(o.value) };
    }
  }
  return { environment: env.name, outputs: merged, notApplied };
}

export { StateLockedError, StalePlanError };
