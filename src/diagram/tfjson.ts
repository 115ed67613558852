/**
 * The synthesized stacks read as data: each stack's cdk.tf.json by stack kind, and helpers that
 * read resources and follow terraform references by their logical names. No cdktf here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_KINDS, type StackKind } from '../config/names.js';

/** One resource's synthesized arguments (terraform JSON). */
export type TfResource = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TfStack {
  resource?: Record<string, Record<string, TfResource>>;
  output?: Record<string, { value: unknown }>;
}

export type SynthDocs = Record<StackKind, TfStack>;

/** Read every stack of a synthesized environment from its out dir (`<outdir>/stacks/<stack>/cdk.tf.json`). */
export function readSynthDocs(outdir: string, stackName: (kind: StackKind) => string): SynthDocs {
  const docs = {} as SynthDocs;
  for (const kind of STACK_KINDS) {
    docs[kind] = JSON.parse(readFileSync(join(outdir, 'stacks', stackName(kind), 'cdk.tf.json'), 'utf8')) as TfStack;
  }
  return docs;
}

/** The resources of a type in a stack, sorted by logical name (deterministic). */
export function resourcesOf(docs: SynthDocs, kind: StackKind, type: string): [string, TfResource][] {
  return Object.entries(docs[kind].resource?.[type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** All resources of a type across the stacks, with their stack kind. */
export function resourcesAll(docs: SynthDocs, type: string): { kind: StackKind; name: string; res: TfResource }[] {
  return STACK_KINDS.flatMap((kind) => resourcesOf(docs, kind, type).map(([name, res]) => ({ kind, name, res })));
}

/**
 * Whether a reference expression (direct `${type.name.attr}` or a cross-stack output whose name cdktf
 * builds as `cross-stack-output-<type><name><attr>`) points at the resource `type.name`.
 */
export function refersTo(expr: unknown, type: string, name: string): boolean {
  if (typeof expr !== 'string') return false;
  return expr.includes(`${type}.${name}.`) || expr.includes(`cross-stack-output-${type}${name}`);
}

/** The AZ index a subnet-like resource names: `element(...names, N)` or a literal AZ's order. */
export function subnetTier(ref: unknown): { tier: 'public' | 'private' | 'database'; az: number } | undefined {
  const m = typeof ref === 'string' ? /subnet-(public|private|database)-(\d+)/.exec(ref) : null;
  return m ? { tier: m[1] as 'public' | 'private' | 'database', az: Number(m[2]) } : undefined;
}
