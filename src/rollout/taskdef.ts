/**
 * Task-definition revisions: copying the running one with only the app container's image changed,
 * and checking image references. Pure.
 */
import { BerthError, UsageError } from '../output/errors.js';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export interface ContainerLike {
  name?: string;
  image?: string;
  [k: string]: unknown;
}
export interface TaskDefinitionLike {
  family?: string;
  containerDefinitions?: ContainerLike[];
  [k: string]: unknown;
}

/**
 * The RegisterTaskDefinition input for a new revision: the given task definition with read-only
 * fields removed and the named container's image replaced. Everything else (secrets, environment,
 * roles, cpu/memory, runtimePlatform, health check, log configuration) is kept as is.
 */
export function copyWithImage(td: TaskDefinitionLike, container: string, image: string, tags?: { key?: string; value?: string }[]): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(td);
  for (const f of READ_ONLY_FIELDS) delete copy[f];
  for (const k of Object.keys(copy)) if (copy[k] === undefined || copy[k] === null) delete copy[k];
  const defs = (copy.containerDefinitions as ContainerLike[] | undefined) ?? [];
  const target = defs.find((c) => c.name === container);
  if (!target) {
    throw new BerthError(`the task definition ${td.family ?? ''} has no container named "${container}" (it has: ${defs.map((c) => c.name).join(', ') || 'none'}).`, {
      hint: 'berth names the app container after the service; was the task definition registered by hand?',
    });
  }
  target.image = image;
  const userTags = (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:') && !t.key.startsWith('berth:'));
  if (userTags.length) copy.tags = userTags;
  return copy;
}

export interface ImageRef {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const IMAGE_RE =
  /^(?:(?<registry>(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::\d+)?|localhost(?::\d+)?|[a-zA-Z0-9-]+:\d+)\/)?(?<repo>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export function parseImage(s: string): ImageRef | undefined {
  const m = IMAGE_RE.exec(s.trim());
  if (!m?.groups) return undefined;
  return { registry: m.groups.registry, repository: m.groups.repo!, tag: m.groups.tag, digest: m.groups.digest };
}

/** Validate `--image`: a full reference with a tag or a digest. Throws a UsageError (exit 2). */
export function checkImage(s: string): string {
  const ref = parseImage(s);
  if (!ref) throw new UsageError(`--image "${s}" is not an image reference; expected <registry>/<repository>:<tag>.`, { code: 'usage.flag-format', hint: 'Expected <registry>/<repository>:<tag>, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api:3f2c1ab.' });
  if (!ref.tag && !ref.digest) throw new UsageError(`--image "${s}" has no tag: berth deploys a fixed tag (or @sha256: digest), never an implicit "latest"; expected <image>:<tag> or <image>@sha256:<digest>.`, { code: 'usage.flag-format', hint: 'Add :<tag>, e.g. the git SHA.' });
  return s.trim();
}

export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export function checkTag(s: string): string {
  if (!TAG_RE.test(s)) throw new UsageError(`--tag "${s}" is not a valid image tag; expected letters, digits, _ . -, at most 128, not starting with . or -.`, { code: 'usage.flag-format' });
  return s;
}

/** The image of the named container in a task definition. */
export function imageOf(td: TaskDefinitionLike | undefined, container: string): string | undefined {
  const defs = td?.containerDefinitions ?? [];
  return (defs.find((c) => c.name === container) ?? defs[0])?.image as string | undefined;
}
