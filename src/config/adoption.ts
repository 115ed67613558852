/**
 * The adoption file: how the import ids `berth adopt` resolved reach the stacks.
 *
 *   .berth/adopt/<env>.json   written by `berth adopt` (src/adopt/), read here by synth (stacks/)
 *
 * Per stack kind, `imports` maps a resource's terraform address (`aws_vpc.network_vpc`, the
 * readable addresses of stacks/base.ts) to the id terraform imports it by; stacks/adopt.ts turns
 * each into an `import` block of the synthesized JSON (cdktf `importFrom`). `keep` lists, per
 * imported address, the attributes terraform could change only by replacing the resource (a
 * subnet's CIDR, a security group's name and description): the stacks add them to the resource's
 * `lifecycle.ignore_changes`, so adopting keeps what exists instead of re-creating it. An import
 * block of a resource already in state is a no-op, so the file stays valid after the apply; it is
 * needed as long as `keep` is. Pure reading: no AWS, no cdktf.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_KINDS, type StackKind } from './names.js';
import { paths, projectDir } from './paths.js';

export const ADOPTION_VERSION = 1;

export interface AdoptedStack {
  /** terraform address -> import id. */
  imports: Record<string, string>;
  /** terraform address -> attributes kept as they are (lifecycle.ignore_changes). */
  keep: Record<string, string[]>;
}

export interface AdoptionFile {
  version: typeof ADOPTION_VERSION;
  environment: string;
  stacks: Partial<Record<StackKind, AdoptedStack>>;
}

export function adoptionFile(envName: string, project = projectDir()): string {
  return join(paths.berthDir(project), 'adopt', `${envName}.json`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stack entry of a parsed file, or a reason it is malformed. */
function readStack(v: unknown): AdoptedStack | string {
  if (!isRecord(v)) return 'a stack entry is not an object';
  const imports = v.imports ?? {};
  const keep = v.keep ?? {};
  if (!isRecord(imports) || Object.values(imports).some((x) => typeof x !== 'string' || !x)) return '`imports` must map addresses to ids';
  if (!isRecord(keep) || Object.values(keep).some((x) => !Array.isArray(x) || x.some((a) => typeof a !== 'string')))
    return '`keep` must map addresses to lists of attribute names';
  return { imports: imports as Record<string, string>, keep: keep as Record<string, string[]> };
}

/** Parse an adoption file's text; throws with the file and what is wrong. */
export function parseAdoption(text: string, file: string): AdoptionFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); run \`berth adopt\` again`);
  }
  if (!isRecord(doc) || doc.version !== ADOPTION_VERSION || typeof doc.environment !== 'string' || !isRecord(doc.stacks))
    throw new Error(`${file}: not a berth adoption file (version ${ADOPTION_VERSION}); run \`berth adopt\` again`);
  const stacks: AdoptionFile['stacks'] = {};
  for (const [kind, entry] of Object.entries(doc.stacks)) {
    if (!(STACK_KINDS as readonly string[]).includes(kind)) throw new Error(`${file}: unknown stack kind "${kind}"`);
    const s = readStack(entry);
    if (typeof s === 'string') throw new Error(`${file}: stack ${kind}: ${s}`);
    stacks[kind as StackKind] = s;
  }
  return { version: ADOPTION_VERSION, environment: doc.environment, stacks };
}

/** The environment's adoption file, or undefined when it was never adopted. */
export function readAdoption(envName: string, project = projectDir()): AdoptionFile | undefined {
  const file = adoptionFile(envName, project);
  if (!existsSync(file)) return undefined;
  const a = parseAdoption(readFileSync(file, 'utf8'), file);
  if (a.environment !== envName) throw new Error(`${file}: written for environment ${a.environment}, not ${envName}`);
  return a;
}

/** Is this a platform berth did not build (a resource map, or `berth adopt` ran)? apply then refuses destroys and replacements without --allow-destroy. */
export function isAdopted(env: { name: string; resources?: unknown }, project = projectDir()): boolean {
  return Boolean(env.resources) || existsSync(adoptionFile(env.name, project));
}
