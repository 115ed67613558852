/**
 * `berth sandbox up / down / status`: the whole platform on this machine.
 *
 * up: starts berth's extended moto (src/sandbox/emulator.ts) on 127.0.0.1 at a free port,
 * detached, and records it in `.berth/sandbox/sandbox.json`; then applies every stack of the
 * built-in `sandbox` environment through terraform (src/terraform/orchestrate.ts, independent
 * stacks in parallel, each run with a hard time limit), with the provider pointed at the emulator
 * by environment variables only (terraformAwsEnv); then waits until every service runs its desired
 * count, healthy in its target group.
 *
 * A second up reuses what is there. With the emulator alive, the apply is a plan that finds no
 * changes. The emulator keeps its data in memory only: when it has died (or after down), its
 * resources are gone, so up starts a new one and forgets the terraform state that described the old
 * one; then it restores the sandbox the last up that applied saved (src/sandbox/restore.ts: the
 * emulator's state and the terraform state, when the stacks still synthesize the same), or applies
 * from scratch (`fresh`, or nothing saved that matches) and saves the result for next time.
 *
 * down: stops the emulator berth started (by the PID in the record, after checking that PID is
 * still that emulator), verifies the process is gone and its ports refuse connections, and removes
 * what berth wrote for that emulator: the record, the sandbox's terraform state and saved plans.
 * No terraform destroy: the emulator keeps everything in memory, so stopping it throws every
 * resource away at once. `destroy: true` (`down --destroy`) first destroys every stack the careful
 * way (reverse dependency order), as on AWS. The terraform init data under .berth/work/sandbox/
 * (provider links, lock files; nothing about the emulator's resources) is kept for the next up.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { loadEnvironment } from '../config/load.js';
import { names, publicHealthPath, serviceNames } from '../config/names.js';
import { paths, projectDir } from '../config/paths.js';
import type { EnvironmentConfig } from '../config/types.js';
import { isSettled } from '../ecs/settled.js';
import { tallyDescriptions } from '../ecs/targets.js';
import { BerthError, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter } from '../output/reporter.js';
import { findTerraform } from '../terraform/tool.js';
import { sandboxEndpoint } from './context.js';
import { isAlive } from '../config/process-alive.js';
import { answers, findMotoPython, isOurEmulator, portOpen, startEmulator, stopPid } from './emulator.js';
import {
  FAKE_CREDENTIALS,
  readSandboxRecord,
  removeSandboxRecord,
  sandboxLogFile,
  sandboxRecordFile,
  writeSandboxRecord,
  type SandboxRecord,
} from './state.js';

export const SANDBOX_ENV = 'sandbox';

/** Hard limits per terraform command in the sandbox: nothing there legitimately takes longer. */
export const SANDBOX_TIMEOUTS = { init: 3 * 60_000, plan: 5 * 60_000, apply: 10 * 60_000, destroy: 10 * 60_000, read: 2 * 60_000 };

export interface ServiceSummary {
  name: string;
  cluster: string;
  desired: number;
  running: number;
  pending: number;
  /** Targets in the service's target groups, by state. */
  targets: { healthy: number; unhealthy: number; other: number };
  /** One PRIMARY deployment, COMPLETED, running = desired, every target healthy. */
  steady: boolean;
  taskDefinition?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  /** The public health URL in the sandbox (the local endpoint + the service's health path). */
  healthUrl?: string;
}

export interface StackOutcome {
  stack: string;
  status: string;
  durationMs: number;
  error?: string;
}

export interface UpResult {
  environment: string;
  endpoint: string;
  region: string;
  publicUrl?: string;
  pid: number;
  port: number;
  logFile: string;
  /** started: no sandbox before; reused: the emulator was running; restarted: it had died (its data with it). */
  emulator: 'started' | 'reused' | 'restarted';
  applied: boolean;
  /** Stacks that changed (0 on a second up over a live emulator). */
  changedStacks: number;
  stacks: StackOutcome[];
  /** The demo images in the services' ECR repositories (src/sandbox/images.ts). */
  images: string[];
  cluster: string;
  services: ServiceSummary[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  next: string[];
  /** Restored from the saved sandbox instead of applied (when it was saved, the state files put back). */
  restored?: { savedAt: string; stateFiles: string[] };
  /** Saved after this up, for the next up after down. */
  saved?: { savedAt: string; emulatorBytes: number };
  durationMs: number;
}

export interface UpOptions {
  reporter?: Reporter;
  /** Apply the stacks (default true); false starts (or reuses) the emulator only. */
  apply?: boolean;
  /** Stacks applied at once (default 4). */
  parallelism?: number;
  /** How long to wait for the services to be steady after the apply (default 120 s). */
  waitServicesMs?: number;
  /** Extra environment for a newly started emulator (timings: BERTH_SANDBOX_ECS_TIME_SCALE...). */
  emulatorEnv?: NodeJS.ProcessEnv;
  /** Apply from nothing even when a saved sandbox matches (src/sandbox/restore.ts). */
  fresh?: boolean;
}

export interface DownResult {
  /** Was there a sandbox record? */
  found: boolean;
  /** Did the emulator answer (so destroy could run)? */
  wasRunning: boolean;
  /** Were the stacks destroyed with terraform first (`--destroy`)? */
  destroyed: boolean;
  stacks: StackOutcome[];
  stoppedPid?: number;
  /** Ports that were the sandbox's and no longer accept connections. */
  portsClosed: number[];
  /** What berth removed (paths relative to the project): the record, the state, saved plans. */
  removed: string[];
  durationMs: number;
}

export interface DownOptions {
  reporter?: Reporter;
  /** Destroy the stacks with terraform before stopping (default false: the emulator's data goes with it). */
  destroy?: boolean;
  parallelism?: number;
}

export interface StatusResult {
  running: boolean;
  /** A record exists but its emulator is gone (or does not answer). */
  stale: boolean;
  endpoint?: string;
  region?: string;
  publicUrl?: string;
  pid?: number;
  port?: number;
  startedAt?: string;
  appliedAt?: string;
  logFile?: string;
  cluster?: string;
  services?: ServiceSummary[];
}

function sandboxEnvironment(): EnvironmentConfig {
  const env = loadEnvironment(SANDBOX_ENV);
  if (!env.sandbox)
    throw new UsageError(`environments/${SANDBOX_ENV}.json sets "sandbox": false; berth sandbox only runs a sandbox environment.`, {
      hint: `Set "sandbox": true in it, or remove it to use berth's built-in sandbox environment.`,
    });
  return env;
}

/** The environment's local state folder, if it is inside the project's .berth/ (never delete anything else). */
function localStateDir(env: EnvironmentConfig, project: string): string | undefined {
  if (env.state.backend !== 'local') return undefined;
  const dir = resolve(project, env.state.path ?? `.berth/state/${env.name}`);
  const rel = relative(paths.berthDir(project), dir);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return dir;
}

/** Does the sandbox environment have any terraform state (anything applied)? */
function hasState(env: EnvironmentConfig, project: string): boolean {
  const dir = localStateDir(env, project);
  if (!dir) return true;
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.tfstate'));
}

/** Forget the terraform state and saved plans of the sandbox; returns what was there (relative paths). */
async function forgetState(env: EnvironmentConfig, project: string): Promise<string[]> {
  const removed: string[] = [];
  const dir = localStateDir(env, project);
  if (dir && existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    removed.push(relative(project, dir));
  }
  const { clearSavedPlans } = await import('../terraform/orchestrate.js');
  removed.push(...clearSavedPlans(env.name, project).map((f) => relative(project, f)));
  return removed;
}

function outcome(x: { stack: string; status: string; durationMs: number; error?: { message: string } }): StackOutcome {
  return { stack: x.stack, status: x.status, durationMs: x.durationMs, ...(x.error ? { error: x.error.message } : {}) };
}

/** Is the record's emulator alive, ours, and answering? */
async function live(rec: SandboxRecord | undefined): Promise<boolean> {
  return Boolean(rec && (await isOurEmulator(rec.pid, rec.port, rec.endpoint)) && (await answers(rec.endpoint, 2000)));
}

export async function sandboxUp(opts: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const project = projectDir();
  const apply = opts.apply !== false;
  const env = sandboxEnvironment();
  // Both tools first: a missing one is reported (exit 3) before anything starts.
  if (apply) await findTerraform();
  const moto = findMotoPython();
  mkdirSync(paths.sandboxDir(project), { recursive: true });
  const logFile = sandboxLogFile(project);
  const stateDir = localStateDir(env, project);
  const prior = await priorEmulator(opts, env, project);
  // A new emulator with nothing to restore: the stacks are synthesized and initialised while it starts.
  const fromNothing = apply && !prior.live && (opts.fresh || !stateDir || !(await hasSaved(project, moto.version)));
  const starting = prior.live ? Promise.resolve(prior.live) : launchEmulator(opts, env, project, logFile, moto.version);
  const direct = fromNothing ? applyStacks(opts, env, project, starting, logFile) : undefined;
  direct?.catch(() => undefined); // awaited below, after the emulator's own failure if any
  const up = await starting.then((rec) => ({ rec, emulator: prior.live ? 'reused' : prior.recorded ? 'restarted' : 'started' }) as const);
  let rec = up.rec;
  let applied: Applied = { stacks: [], changedStacks: 0, images: [] };
  let services: ServiceSummary[] = [];
  let saved: UpResult['saved'];
  if (apply) {
    const common = { env, project, rec, stateDir: stateDir!, reporter: opts.reporter };
    const restored = !direct && stateDir && up.emulator !== 'reused' && !opts.fresh ? await restoreOrStop(common) : undefined;
    applied = restored ?? (await (direct ?? applyStacks(opts, env, project, Promise.resolve(rec), logFile)));
    rec = applied.rec ?? rec;
    services = await servicesSettled(opts, env, rec, logFile, applied.watching);
    if (stateDir && !restored && (applied.changedStacks > 0 || up.emulator !== 'reused')) {
      const { saveAfterUp } = await import('./restore.js');
      const s = await saveAfterUp({ ...common, rec });
      saved = s && { savedAt: s.savedAt, emulatorBytes: s.emulatorBytes };
    }
  }
  const { stacks, changedStacks, images } = applied;
  const emulator = up.emulator;
  return {
    environment: env.name,
    endpoint: rec!.endpoint,
    region: rec!.region,
    publicUrl: rec!.publicUrl,
    pid: rec!.pid,
    port: rec!.port,
    logFile,
    emulator,
    applied: apply,
    changedStacks,
    stacks,
    images,
    cluster: names(env).cluster,
    services,
    credentials: { ...FAKE_CREDENTIALS },
    next: nextSteps(env, rec!),
    ...(applied.restored ? { restored: applied.restored } : {}),
    ...(saved ? { saved } : {}),
    durationMs: Date.now() - started,
  };
}

/** Is a saved sandbox there for this berth and moto (whether its stacks still match is checked at restore)? */
async function hasSaved(project: string, motoVersion: string): Promise<boolean> {
  const { readSaved } = await import('./saved.js');
  return Boolean(readSaved(project, motoVersion));
}

/**
 * Restore the saved sandbox into the emulator just started (src/sandbox/restore.ts); undefined when
 * none matches. A restore that fails leaves an emulator in an unknown state: it is stopped and
 * forgotten, and the error says to run `up --fresh`.
 */
async function restoreOrStop(o: { env: EnvironmentConfig; project: string; rec: SandboxRecord; stateDir: string; reporter?: Reporter }) {
  const { restoreIfSaved } = await import('./restore.js');
  try {
    const r = await restoreIfSaved(o);
    if (!r) return undefined;
    const rec: SandboxRecord = { ...o.rec, appliedAt: new Date().toISOString() };
    writeSandboxRecord(rec, o.project);
    const stacks = r.stacks.map((stack) => ({ stack, status: 'restored', durationMs: 0 }));
    return { rec, stacks, changedStacks: 0, images: [], restored: { savedAt: r.saved.savedAt, stateFiles: r.stateFiles } };
  } catch (e) {
    await stopPid(o.rec.pid);
    removeSandboxRecord(o.project);
    await forgetState(o.env, o.project);
    throw e;
  }
}

interface Applied {
  rec?: SandboxRecord;
  stacks: StackOutcome[];
  changedStacks: number;
  images: string[];
  restored?: { savedAt: string; stateFiles: string[] };
  /** The services' watch, started once the service stack was applied. */
  watching?: Promise<ServiceSummary[]>;
}

/**
 * The project's emulator as it is: `live` when it runs and answers (reused); otherwise a dead one is
 * stopped if it is still ours, and its state forgotten (its data died with it).
 */
async function priorEmulator(
  opts: UpOptions,
  env: EnvironmentConfig,
  project: string,
): Promise<{ live?: SandboxRecord; recorded: boolean }> {
  const reporter = opts.reporter;
  const rec = readSandboxRecord(project);
  if (await live(rec)) {
    reporter?.info(`Emulator already running on ${rec!.endpoint} (pid ${rec!.pid}).`);
    return { live: rec!, recorded: true };
  }
  if (rec && (await isOurEmulator(rec.pid, rec.port, rec.endpoint))) await stopPid(rec.pid);
  if (rec)
    reporter?.warn(
      `the emulator recorded in ${paths.sandboxDir(project)} (pid ${rec.pid}) is gone, and its data with it: starting a new one and applying from scratch.`,
    );
  await forgetState(env, project);
  return { recorded: Boolean(rec) };
}

/** Start a new emulator and record it. */
async function launchEmulator(
  opts: UpOptions,
  env: EnvironmentConfig,
  project: string,
  logFile: string,
  motoVersion: string,
): Promise<SandboxRecord> {
  rmSync(logFile, { force: true });
  const step = await opts.reporter?.step('Starting the emulator (moto, extended by berth)');
  const emu = await startEmulator({ detached: true, logFile, env: opts.emulatorEnv, readyTimeoutMs: 60_000 }).catch((e) => {
    step?.fail();
    throw e;
  });
  const rec: SandboxRecord = {
    endpoint: emu.endpoint,
    region: env.region,
    pid: emu.pid,
    port: emu.port,
    publicUrl: emu.publicUrl,
    publicPort: emu.publicPort,
    startedAt: new Date().toISOString(),
    logFile,
    python: emu.python,
    motoVersion,
    environment: env.name,
  };
  writeSandboxRecord(rec, project);
  step?.succeed(`Emulator on ${emu.endpoint} (pid ${emu.pid}, moto ${motoVersion}); public endpoint ${emu.publicUrl}`);
  return rec;
}

/** What a sandbox apply starts while the rest of the stacks apply: images once the registry is there, the watch of the services once they exist. */
interface Along {
  images?: Promise<string[]>;
  watching?: Promise<ServiceSummary[]>;
}

/**
 * From nothing (no state), every stack is planned and applied in one terraform run as soon as the
 * stacks it reads are applied (src/terraform/apply-direct.ts): no plan is thrown away; synth and
 * init run while the emulator starts. Over an applied sandbox, every stack is planned at once (they
 * all have state) and only changes applied.
 */
async function runApply(env: EnvironmentConfig, project: string, opts: UpOptions, emulator: Promise<SandboxRecord>, along: Along) {
  const { applyEnvironment, clearSavedPlans } = await import('../terraform/orchestrate.js');
  // `up` always plans afresh: a plan saved by `berth plan --env sandbox` is not what up applies.
  clearSavedPlans(env.name, project);
  const settings = { reporter: opts.reporter, parallelism: opts.parallelism, timeouts: SANDBOX_TIMEOUTS };
  if (!hasState(env, project)) {
    opts.reporter?.info(`Applying the ${env.name} environment's stacks to the emulator (each once the stacks it reads are applied)...`);
    const { applyDirect } = await import('../terraform/apply-direct.js');
    const endpoint = emulator.then(() => sandboxEndpoint(env, project));
    const onApplied = (s: { kind?: string }) => {
      if (s.kind === 'registry') along.images ??= seeded(env);
      if (s.kind === 'service') along.watching ??= emulator.then((rec) => waitSteady(env, rec, opts.waitServicesMs ?? 120_000));
      along.images?.catch(() => undefined);
      along.watching?.catch(() => undefined);
    };
    return applyDirect(env, { ...settings, endpoint, onApplied });
  }
  await emulator;
  opts.reporter?.info(`Applying the ${env.name} environment's stacks to the emulator (independent stacks in parallel)...`);
  return applyEnvironment(env, { ...settings, local: sandboxEndpoint(env, project), autoApprove: true });
}

async function seeded(env: EnvironmentConfig): Promise<string[]> {
  const { seedImages } = await import('./images.js');
  return (await seedImages(env)).map((i) => `${i.repository}:${i.tag} (${i.architecture})`);
}

/** Apply the sandbox environment's stacks (always planned afresh), and seed the demo images. */
async function applyStacks(
  opts: UpOptions,
  env: EnvironmentConfig,
  project: string,
  emulator: Promise<SandboxRecord>,
  logFile: string,
): Promise<Applied> {
  const along: Along = {};
  const res = await runApply(env, project, opts, emulator, along);
  let rec = await emulator;
  const stacks = res.stacks.map(outcome);
  const changedStacks = res.stacks.filter((s) => s.status === 'applied').length;
  if (!res.ok) {
    const failed = res.stacks.filter((s) => s.status === 'failed');
    throw new BerthError(
      `the sandbox's stacks did not apply: ${failed.map((s) => `${s.stack} (${s.error?.message ?? 'failed'})`).join('; ') || 'see above'}.`,
      {
        exitCode: res.exitCode === EXIT.OK ? EXIT.FAILED : res.exitCode,
        hint: `The emulator is still running (${rec.endpoint}); its log is ${logFile}. Run \`berth sandbox up\` again to retry, or \`berth sandbox down\` to remove it.`,
        details: { stacks },
      },
    );
  }
  rec = { ...rec, appliedAt: new Date().toISOString() };
  writeSandboxRecord(rec, project);
  const images = await (along.images ?? seeded(env));
  return { rec, stacks, changedStacks, images, watching: along.watching };
}

/** Wait for every service to run its desired count, healthy; one that does not settle is an error that says why. */
async function servicesSettled(
  opts: UpOptions,
  env: EnvironmentConfig,
  rec: SandboxRecord,
  logFile: string,
  watching?: Promise<ServiceSummary[]>,
): Promise<ServiceSummary[]> {
  const step = await opts.reporter?.step('Waiting for the services to run their desired count, healthy');
  // Watched since the service stack was applied (while the stacks after it applied), or from now.
  const services = await (watching ?? waitSteady(env, rec, opts.waitServicesMs ?? 120_000));
  const bad = services.filter((s) => !s.steady);
  if (bad.length) {
    step?.fail();
    throw new BerthError(`the sandbox is up, but ${bad.map(unsettled).join(', ')} did not settle.`, {
      hint: unsettledHint(bad, logFile),
      details: { services },
    });
  }
  step?.succeed(
    services.map((s) => `${s.name}: ${s.running}/${s.desired} running, ${s.targets.healthy} healthy`).join('; ') || 'no services',
  );
  return services;
}

export function nextSteps(env: EnvironmentConfig, rec: SandboxRecord): string[] {
  const svc = env.services[0];
  const s = svc ? ` --service ${svc.name}` : '';
  const health = svc ? `${rec.publicUrl ?? ''}${publicHealthPath(svc)}` : (rec.publicUrl ?? '');
  return [
    `berth status --env sandbox`,
    `berth deploy --env sandbox${s} --tag v2                 # a good deploy`,
    `berth deploy --env sandbox${s} --tag fail-exit          # a broken one: ECS's circuit breaker rolls it back`,
    `berth logs --env sandbox${s} --since 10m --filter ERROR`,
    `berth health --env sandbox`,
    `curl ${health}`,
    `AWS_ACCESS_KEY_ID=${FAKE_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${FAKE_CREDENTIALS.secretAccessKey} AWS_DEFAULT_REGION=${rec.region} aws --endpoint-url ${rec.endpoint} ecs list-services --cluster ${names(env).cluster}`,
    `berth sandbox down`,
  ];
}

/** The services of the environment as ECS and the target groups report them. */
export async function serviceSummaries(env: EnvironmentConfig, rec: SandboxRecord): Promise<ServiceSummary[]> {
  const { environmentContext } = await import('./context.js');
  const clients = await import('../aws/clients.js');
  const { DescribeServicesCommand } = await import('../aws/sdk/ecs.js');
  const { DescribeTargetHealthCommand } = await import('../aws/sdk/elastic-load-balancing-v2.js');
  const ctx = environmentContext(env);
  const ecs = await clients.ecs(ctx);
  const elb = await clients.elbv2(ctx);
  const cluster = names(env).cluster;
  const wanted = env.services.map((s) => serviceNames(env, s).service);
  if (!wanted.length) return [];
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: wanted }));
  const result: ServiceSummary[] = [];
  for (const cfg of env.services) {
    const s = out.services?.find((x) => x.serviceName === cfg.name);
    const descriptions: Parameters<typeof tallyDescriptions>[0] = [];
    for (const lb of s?.loadBalancers ?? []) {
      if (!lb.targetGroupArn) continue;
      const th = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: lb.targetGroupArn }));
      descriptions.push(...(th.TargetHealthDescriptions ?? []));
    }
    const tally = tallyDescriptions(descriptions);
    const targets = { healthy: tally.healthy, unhealthy: tally.unhealthy, other: tally.total - tally.healthy - tally.unhealthy };
    const primary = s?.deployments?.find((d) => d.status === 'PRIMARY');
    const desired = s?.desiredCount ?? 0;
    const running = s?.runningCount ?? 0;
    result.push({
      name: cfg.name,
      cluster,
      desired,
      running,
      pending: s?.pendingCount ?? 0,
      targets,
      steady: isSettled(s, { tally, groups: s?.loadBalancers?.length ?? 0 }),
      taskDefinition: s?.taskDefinition,
      rolloutState: primary?.rolloutState,
      rolloutStateReason: primary?.rolloutStateReason,
      healthUrl: rec.publicUrl ? `${rec.publicUrl}${publicHealthPath(cfg)}` : undefined,
    });
  }
  return result;
}

/** One service that did not settle, in words: counts, and the deployment's state when it is not COMPLETED. */
export function unsettled(s: ServiceSummary): string {
  const rollout =
    s.rolloutState && s.rolloutState !== 'COMPLETED'
      ? `; its deployment is ${s.rolloutState}${s.rolloutStateReason ? ` (${s.rolloutStateReason})` : ''}`
      : '';
  return `${s.name} (${s.running}/${s.desired} running, ${s.targets.healthy} healthy${s.targets.unhealthy ? `, ${s.targets.unhealthy} unhealthy` : ''}${rollout})`;
}

export function unsettledHint(bad: ServiceSummary[], logFile: string): string {
  const failed = bad.filter((s) => s.rolloutState === 'FAILED');
  const restart = failed.length
    ? `A FAILED deployment never completes: \`berth doctor --env sandbox task-start\` says why its tasks stopped; once fixed, ${failed.map((s) => `\`berth restart --env sandbox --service ${s.name}\``).join(', ')} starts a new one. `
    : '';
  return `${restart}See \`berth status --env sandbox\` and the emulator's log ${logFile}.`;
}

async function waitSteady(env: EnvironmentConfig, rec: SandboxRecord, limitMs: number): Promise<ServiceSummary[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await serviceSummaries(env, rec);
    // A FAILED deployment is final (ECS's circuit breaker already rolled back, or had nothing to roll back to).
    if (s.every((x) => x.steady) || s.some((x) => x.rolloutState === 'FAILED') || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitPortsClosed(ports: number[], limitMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const open = [];
    for (const p of ports) if (await portOpen(p, 300)) open.push(p);
    if (!open.length) return ports;
    if (Date.now() > deadline)
      throw new BerthError(
        `the sandbox's port${open.length > 1 ? 's' : ''} ${open.join(', ')} still accept connections after the emulator stopped.`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `down --destroy`: every stack destroyed with terraform, reverse order. The error, if any, is thrown after the stop. */
async function destroyStacks(
  env: EnvironmentConfig,
  project: string,
  opts: DownOptions,
): Promise<{ stacks: StackOutcome[]; destroyed: boolean; error?: BerthError }> {
  await findTerraform();
  const { destroyEnvironment } = await import('../terraform/orchestrate.js');
  opts.reporter?.info(`Destroying the ${env.name} environment's stacks on the emulator...`);
  const local = sandboxEndpoint(env, project);
  const res = await destroyEnvironment(env, {
    autoApprove: true,
    reporter: opts.reporter,
    parallelism: opts.parallelism,
    timeouts: SANDBOX_TIMEOUTS,
    local,
  });
  const stacks = res.stacks.map(outcome);
  if (res.ok) return { stacks, destroyed: true };
  const failed = res.stacks.filter((s) => s.status === 'failed');
  const error = new BerthError(
    `destroy failed in ${failed.map((s) => `${s.stack} (${s.error?.message ?? 'failed'})`).join('; ') || 'some stacks'}; the emulator was stopped anyway, its data with it.`,
    { exitCode: res.exitCode === EXIT.OK ? EXIT.FAILED : res.exitCode, details: { stacks } },
  );
  return { stacks, destroyed: false, error };
}

/** Stop the recorded emulator if it is still ours; then its ports must refuse connections. */
async function stopEmulator(
  rec: SandboxRecord,
  ours: boolean,
  reporter?: Reporter,
): Promise<{ stoppedPid?: number; portsClosed: number[] }> {
  if (!ours) {
    if (rec.pid) reporter?.warn(`pid ${rec.pid} is no longer the sandbox's emulator; nothing was stopped.`);
    return { portsClosed: [] };
  }
  const step = await reporter?.step(`Stopping the emulator (pid ${rec.pid})`);
  await stopPid(rec.pid);
  if (isAlive(rec.pid)) {
    step?.fail();
    throw new BerthError(`the emulator (pid ${rec.pid}) is still running after SIGKILL.`, { hint: `See \`ps -p ${rec.pid}\`.` });
  }
  const portsClosed = await waitPortsClosed([rec.port, ...(rec.publicPort ? [rec.publicPort] : [])]);
  step?.succeed(`Emulator stopped (pid ${rec.pid}); ports ${portsClosed.join(', ')} closed`);
  return { stoppedPid: rec.pid, portsClosed };
}

export async function sandboxDown(opts: DownOptions = {}): Promise<DownResult> {
  const started = Date.now();
  const project = projectDir();
  const rec = readSandboxRecord(project);
  if (!rec)
    return {
      found: false,
      wasRunning: false,
      destroyed: false,
      stacks: [],
      portsClosed: [],
      removed: [],
      durationMs: Date.now() - started,
    };
  const env = sandboxEnvironment();
  const ours = await isOurEmulator(rec.pid, rec.port, rec.endpoint);
  const running = ours && (await answers(rec.endpoint, 2000));
  let d: Awaited<ReturnType<typeof destroyStacks>> = { stacks: [], destroyed: false };
  if (running && opts.destroy === true)
    d = hasState(env, project) ? await destroyStacks(env, project, opts) : { stacks: [], destroyed: true };
  const stopped = await stopEmulator(rec, ours, opts.reporter);
  const removed = await forgetState(env, project);
  removeSandboxRecord(project);
  removed.push(relative(project, sandboxRecordFile(project)));
  if (d.error) throw d.error;
  return {
    found: true,
    wasRunning: running,
    destroyed: d.destroyed,
    stacks: d.stacks,
    ...stopped,
    removed,
    durationMs: Date.now() - started,
  };
}

export async function sandboxStatus(opts: { services?: boolean } = {}): Promise<StatusResult> {
  const project = projectDir();
  const rec = readSandboxRecord(project);
  if (!rec) return { running: false, stale: false };
  const running = await live(rec);
  const base: StatusResult = {
    running,
    stale: !running,
    endpoint: rec.endpoint,
    region: rec.region,
    publicUrl: rec.publicUrl,
    pid: rec.pid,
    port: rec.port,
    startedAt: rec.startedAt,
    appliedAt: rec.appliedAt,
    logFile: existsSync(rec.logFile ?? '') ? rec.logFile : undefined,
  };
  if (running && opts.services !== false && rec.appliedAt) {
    const env = sandboxEnvironment();
    base.cluster = names(env).cluster;
    try {
      base.services = await serviceSummaries(env, rec);
    } catch {
      base.services = undefined;
    }
  }
  return base;
}
