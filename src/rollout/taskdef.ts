/**
 * Task-definition revisions: copying the running one with only the app container's image changed,
 * and checking image references. Pure.
 */
import { BerthError } from '../output/errors.js';

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
export function copyWithImage(
  td: TaskDefinitionLike,
  container: string,
  image: string,
  tags?: { key?: string; value?: string }[],
): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(td);
  for (const f of READ_ONLY_FIELDS) delete copy[f];
  for (const k of Object.keys(copy)) if (copy[k] === undefined || copy[k] === null) delete copy[k];
  const defs = (copy.containerDefinitions as ContainerLike[] | undefined) ?? [];
  const target = defs.find((c) => c.name === container);
  if (!target) {
    throw new BerthError(
      `the task definition ${td.family ?? ''} has no container named "${container}" (it has: ${defs.map((c) => c.name).join(', ') || 'none'}).`,
      {
        hint: 'berth names the app container after the service; was the task definition registered by hand?',
      },
    );
  }
  target.image = image;
  const userTags = (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:') && !t.key.startsWith('berth:'));
  if (userTags.length) copy.tags = userTags;
  return copy;
}

/** The image of the named container in a task definition. */
export function imageOf(td: TaskDefinitionLike | undefined, container: string): string | undefined {
  const defs = td?.containerDefinitions ?? [];
  return (defs.find((c) => c.name === container) ?? defs[0])?.image as string | undefined;
}
