/**
 * An environment's terraform workspace: the synthesized stacks (cdktf.out/<env>/manifest.json and
 * stacks/<stack>/cdk.tf.json) and berth's own working data per stack under .berth/work/<env>/:
 *
 *   .berth/work/<env>/<stack>/data/      TF_DATA_DIR (providers linked from the mirror, backend)
 *   .berth/work/<env>/<stack>/lock.hcl   a copy of the dependency lock file (a re-synth may drop it)
 *   .berth/work/<env>/<stack>.tfplan     the saved plan
 *   .berth/work/<env>/plans.json         what each saved plan was made against (see orchestrate.ts)
 *
 * Terraform runs in the stack's synthesized folder, so the relative paths of a local backend resolve
 * the same for every run.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STACK_KINDS, names, type StackKind } from '../config/names.js';
import { paths, projectDir } from '../config/paths.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError } from '../output/errors.js';
import type { GraphNode } from './graph.js';

/** What `stacks/synth.ts` returns. */
export interface SynthResult {
  outdir: string;
  stacks: { name: string; kind: string; resources: number; dependencies: string[] }[];
}
/** `adoption: null` synthesizes without `berth adopt`'s imports (what adopt itself reads). */
export type SynthFn = (env: EnvironmentConfig, opts: { outdir?: string; adoption?: null }) => Promise<SynthResult>;

/** The real synth, loaded only when needed (cdktf is heavy). */
export const defaultSynth: SynthFn = async (env, opts) => {
  const { synthEnvironment } = await import('../../stacks/synth.js');
  return synthEnvironment(env, opts);
};

export interface StackWork extends GraphNode {
  kind?: StackKind;
  /** The synthesized stack folder (terraform's working directory). */
  dir: string;
  /** Its cdk.tf.json. */
  file: string;
  /** TF_DATA_DIR. */
  dataDir: string;
  planFile: string;
  backend: { type: string; config: Record<string, unknown> };
}

export interface Workspace {
  env: EnvironmentConfig;
  project: string;
  synthDir: string;
  workDir: string;
  stacks: StackWork[];
}

interface ManifestStack {
  name?: string;
  workingDirectory?: string;
  synthesizedStackPath?: string;
  dependencies?: string[];
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash a saved plan records of its stack's synthesized configuration. */
export function configHash(file: string): string {
  return sha256(readFileSync(file));
}

export function kindOf(env: EnvironmentConfig, stackName: string): StackKind | undefined {
  const n = names(env);
  return STACK_KINDS.find((k) => n.stack(k) === stackName);
}

/** Read the synthesized output of an environment (manifest.json) into the stack graph. */
export function readWorkspace(env: EnvironmentConfig, synthDir: string, project = projectDir()): Workspace {
  const manifestFile = join(synthDir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new BerthError(`${manifestFile} is missing: the environment was not synthesized.`, {
      hint: `Run \`berth synth --env ${env.name}\`.`,
    });
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stacks?: Record<string, ManifestStack> };
  const workDir = paths.workDir(env.name, project);
  const stacks: StackWork[] = Object.entries(manifest.stacks ?? {}).map(([key, s]) => {
    const name = s.name ?? key;
    const dir = resolve(synthDir, s.workingDirectory ?? join('stacks', name));
    const file = resolve(synthDir, s.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json'));
    const tf = JSON.parse(readFileSync(file, 'utf8')) as { terraform?: { backend?: Record<string, Record<string, unknown>> } };
    const [type, config] = Object.entries(tf.terraform?.backend ?? {})[0] ?? ['local', {}];
    return {
      name,
      kind: kindOf(env, name),
      dependencies: [...(s.dependencies ?? [])],
      dir,
      file,
      dataDir: join(workDir, name, 'data'),
      planFile: join(workDir, `${name}.tfplan`),
      backend: { type, config },
    };
  });
  return { env, project, synthDir, workDir, stacks };
}

/** `terraform init` arguments for a stack: path-style S3 for the sandbox is set here, not synthesized. */
export function initArgs(env: EnvironmentConfig, stack: Pick<StackWork, 'backend'>): string[] {
  const args = ['init', '-input=false', '-no-color'];
  if (env.sandbox && stack.backend.type === 's3') args.push('-backend-config=use_path_style=true');
  return args;
}

const LOCK_FILE = '.terraform.lock.hcl';

type StackJson = { terraform?: unknown; provider?: object; resource?: object; data?: object };

/** The providers a stack's configuration uses, declared or implied by its resource types. */
function providersUsed(tf: StackJson): string[] {
  const types = [...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {})];
  return [...new Set([...Object.keys(tf.provider ?? {}), ...types.map((t) => t.split('_')[0]!)])].sort();
}

/**
 * Does this stack need `terraform init`? Not when its data folder was initialised with the same
 * terraform block (backend, providers), providers used and arguments, and the dependency lock file
 * is in place (restored from berth's copy when a new synth dropped it) or there was none to write
 * (a stack of terraform's built-in resources only).
 */
export function needsInit(stack: StackWork, args: string[]): { needed: boolean; marker: string } {
  const tf = JSON.parse(readFileSync(stack.file, 'utf8')) as StackJson;
  const marker = sha256(JSON.stringify({ terraform: tf.terraform ?? null, args, providers: providersUsed(tf) }));
  const markerFile = join(stack.dataDir, 'berth-init');
  const lockCopy = join(stack.dataDir, '..', 'lock.hcl');
  const lockFile = join(stack.dir, LOCK_FILE);
  if (!existsSync(lockFile) && existsSync(lockCopy)) copyFileSync(lockCopy, lockFile);
  const done = existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : '';
  // A stack without providers has no lock file to keep (terraform writes none for it).
  const ok = existsSync(lockFile) ? done === marker : done === `${marker} ${NO_LOCK}`;
  return { needed: !ok, marker };
}

const NO_LOCK = 'no-lock-file';

export function markInitialised(stack: StackWork, marker: string): void {
  mkdirSync(stack.dataDir, { recursive: true });
  const lockFile = join(stack.dir, LOCK_FILE);
  const locked = existsSync(lockFile);
  writeFileSync(join(stack.dataDir, 'berth-init'), locked ? marker : `${marker} ${NO_LOCK}`);
  if (locked) copyFileSync(lockFile, join(stack.dataDir, '..', 'lock.hcl'));
}
