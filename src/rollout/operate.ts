/**
 * What deploy, rollback, restart and scale share (deploy.ts, rollback.ts, restart.ts, scale.ts):
 * the AWS calls through EcsOps, the revision marks, the watch with its progress line, and the
 * checks before a change. Each verb registers/updates what it must, hands the change to watch()
 * (which asks the pure verdict) and builds its result (op-result.ts); exit codes are in
 * output/exit-codes.ts.
 */
import { FLAG_DEFAULTS } from '../cli-args/defaults.js';
import { parseDurationText } from '../cli-args/duration.js';
import { checkTag } from '../cli-args/image.js';
import type { AwsContext } from '../aws/context.js';
import { BerthError, UsageError } from '../output/errors.js';
import type { Step } from '../output/reporter.js';
import { healthUrl, httpCheck } from '../http/check.js';
import { shortTd } from '../ecs/ids.js';
import { parseImage } from '../ecs/image-ref.js';
import { sdkEcsOps, type EcsOps, type TaskDefinitionInfo, type ResourceTag, type UpdateServiceInput } from './ecs-ops.js';
import { backToRolling } from './release/settings.js';
import { makeFetcher } from './fetch.js';
import type { Op, WatchSettings } from './op-types.js';
import { locateFromTaskDefinition } from './target.js';
import type { Identity, ServiceSnap, WatchKind } from './types.js';
import { fmtDuration } from './verdict.js';
import { watch } from './watch.js';

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The AWS calls of an operation: the injected ones, or the SDK's. */
export function opsOf(op: Op): EcsOps {
  return op.ecsOps ?? sdkEcsOps(op.ctx);
}

/** A revision with its tags (bad input when it does not exist). */
export function describeTd(ctx: AwsContext, td: string): Promise<{ taskDefinition: TaskDefinitionInfo; tags: ResourceTag[] }> {
  return sdkEcsOps(ctx).describeTaskDefinition(td);
}

/** The same operation, located by what the running revision says (container, log group, ...). A new Op; the input is left as it was. */
export function relocated(op: Op, td: TaskDefinitionInfo): Op {
  return { ...op, loc: locateFromTaskDefinition(op.loc, td) };
}

/** UpdateService's input for a rolling change: `change`, and the strategy back to ROLLING after a progressive release. */
export function rollingUpdate(op: Op, svc: ServiceSnap, change: UpdateServiceInput): UpdateServiceInput {
  const dc = backToRolling(op.svc, svc.deploymentConfiguration);
  return dc ? { ...change, deploymentConfiguration: dc } : change;
}

/** The ids of the service's deployments before the change. */
export function previousDeploymentIds(svc: ServiceSnap): string[] {
  return (svc.deployments ?? []).map((d) => d.id!).filter(Boolean);
}

export async function tagRevision(op: Op, arn: string, key: string, warnings: string[]): Promise<void> {
  try {
    await opsOf(op).tagResource(arn, key, new Date().toISOString());
  } catch (e) {
    warnings.push(`could not mark ${shortTd(arn)} with ${key} (${(e as Error).name}); rollback will have less evidence to choose from`);
  }
}

export interface IdentityParts {
  newTd: string;
  oldTd: string;
  previous: string[];
  startedAt: number;
  tdInfo?: { runtimePlatform?: { cpuArchitecture?: string }; memory?: string };
  image?: string;
  deploymentId?: string;
  desiredCount?: number;
}

export function identityFor(op: Op, kind: WatchKind, s: WatchSettings, p: IdentityParts): Identity {
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

/** The smoke check's identity: off (with a warning) when the health URL cannot be reached from here. */
function smokeable(op: Op, id: Identity, warnings: string[]): Identity {
  const hu = healthUrl(op.env, op.svc, op.ctx);
  if (!id.smoke || hu.requestUrl) return id;
  const w = `not checking ${hu.publicUrl}: ${hu.unavailable}`;
  if (!warnings.includes(w)) warnings.push(w);
  op.reporter.warn(w);
  return { ...id, smoke: false };
}

function stepEnd(step: Step, title: string, res: Awaited<ReturnType<typeof watch>>): void {
  const j = res.judgement;
  const summary = `${title}: ${j.verdict} after ${fmtDuration(j.evidence.elapsedMs)}`;
  if (j.verdict === 'succeeded') step.succeed(summary);
  else if (j.verdict === 'superseded') step.warn(summary);
  else step.fail(summary);
}

/** Watch a change with a spinner (TTY) or one line per change (CI). */
export async function watchWithProgress(op: Op, identity: Identity, s: WatchSettings, title: string, warnings: string[]) {
  const id = smokeable(op, identity, warnings);
  const hu = healthUrl(op.env, op.svc, op.ctx);
  const step: Step = await op.reporter.step(title);
  const now = s.now ?? Date.now;
  const started = now();
  const res = await watch(
    id,
    {
      fetch: makeFetcher(op.ctx, op.loc, { now: s.now }),
      smoke: async () => {
        const r = await httpCheck(hu, { timeoutMs: 5000 });
        return { url: r.url, ok: r.ok, status: r.status, error: r.error, latencyMs: r.latencyMs };
      },
      sleep: s.sleep ?? sleepReal,
      now,
      onProgress: (line) => step.update(`${title} — ${line} (${fmtDuration(now() - started)})`),
    },
    {
      pollMs:
        s.pollMs ?? parseDurationText(op.ctx.sandbox ? FLAG_DEFAULTS.sandboxPollInterval : FLAG_DEFAULTS.pollInterval, '--poll-interval'),
    },
  );
  stepEnd(step, title, res);
  return res;
}

function deploymentLabel(d: NonNullable<ServiceSnap['deployments']>[number]): string {
  return `${d.id} ${shortTd(d.taskDefinition)} ${d.rolloutState ?? d.status}`;
}

export function inProgressWarning(svc: ServiceSnap): string | undefined {
  const ds = svc.deployments ?? [];
  if (ds.length > 1 || ds.some((d) => d.rolloutState === 'IN_PROGRESS'))
    return `another deployment was in progress when berth started (${ds.map(deploymentLabel).join('; ')}); this change replaces it`;
  return undefined;
}

/** --tag: the service's ECR repository URL (DescribeRepositories by the config's repository name) + tag. */
export async function imageForTag(op: Op, tag: string): Promise<string> {
  checkTag(tag);
  try {
    const uri = await opsOf(op).repositoryUri(op.svc.repository);
    if (!uri) throw new Error('no repositoryUri');
    return `${uri}:${tag}`;
  } catch (e) {
    if ((e as Error).name === 'RepositoryNotFoundException')
      throw new BerthError(`ECR repository ${op.svc.repository} not found, so --tag cannot be resolved.`, {
        hint: 'Create it (`berth apply`, registry stack) or pass --image <uri:tag>.',
      });
    throw e;
  }
}

/**
 * Before changing anything: is the image in ECR? Only for images in this service's repository;
 * a missing tag is bad input (exit 2), anything else we cannot tell is only a warning.
 */
export async function checkImageExists(op: Op, image: string, warnings: string[]): Promise<void> {
  const ref = parseImage(image);
  if (!ref?.registry || !/\.dkr\.ecr\./.test(ref.registry) || ref.repository !== op.svc.repository) return;
  try {
    await opsOf(op).describeImage(ref.repository, ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ImageNotFoundException')
      throw new UsageError(`image ${image} is not in ECR: nothing was changed.`, {
        hint: 'Push it first (docker build --platform linux/amd64 ..., docker push), or fix the tag. --no-image-check skips this check.',
      });
    warnings.push(`could not check that ${image} exists in ECR (${name}); deploying anyway`);
  }
}
