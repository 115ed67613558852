/**
 * deploy, rollback, restart and scale: the I/O around the watch. Each registers/updates what it
 * must, hands the change to watch() (which asks the pure verdict), and on failure rolls back and
 * watches that too. Results carry everything a script needs; exit codes are in output/exit-codes.ts.
 */
import { FLAG_DEFAULTS } from '../cli-args/defaults.js';
import { parseDurationText } from '../cli-args/duration.js';
import type { AwsContext } from '../aws/context.js';
import { autoscaling, ecr, ecs } from '../aws/clients.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { BerthError, UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Reporter, Step } from '../output/reporter.js';
import { healthUrl, httpCheck } from '../http/check.js';
import { describeService, makeFetcher, type ServiceLocator } from './fetch.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import { FAILED_TAG, HEALTHY_TAG } from '../ecs/revisions.js';
import { isSettledWithTasks } from '../ecs/settled.js';
import { selectRollbackTarget, sameTd, type HistoryEntry, type RevisionInfo, type RollbackTarget } from './rollback-target.js';
import { checkImage, checkTag } from '../cli-args/image.js';
import { parseImage } from '../ecs/image-ref.js';
import { copyWithImage, imageOf, type TaskDefinitionLike } from './taskdef.js';
import { locateFromTaskDefinition, scalableResourceId } from './target.js';
import type { FailureGroup, Identity, Judgement, ServiceSnap, WatchKind } from './types.js';
import { fmtDuration } from './verdict.js';
import { watch } from './watch.js';

export interface Op {
  env: EnvironmentConfig;
  svc: ServiceConfig;
  ctx: AwsContext;
  loc: ServiceLocator;
  reporter: Reporter;
}

export interface WatchSettings {
  timeoutMs: number;
  maxFailedTasks: number;
  smoke: boolean;
  pollMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RevisionRef {
  arn: string;
  revision?: number;
  image?: string;
}

export interface RollbackOutcome {
  by: 'berth' | 'ecs';
  to: RevisionRef;
  deploymentId?: string;
  verdict: Judgement['verdict'];
  reasons: string[];
  durationSeconds: number;
}

export interface OpResult {
  ok: boolean;
  command: 'deploy' | 'rollback' | 'restart' | 'scale';
  service: string;
  cluster: string;
  verdict: Judgement['verdict'];
  exitCode: number;
  image?: string;
  oldRevision: RevisionRef;
  newRevision: RevisionRef;
  deploymentId?: string;
  desiredCount?: number;
  reasons: string[];
  failures: FailureGroup[];
  rollback: RollbackOutcome | null;
  durations: { startedAt: string; verdictAfterSeconds: number; rollbackSeconds?: number; totalSeconds: number };
  warnings: string[];
  /** deploy --run-first: the one-off task's result (src/run/run-first.ts). */
  runFirst?: unknown;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function describeTd(ctx: AwsContext, td: string): Promise<{ taskDefinition: TaskDefinitionLike & { taskDefinitionArn?: string; runtimePlatform?: { cpuArchitecture?: string }; memory?: string }; tags: { key?: string; value?: string }[] }> {
  const { DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const client = await ecs(ctx);
  try {
    const r = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: td, include: ['TAGS'] }));
    return { taskDefinition: r.taskDefinition as never, tags: r.tags ?? [] };
  } catch (e) {
    if ((e as Error).name === 'ClientException' || (e as Error).name === 'InvalidParameterException') throw new UsageError(`task definition ${td} not found: ${(e as Error).message}`);
    throw e;
  }
}

export async function tagRevision(op: Op, arn: string, key: string, warnings: string[]): Promise<void> {
  try {
    const { TagResourceCommand } = await import('@aws-sdk/client-ecs');
    await (await ecs(op.ctx)).send(new TagResourceCommand({ resourceArn: arn, tags: [{ key, value: new Date().toISOString() }] }));
  } catch (e) {
    warnings.push(`could not mark ${shortTd(arn)} with ${key} (${(e as Error).name}); rollback will have less evidence to choose from`);
  }
}

function identityFor(op: Op, kind: WatchKind, s: WatchSettings, p: { newTd: string; oldTd: string; previous: string[]; startedAt: number; tdInfo?: { runtimePlatform?: { cpuArchitecture?: string }; memory?: string }; image?: string; deploymentId?: string; desiredCount?: number }): Identity {
  return {
    kind,
    service: op.svc.name,
    newTaskDefinition: p.newTd,
    oldTaskDefinition: p.oldTd,
    previousDeploymentIds: p.previous,
    deploymentId: p.deploymentId,
    startedAt: p.startedAt,
    timeoutMs: s.timeoutMs,
    maxFailedTasks: s.maxFailedTasks,
    smoke: s.smoke,
    desiredCount: p.desiredCount,
    container: op.loc.container,
    cpuArchitecture: p.tdInfo?.runtimePlatform?.cpuArchitecture ?? op.svc.cpuArchitecture,
    memory: p.tdInfo?.memory ? Number(p.tdInfo.memory) : op.svc.memory,
    image: p.image,
    healthPath: op.svc.healthPath,
    port: op.svc.port,
  };
}

/** Watch a change with a spinner (TTY) or one line per change (CI). */
async function watchWithProgress(op: Op, id: Identity, s: WatchSettings, title: string, warnings: string[]) {
  const hu = healthUrl(op.env, op.svc, op.ctx);
  if (id.smoke && !hu.requestUrl) {
    id = { ...id, smoke: false };
    const w = `not checking ${hu.publicUrl}: ${hu.unavailable}`;
    if (!warnings.includes(w)) warnings.push(w);
    op.reporter.warn(w);
  }
  const step: Step = await op.reporter.step(title);
  const fetch = makeFetcher(op.ctx, op.loc, { now: s.now });
  const started = (s.now ?? Date.now)();
  const res = await watch(
    id,
    {
      fetch,
      smoke: async () => {
        const r = await httpCheck(hu, { timeoutMs: 5000 });
        return { url: r.url, ok: r.ok, status: r.status, error: r.error, latencyMs: r.latencyMs };
      },
      sleep: s.sleep ?? sleepReal,
      now: s.now ?? Date.now,
      onProgress: (line) => step.update(`${title} — ${line} (${fmtDuration((s.now ?? Date.now)() - started)})`),
    },
    { pollMs: s.pollMs ?? parseDurationText(op.ctx.sandbox ? FLAG_DEFAULTS.sandboxPollInterval : FLAG_DEFAULTS.pollInterval, '--poll-interval') },
  );
  const j = res.judgement;
  const summary = `${title}: ${j.verdict} after ${fmtDuration(j.evidence.elapsedMs)}`;
  if (j.verdict === 'succeeded') step.succeed(summary);
  else if (j.verdict === 'superseded') step.warn(summary);
  else step.fail(summary);
  return res;
}

async function updateService(op: Op, input: { taskDefinition?: string; forceNewDeployment?: boolean; desiredCount?: number }): Promise<void> {
  const { UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
  await (await ecs(op.ctx)).send(new UpdateServiceCommand({ cluster: op.loc.cluster, service: op.loc.service, ...input }));
}

function inProgressWarning(svc: ServiceSnap): string | undefined {
  const ds = svc.deployments ?? [];
  if (ds.length > 1 || ds.some((d) => d.rolloutState === 'IN_PROGRESS'))
    return `another deployment was in progress when berth started (${ds.map((d) => `${d.id} ${shortTd(d.taskDefinition)} ${d.rolloutState ?? d.status}`).join('; ')}); this change replaces it`;
  return undefined;
}

/** --tag: the service's ECR repository URL (DescribeRepositories by the config's repository name) + tag. */
export async function imageForTag(op: Op, tag: string): Promise<string> {
  checkTag(tag);
  const { DescribeRepositoriesCommand } = await import('@aws-sdk/client-ecr');
  try {
    const r = await (await ecr(op.ctx)).send(new DescribeRepositoriesCommand({ repositoryNames: [op.svc.repository] }));
    const uri = r.repositories?.[0]?.repositoryUri;
    if (!uri) throw new Error('no repositoryUri');
    return `${uri}:${tag}`;
  } catch (e) {
    if ((e as Error).name === 'RepositoryNotFoundException')
      throw new BerthError(`ECR repository ${op.svc.repository} not found, so --tag cannot be resolved.`, { hint: 'Create it (`berth apply`, registry stack) or pass --image <uri:tag>.' });
    throw e;
  }
}

/**
 * Before changing anything: is the image in ECR? Only for images in this service's repository;
 * a missing tag is bad input (exit 2), anything else we cannot tell is only a warning.
 */
async function checkImageExists(op: Op, image: string, warnings: string[]): Promise<void> {
  const ref = parseImage(image);
  if (!ref?.registry || !/\.dkr\.ecr\./.test(ref.registry) || ref.repository !== op.svc.repository) return;
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
  try {
    await (await ecr(op.ctx)).send(new DescribeImagesCommand({ repositoryName: ref.repository, imageIds: [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag }] }));
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ImageNotFoundException')
      throw new UsageError(`image ${image} is not in ECR: nothing was changed.`, { hint: 'Push it first (docker build --platform linux/amd64 ..., docker push), or fix the tag. --no-image-check skips this check.' });
    warnings.push(`could not check that ${image} exists in ECR (${name}); deploying anyway`);
  }
}

function baseResult(op: Op, command: OpResult['command'], startedAt: number, oldRev: RevisionRef, newRev: RevisionRef, warnings: string[]): OpResult {
  return {
    ok: false,
    command,
    service: op.svc.name,
    cluster: op.loc.cluster,
    verdict: 'in-progress',
    exitCode: EXIT.FAILED,
    oldRevision: oldRev,
    newRevision: newRev,
    reasons: [],
    failures: [],
    rollback: null,
    durations: { startedAt: new Date(startedAt).toISOString(), verdictAfterSeconds: 0, totalSeconds: 0 },
    warnings,
  };
}

async function berthRollback(op: Op, s: WatchSettings, to: RevisionRef, from: string, warnings: string[]): Promise<RollbackOutcome> {
  const now = s.now ?? Date.now;
  const started = now();
  const svc = await describeService(op.ctx, op.loc);
  const previous = (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
  await updateService(op, { taskDefinition: to.arn });
  const td = await describeTd(op.ctx, to.arn).catch(() => undefined);
  const id = identityFor(op, 'rollback', s, { newTd: to.arn, oldTd: from, previous, startedAt: started, tdInfo: td?.taskDefinition, image: to.image });
  const res = await watchWithProgress(op, id, s, `rolling back to ${shortTd(to.arn)}`, warnings);
  return { by: 'berth', to, deploymentId: res.judgement.evidence.deploymentId, verdict: res.judgement.verdict, reasons: res.judgement.reasons, durationSeconds: Math.round((now() - started) / 1000) };
}

async function verifyEcsRollback(op: Op, s: WatchSettings, to: RevisionRef, failed: string, previous: string[], rollbackDeploymentId: string | undefined, warnings: string[]): Promise<RollbackOutcome> {
  const now = s.now ?? Date.now;
  const started = now();
  const id = identityFor(op, 'ecs-rollback', s, { newTd: to.arn, oldTd: failed, previous, startedAt: started, deploymentId: rollbackDeploymentId, image: to.image });
  const res = await watchWithProgress(op, id, s, `verifying ECS's rollback to ${shortTd(to.arn)}`, warnings);
  return { by: 'ecs', to, deploymentId: res.judgement.evidence.deploymentId, verdict: res.judgement.verdict, reasons: res.judgement.reasons, durationSeconds: Math.round((now() - started) / 1000) };
}

export interface DeployOptions extends WatchSettings {
  image?: string;
  tag?: string;
  rollback: boolean;
  imageCheck?: boolean;
  /**
   * Runs once the new revision is registered, before the service is updated (deploy --run-first).
   * A returned stop ends the release there: the service is not touched, the revision is marked failed.
   */
  beforeUpdate?: (newRev: RevisionRef) => Promise<BeforeUpdateStop | undefined>;
}

export interface BeforeUpdateStop {
  exitCode: number;
  reasons: string[];
  failures: FailureGroup[];
  detail: unknown;
}

export async function deploy(op: Op, o: DeployOptions): Promise<OpResult> {
  if (o.image && o.tag) throw new UsageError('pass either --image or --tag, not both.');
  if (!o.image && !o.tag) throw new UsageError('deploy needs --image <uri:tag> or --tag <tag>.');
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  const image = o.image ? checkImage(o.image) : await imageForTag(op, o.tag!);
  const svc = await describeService(op.ctx, op.loc);
  const current = svc.taskDefinition;
  if (!current) throw new BerthError(`service ${op.svc.name} reports no task definition.`);
  if (o.imageCheck !== false) await checkImageExists(op, image, warnings);
  const { taskDefinition: td, tags } = await describeTd(op.ctx, current);
  const oldImage = imageOf(td, op.loc.container);
  if (oldImage === image) warnings.push(`${shortTd(current)} already runs ${image}; deploying it again as a new revision`);
  const w = inProgressWarning(svc);
  if (w) warnings.push(w);
  op.loc = locateFromTaskDefinition(op.loc, td);
  // Settled with tasks running: its revision is known good.
  if (isSettledWithTasks(svc)) await tagRevision(op, current, HEALTHY_TAG, warnings);

  const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const input = copyWithImage(td, op.loc.container, image, tags);
  const reg = await (await ecs(op.ctx)).send(new RegisterTaskDefinitionCommand(input as never));
  const newArn = reg.taskDefinition?.taskDefinitionArn;
  if (!newArn) throw new BerthError('RegisterTaskDefinition returned no ARN.');
  op.reporter.info(`registered ${shortTd(newArn)} (${image}), was ${shortTd(current)} (${oldImage ?? '?'})`);
  const oldRev: RevisionRef = { arn: current, revision: revisionOf(current), image: oldImage };
  const newRev: RevisionRef = { arn: newArn, revision: revisionOf(newArn), image };
  const stop = o.beforeUpdate ? await o.beforeUpdate(newRev) : undefined;
  if (stop) {
    const result = baseResult(op, 'deploy', now(), oldRev, newRev, warnings);
    Object.assign(result, { image, verdict: 'failed', exitCode: stop.exitCode, reasons: stop.reasons, failures: stop.failures, runFirst: stop.detail });
    await tagRevision(op, newArn, FAILED_TAG, warnings);
    return result;
  }

  const previous = (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
  const startedAt = now();
  await updateService(op, { taskDefinition: newArn });
  const id = identityFor(op, 'deploy', o, { newTd: newArn, oldTd: current, previous, startedAt, tdInfo: reg.taskDefinition as never, image });
  const res = await watchWithProgress(op, id, o, `deploying ${shortTd(newArn)}`, warnings);
  const j = res.judgement;
  const result = baseResult(op, 'deploy', startedAt, oldRev, newRev, warnings);
  result.image = image;
  result.verdict = j.verdict;
  result.deploymentId = j.evidence.deploymentId;
  result.reasons = j.reasons;
  result.failures = j.evidence.failures;
  result.durations.verdictAfterSeconds = Math.round(j.evidence.elapsedMs / 1000);

  if (j.verdict === 'succeeded') {
    result.ok = true;
    result.exitCode = EXIT.DEPLOY_SUCCEEDED;
    await tagRevision(op, newArn, HEALTHY_TAG, warnings);
  } else if (j.verdict === 'superseded') {
    result.exitCode = EXIT.DEPLOY_SUPERSEDED;
  } else {
    await tagRevision(op, newArn, FAILED_TAG, warnings);
    if (j.verdict === 'rolled-back-by-ecs') {
      result.rollback = await verifyEcsRollback(op, o, oldRev, newArn, [...previous, ...(j.evidence.deploymentId ? [j.evidence.deploymentId] : [])], j.evidence.rollbackDeploymentId, warnings);
      result.exitCode = result.rollback.verdict === 'succeeded' ? EXIT.DEPLOY_FAILED_ROLLED_BACK : EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
    } else if (!o.rollback) {
      result.exitCode = j.verdict === 'timed-out' ? EXIT.DEPLOY_TIMED_OUT : EXIT.DEPLOY_FAILED_NO_ROLLBACK;
    } else {
      result.rollback = await berthRollback(op, o, oldRev, newArn, warnings);
      if (result.rollback.verdict !== 'succeeded') result.exitCode = EXIT.DEPLOY_FAILED_ROLLBACK_FAILED;
      else result.exitCode = j.verdict === 'timed-out' ? EXIT.DEPLOY_TIMED_OUT : EXIT.DEPLOY_FAILED_ROLLED_BACK;
    }
    if (result.rollback) {
      result.durations.rollbackSeconds = result.rollback.durationSeconds;
      if (result.rollback.verdict === 'succeeded') await tagRevision(op, oldRev.arn, HEALTHY_TAG, warnings);
    }
  }
  result.durations.totalSeconds = Math.round((now() - startedAt) / 1000);
  return result;
}

/** The family's recent ACTIVE revisions with their app image and tags (newest first, at most `max`). */
async function recentRevisions(op: Op, family: string, max = 25): Promise<RevisionInfo[]> {
  const { ListTaskDefinitionsCommand } = await import('@aws-sdk/client-ecs');
  const r = await (await ecs(op.ctx)).send(new ListTaskDefinitionsCommand({ familyPrefix: family, sort: 'DESC', status: 'ACTIVE', maxResults: max }));
  const arns = (r.taskDefinitionArns ?? []).filter((a) => shortTd(a).replace(/:\d+$/, '') === family).slice(0, max);
  const out: RevisionInfo[] = [];
  for (let i = 0; i < arns.length; i += 5) {
    const batch = await Promise.all(
      arns.slice(i, i + 5).map(async (arn) => {
        const d = await describeTd(op.ctx, arn);
        return { arn, revision: revisionOf(arn), status: (d.taskDefinition as { status?: string }).status, image: imageOf(d.taskDefinition, op.loc.container), tags: d.tags };
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** ECS's own deployment history (ListServiceDeployments); undefined where the API does not answer. */
export async function ecsHistory(op: Op): Promise<HistoryEntry[] | undefined> {
  try {
    const { ListServiceDeploymentsCommand, DescribeServiceRevisionsCommand } = await import('@aws-sdk/client-ecs');
    const client = await ecs(op.ctx);
    const r = await client.send(new ListServiceDeploymentsCommand({ cluster: op.loc.cluster, service: op.loc.service, status: ['SUCCESSFUL'], maxResults: 20 }));
    const deps = r.serviceDeployments ?? [];
    const revArns = [...new Set(deps.map((d) => d.targetServiceRevisionArn).filter((x): x is string => Boolean(x)))];
    if (!revArns.length) return [];
    const revs = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revArns.slice(0, 20) }));
    const tdOf = new Map((revs.serviceRevisions ?? []).map((x) => [x.serviceRevisionArn, x.taskDefinition]));
    return deps.flatMap((d) => {
      const td = tdOf.get(d.targetServiceRevisionArn);
      return td ? [{ taskDefinition: td, status: d.status ?? '', finishedAt: d.finishedAt }] : [];
    });
  } catch {
    return undefined;
  }
}

export interface RollbackOptions extends WatchSettings {
  to?: string;
  yes?: boolean;
  /** Asks the person; only called with a TTY. */
  confirm?: (question: string) => Promise<boolean>;
  canPrompt: boolean;
}

export async function chooseRollbackTarget(op: Op, svc: ServiceSnap, to: string | undefined, warnings: string[]): Promise<RollbackTarget> {
  const current = svc.taskDefinition!;
  const family = shortTd(current).replace(/:\d+$/, '');
  if (to) {
    let arn: string | undefined;
    if (/^\d+$/.test(to)) arn = `${family}:${to}`;
    else if (/^arn:aws[a-z-]*:ecs:/.test(to) || new RegExp(`^${family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`).test(to)) arn = to;
    if (arn) {
      const d = await describeTd(op.ctx, arn);
      const full = d.taskDefinition.taskDefinitionArn ?? arn;
      if ((d.taskDefinition as { status?: string }).status === 'INACTIVE') warnings.push(`${shortTd(full)} is deregistered (INACTIVE); ECS can still run it`);
      return { arn: full, revision: revisionOf(full), image: imageOf(d.taskDefinition, op.loc.container), source: 'explicit', why: `--to ${to}` };
    }
    if (/^[^:]+:\d+$/.test(to) && !to.includes('/')) throw new UsageError(`--to ${to}: not a revision of ${family}.`, { hint: `Use a revision number, ${family}:<n>, an ARN, or an image reference.` });
    const image = checkImage(to);
    const revs = await recentRevisions(op, family);
    const match = revs.find((r) => r.image === image && !sameTd(r.arn, current));
    if (match) return { arn: match.arn, revision: match.revision, image, source: 'explicit', why: `--to ${to}: the newest revision running that image` };
    const { taskDefinition, tags } = await describeTd(op.ctx, current);
    const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    const reg = await (await ecs(op.ctx)).send(new RegisterTaskDefinitionCommand(copyWithImage(taskDefinition, op.loc.container, image, tags) as never));
    const arn2 = reg.taskDefinition!.taskDefinitionArn!;
    warnings.push(`no revision ran ${image}; registered ${shortTd(arn2)} from ${shortTd(current)} with that image`);
    return { arn: arn2, revision: revisionOf(arn2), image, source: 'explicit', why: `--to ${to}: a new revision of the current one with that image` };
  }
  const [revisions, history] = await Promise.all([recentRevisions(op, family), ecsHistory(op)]);
  const t = selectRollbackTarget({ current, deployments: svc.deployments ?? [], history, revisions });
  if (t.warning) warnings.push(t.warning);
  return t;
}

export async function rollback(op: Op, o: RollbackOptions): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  const svc = await describeService(op.ctx, op.loc);
  const current = svc.taskDefinition;
  if (!current) throw new BerthError(`service ${op.svc.name} reports no task definition.`);
  const curTd = await describeTd(op.ctx, current);
  op.loc = locateFromTaskDefinition(op.loc, curTd.taskDefinition);
  const target = await chooseRollbackTarget(op, svc, o.to, warnings);
  if (sameTd(target.arn, current)) throw new UsageError(`${op.svc.name} already runs ${shortTd(current)}: nothing to roll back.`);
  const oldRev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(curTd.taskDefinition, op.loc.container) };
  const newRev: RevisionRef = { arn: target.arn, revision: target.revision, image: target.image };
  const question = `Roll ${op.svc.name} in ${op.env.name} back from ${shortTd(current)} (${oldRev.image ?? '?'}) to ${shortTd(target.arn)} (${target.image ?? '?'})? Chosen because ${target.why}.`;
  if (!o.yes) {
    if (!o.canPrompt || !o.confirm) throw new UsageError('rollback changes a running service: pass --yes to confirm (no terminal to ask on).', { details: { from: oldRev, to: newRev, why: target.why } });
    if (!(await o.confirm(question))) throw new UsageError('rollback cancelled: nothing was changed.');
  }
  for (const w of warnings) op.reporter.warn(w);
  const previous = (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
  const startedAt = now();
  await updateService(op, { taskDefinition: target.arn });
  const tdInfo = await describeTd(op.ctx, target.arn).catch(() => undefined);
  const id = identityFor(op, 'rollback', o, { newTd: target.arn, oldTd: current, previous, startedAt, tdInfo: tdInfo?.taskDefinition, image: target.image });
  const res = await watchWithProgress(op, id, o, `rolling back to ${shortTd(target.arn)}`, warnings);
  const j = res.judgement;
  const result = baseResult(op, 'rollback', startedAt, oldRev, newRev, warnings);
  Object.assign(result, { image: target.image, verdict: j.verdict, deploymentId: j.evidence.deploymentId, reasons: [`target chosen: ${target.why} (${target.source})`, ...j.reasons], failures: j.evidence.failures });
  result.durations.verdictAfterSeconds = Math.round(j.evidence.elapsedMs / 1000);
  result.exitCode = exitFor(j.verdict, 'rollback');
  result.ok = j.verdict === 'succeeded';
  await tagRevision(op, target.arn, result.ok ? HEALTHY_TAG : FAILED_TAG, warnings);
  result.durations.totalSeconds = Math.round((now() - startedAt) / 1000);
  return result;
}

/** Exit codes of changes that have nothing to roll back to (rollback itself, restart, scale). */
export function exitFor(v: Judgement['verdict'], command: 'rollback' | 'restart' | 'scale'): number {
  switch (v) {
    case 'succeeded':
      return EXIT.DEPLOY_SUCCEEDED;
    case 'superseded':
      return EXIT.DEPLOY_SUPERSEDED;
    case 'timed-out':
      return EXIT.DEPLOY_TIMED_OUT;
    default:
      // A failed rollback is "rollback failed"; a failed restart/scale has nothing to roll back to.
      return command === 'rollback' ? EXIT.DEPLOY_FAILED_ROLLBACK_FAILED : EXIT.DEPLOY_FAILED_NO_ROLLBACK;
  }
}

export async function restart(op: Op, o: WatchSettings): Promise<OpResult> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  const svc = await describeService(op.ctx, op.loc);
  const current = svc.taskDefinition!;
  const td = await describeTd(op.ctx, current);
  op.loc = locateFromTaskDefinition(op.loc, td.taskDefinition);
  const w = inProgressWarning(svc);
  if (w) warnings.push(w);
  const rev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(td.taskDefinition, op.loc.container) };
  const previous = (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
  const startedAt = now();
  await updateService(op, { forceNewDeployment: true });
  const id = identityFor(op, 'restart', o, { newTd: current, oldTd: current, previous, startedAt, tdInfo: td.taskDefinition, image: rev.image });
  const res = await watchWithProgress(op, id, o, `restarting ${op.svc.name} (${shortTd(current)})`, warnings);
  return finishSimple(op, 'restart', res.judgement, startedAt, rev, rev, warnings, now);
}

function finishSimple(op: Op, command: 'restart' | 'scale', j: Judgement, startedAt: number, oldRev: RevisionRef, newRev: RevisionRef, warnings: string[], now: () => number): OpResult {
  const result = baseResult(op, command, startedAt, oldRev, newRev, warnings);
  Object.assign(result, { image: newRev.image, verdict: j.verdict, deploymentId: j.evidence.deploymentId, reasons: j.reasons, failures: j.evidence.failures });
  result.ok = j.verdict === 'succeeded';
  result.exitCode = exitFor(j.verdict, command);
  result.durations.verdictAfterSeconds = Math.round(j.evidence.elapsedMs / 1000);
  result.durations.totalSeconds = Math.round((now() - startedAt) / 1000);
  return result;
}

export interface ScalableRange {
  min: number;
  max: number;
  resourceId: string;
}

export async function scalableRange(ctx: AwsContext, cluster: string, service: string): Promise<ScalableRange | undefined> {
  const { DescribeScalableTargetsCommand } = await import('@aws-sdk/client-application-auto-scaling');
  const resourceId = scalableResourceId(cluster, service);
  const r = await (await autoscaling(ctx)).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId], ScalableDimension: 'ecs:service:DesiredCount' }));
  const t = r.ScalableTargets?.[0];
  return t ? { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0, resourceId } : undefined;
}

export interface ScaleOptions extends WatchSettings {
  count: number;
  updateRange?: boolean;
}

export async function scale(op: Op, o: ScaleOptions): Promise<OpResult & { range?: { min: number; max: number; updated: boolean } }> {
  const now = o.now ?? Date.now;
  const warnings: string[] = [];
  if (!Number.isInteger(o.count) || o.count < 0) throw new UsageError(`--count ${o.count}: expected a whole number, 0 or more.`);
  const range = await scalableRange(op.ctx, op.loc.cluster, op.loc.service);
  let rangeOut: { min: number; max: number; updated: boolean } | undefined = range ? { min: range.min, max: range.max, updated: false } : undefined;
  if (range && (o.count < range.min || o.count > range.max)) {
    if (!o.updateRange)
      throw new UsageError(`--count ${o.count} is outside the autoscaling range ${range.min}..${range.max} of ${op.svc.name}: autoscaling would undo it. Nothing was changed.`, {
        hint: 'Pass --update-range to move the range too, or pick a count inside it.',
        details: { min: range.min, max: range.max },
      });
  }
  const svc = await describeService(op.ctx, op.loc);
  const current = svc.taskDefinition!;
  const td = await describeTd(op.ctx, current);
  op.loc = locateFromTaskDefinition(op.loc, td.taskDefinition);
  if (range && o.updateRange && (o.count < range.min || o.count > range.max)) {
    const { RegisterScalableTargetCommand } = await import('@aws-sdk/client-application-auto-scaling');
    const min = Math.min(range.min, o.count);
    const max = Math.max(range.max, o.count);
    await (await autoscaling(op.ctx)).send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: range.resourceId, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: min, MaxCapacity: max }));
    rangeOut = { min, max, updated: true };
    op.reporter.info(`autoscaling range of ${op.svc.name}: ${range.min}..${range.max} -> ${min}..${max}`);
  }
  if (!range) warnings.push(`${op.svc.name} has no autoscaling target; the count stays until someone changes it`);
  const rev: RevisionRef = { arn: current, revision: revisionOf(current), image: imageOf(td.taskDefinition, op.loc.container) };
  const previous = (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
  const startedAt = now();
  await updateService(op, { desiredCount: o.count });
  const id = identityFor(op, 'scale', o, { newTd: current, oldTd: current, previous, startedAt, tdInfo: td.taskDefinition, image: rev.image, desiredCount: o.count });
  const res = await watchWithProgress(op, id, o, `scaling ${op.svc.name} from ${svc.desiredCount ?? '?'} to ${o.count}`, warnings);
  const result = finishSimple(op, 'scale', res.judgement, startedAt, rev, rev, warnings, now);
  return { ...result, desiredCount: o.count, range: rangeOut };
}

/** Human rendering of any OpResult. */
export function renderOp(r: OpResult): string {
  const lines: string[] = [];
  const head: Record<string, string> = {
    succeeded: 'succeeded',
    failed: 'FAILED',
    'rolled-back-by-ecs': 'FAILED (ECS rolled it back)',
    superseded: 'SUPERSEDED by another deployment',
    'timed-out': 'TIMED OUT',
    'in-progress': 'in progress',
  };
  lines.push(`${r.command} ${r.service}: ${head[r.verdict] ?? r.verdict} after ${r.durations.verdictAfterSeconds}s (exit ${r.exitCode})`);
  if (r.command === 'deploy' || r.command === 'rollback') lines.push(`  ${shortTd(r.oldRevision.arn)} (${r.oldRevision.image ?? '?'}) -> ${shortTd(r.newRevision.arn)} (${r.newRevision.image ?? '?'})`);
  else lines.push(`  ${shortTd(r.newRevision.arn)} (${r.newRevision.image ?? '?'})${r.desiredCount !== undefined ? `, desired ${r.desiredCount}` : ''}`);
  if (r.deploymentId) lines.push(`  deployment ${r.deploymentId}`);
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  for (const f of r.failures) {
    if (!f.logLines?.length) continue;
    lines.push(`  last log lines of task ${f.logTaskId} (${f.kind}):`);
    for (const l of f.logLines.slice(-15)) lines.push(`    | ${l}`);
  }
  if (r.rollback) {
    const rb = r.rollback;
    lines.push(`rollback by ${rb.by === 'ecs' ? 'ECS (circuit breaker)' : 'berth'} to ${shortTd(rb.to.arn)}: ${rb.verdict} after ${rb.durationSeconds}s`);
    if (rb.verdict !== 'succeeded') for (const reason of rb.reasons) lines.push(`  - ${reason}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
