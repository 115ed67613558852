/**
 * Shared by the stack tests: load an example environment (optionally changed), synthesize it into a
 * temporary folder with the real `synthEnvironment`, and read each stack's cdk.tf.json. `ref()`
 * follows a cross-stack reference (terraform_remote_state output) back to the producer's expression,
 * so tests can assert the wiring ("the service's subnets ARE the network's private subnets").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from '../../src/config/load.js';
import { names, STACK_KINDS, type StackKind } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { synthEnvironment, type SynthResult } from '../../stacks/synth.js';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TEMPLATES = ['platform', 'two-service', 'sandbox'] as const;

export function templateRaw(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../templates/environments/${name}.json`, import.meta.url), 'utf8'));
}

/** A template, optionally changed, validated and defaults-filled like `loadEnvironment` does. */
export function environment(name: string, mutate?: (raw: Json) => void): EnvironmentConfig {
  const raw = structuredClone(templateRaw(name));
  mutate?.(raw);
  return parseEnvironment(raw, `${name}.json`, raw.name);
}

export interface Synthed {
  env: EnvironmentConfig;
  result: SynthResult;
  dir: string;
  stacks: Record<StackKind, Json>;
  /** The raw text of a stack's cdk.tf.json. */
  text: (kind: StackKind) => string;
  /** Resources of a type in a stack, by logical name. */
  resources: (kind: StackKind, type: string) => Record<string, Json>;
  /** The single resource of a type in a stack whose logical name ends with `suffix` (or the only one). */
  resource: (kind: StackKind, type: string, suffix?: string) => Json;
  /** Follow `${data.terraform_remote_state...outputs.X}` to the producer's output expression. */
  ref: (kind: StackKind, expr: string) => string;
  cleanup: () => void;
}

export async function synth(env: EnvironmentConfig): Promise<Synthed> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-stacks-'));
  const result = await synthEnvironment(env, { outdir: join(dir, 'out') });
  const n = names(env);
  const stacks = {} as Record<StackKind, Json>;
  const texts = {} as Record<StackKind, string>;
  for (const kind of STACK_KINDS) {
    texts[kind] = readFileSync(join(dir, 'out', 'stacks', n.stack(kind), 'cdk.tf.json'), 'utf8');
    stacks[kind] = JSON.parse(texts[kind]);
  }
  const kindOf = (stackName: string) => STACK_KINDS.find((k) => n.stack(k) === stackName)!;
  const resources = (kind: StackKind, type: string) => (stacks[kind].resource?.[type] ?? {}) as Record<string, Json>;
  return {
    env,
    result,
    dir,
    stacks,
    text: (kind) => texts[kind],
    resources,
    resource: (kind, type, suffix) => {
      const all = Object.entries(resources(kind, type));
      const hits = suffix ? all.filter(([k]) => k.endsWith(suffix)) : all;
      if (hits.length !== 1)
        throw new Error(
          `expected one ${type}${suffix ? ` *${suffix}` : ''} in ${kind}, found ${hits.map(([k]) => k).join(', ') || 'none'}`,
        );
      return hits[0]![1];
    },
    ref: (kind, expr) => {
      const m = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^}]+)\}$/.exec(expr);
      if (!m) return expr;
      const producer = kindOf(m[1]!);
      const out = stacks[producer].output?.[m[2]!];
      if (!out) throw new Error(`${kind}: ${expr} names no output of ${m[1]}`);
      return `${producer}:${out.value}`;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Strip `${...}` from a single reference expression. */
export const bare = (expr: string) => expr.replace(/^\$\{(.*)\}$/, '$1');
