/**
 * Which revision a rollback goes to: the one named by --to (a revision, an ARN or an image), or the
 * one the evidence picks (selectRollbackTarget over the family's revisions and ECS's history).
 */
import { checkImage } from '../cli-args/image.js';
import { revisionOf, shortTd } from '../ecs/ids.js';
import { UsageError } from '../output/errors.js';
import type { Op } from './op-types.js';
import { opsOf } from './operate.js';
import { selectRollbackTarget, sameTd, type HistoryEntry, type RevisionInfo, type RollbackTarget } from './rollback-target.js';
import { copyWithImage, imageOf } from './taskdef.js';
import type { ServiceSnap } from './types.js';

/** The family's recent ACTIVE revisions with their app image and tags (newest first, at most `max`). */
async function recentRevisions(op: Op, family: string, max = 25): Promise<RevisionInfo[]> {
  const ops = opsOf(op);
  const arns = (await ops.listTaskDefinitions(family, max)).filter((a) => shortTd(a).replace(/:\d+$/, '') === family).slice(0, max);
  const out: RevisionInfo[] = [];
  for (let i = 0; i < arns.length; i += 5) {
    const batch = await Promise.all(
      arns.slice(i, i + 5).map(async (arn) => {
        const d = await ops.describeTaskDefinition(arn);
        return {
          arn,
          revision: revisionOf(arn),
          status: d.taskDefinition.status,
          image: imageOf(d.taskDefinition, op.loc.container),
          tags: d.tags,
        };
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** ECS's own deployment history (ListServiceDeployments); undefined where the API does not answer. */
export async function ecsHistory(op: Op): Promise<HistoryEntry[] | undefined> {
  try {
    return await opsOf(op).successfulDeployments(op.loc);
  } catch {
    return undefined;
  }
}

/** --to as a revision of the family (a number, family:n or an ARN); undefined when it is none of those. */
function revisionArg(to: string, family: string): string | undefined {
  if (/^\d+$/.test(to)) return `${family}:${to}`;
  if (/^arn:aws[a-z-]*:ecs:/.test(to) || new RegExp(`^${family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`).test(to)) return to;
  return undefined;
}

async function namedRevision(op: Op, arn: string, to: string, warnings: string[]): Promise<RollbackTarget> {
  const d = await opsOf(op).describeTaskDefinition(arn);
  const full = d.taskDefinition.taskDefinitionArn ?? arn;
  if (d.taskDefinition.status === 'INACTIVE') warnings.push(`${shortTd(full)} is deregistered (INACTIVE); ECS can still run it`);
  return {
    arn: full,
    revision: revisionOf(full),
    image: imageOf(d.taskDefinition, op.loc.container),
    source: 'explicit',
    why: `--to ${to}`,
  };
}

/** --to <image>: the newest revision that ran it, else a new revision of the current one with that image. */
async function revisionForImage(op: Op, current: string, family: string, to: string, warnings: string[]): Promise<RollbackTarget> {
  const image = checkImage(to);
  const revs = await recentRevisions(op, family);
  const match = revs.find((r) => r.image === image && !sameTd(r.arn, current));
  if (match)
    return {
      arn: match.arn,
      revision: match.revision,
      image,
      source: 'explicit',
      why: `--to ${to}: the newest revision running that image`,
    };
  const ops = opsOf(op);
  const { taskDefinition, tags } = await ops.describeTaskDefinition(current);
  const reg = await ops.registerTaskDefinition(copyWithImage(taskDefinition, op.loc.container, image, tags));
  const arn2 = reg.arn!;
  warnings.push(`no revision ran ${image}; registered ${shortTd(arn2)} from ${shortTd(current)} with that image`);
  return {
    arn: arn2,
    revision: revisionOf(arn2),
    image,
    source: 'explicit',
    why: `--to ${to}: a new revision of the current one with that image`,
  };
}

export async function chooseRollbackTarget(op: Op, svc: ServiceSnap, to: string | undefined, warnings: string[]): Promise<RollbackTarget> {
  const current = svc.taskDefinition!;
  const family = shortTd(current).replace(/:\d+$/, '');
  if (to) {
    const arn = revisionArg(to, family);
    if (arn) return namedRevision(op, arn, to, warnings);
    if (/^[^:]+:\d+$/.test(to) && !to.includes('/'))
      throw new UsageError(`--to ${to}: not a revision of ${family}.`, {
        hint: `Use a revision number, ${family}:<n>, an ARN, or an image reference.`,
      });
    return revisionForImage(op, current, family, to, warnings);
  }
  const [revisions, history] = await Promise.all([recentRevisions(op, family), ecsHistory(op)]);
  const t = selectRollbackTarget({ current, deployments: svc.deployments ?? [], history, revisions });
  if (t.warning) warnings.push(t.warning);
  return t;
}
