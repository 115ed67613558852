/**
 * `berth synth`: an environment's stacks written to `cdktf.out/<env>/` in-process (no cdktf-cli).
 *
 * Deterministic: the same config gives byte-identical files (sorted JSON, no stack traces, no
 * timestamps, no absolute paths: the local state path is relative to each stack's working
 * directory). Stack folders left from an earlier synth that no longer belong to the environment
 * are removed first. The files are written into a staging folder and then renamed into place one
 * by one, so a concurrent berth run never finds a stack without its configuration. cdktf is loaded
 * only when synthesizing: importing this module for `stackGraph` stays cheap.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { readAdoption, type AdoptionFile } from '../src/config/adoption.js';
import { names, STACK_DEPENDENCIES, stackOrder, type StackKind } from '../src/config/names.js';
import { claimOutputDir, mayDelete, recordOwned } from '../src/config/owned-dir.js';
import { paths, projectDir } from '../src/config/paths.js';
import { isAlive } from '../src/config/process-alive.js';
import type { EnvironmentConfig } from '../src/config/types.js';

export interface SynthStack {
  /** The stack id, e.g. `chatbot-platform-network`; also its folder under `stacks/`. */
  name: string;
  kind: StackKind;
  /** Number of terraform resources in the stack (data sources and outputs not counted). */
  resources: number;
  /** Stack ids this stack reads outputs from (apply them first). */
  dependencies: string[];
}

export interface SynthResult {
  /** Absolute path of the folder written (holds manifest.json and stacks/<stack>/cdk.tf.json). */
  outdir: string;
  /** In dependency order. */
  stacks: SynthStack[];
}

/** The stack graph of an environment, without synthesizing (pure). */
export function stackGraph(env: EnvironmentConfig): { name: string; kind: StackKind; dependencies: string[] }[] {
  const n = names(env);
  return stackOrder().map((kind) => ({ name: n.stack(kind), kind, dependencies: STACK_DEPENDENCIES[kind].map((d) => n.stack(d)) }));
}

/** cdktf reads these from the environment; none may change what berth writes. */
const CDKTF_ENV = [
  'SYNTH_HCL_OUTPUT',
  'CDKTF_OUTDIR',
  'CDKTF_CONTEXT_JSON',
  'CDKTF_TARGET_STACK_ID',
  'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS',
];

/** The project an output folder belongs to: `<project>/cdktf.out/<env>`, else the current project. */
function projectOf(outdir: string): string {
  const parent = dirname(resolve(outdir));
  return basename(parent) === 'cdktf.out' ? dirname(parent) : projectDir();
}

export async function synthEnvironment(
  env: EnvironmentConfig,
  opts: { outdir?: string; flag?: string; adoption?: AdoptionFile | null } = {},
): Promise<SynthResult> {
  // berth writes only into its own folder or a new, empty or berth-written one (exit 2 otherwise).
  const owned = claimOutputDir(opts.outdir ?? paths.synthDir(env.name), opts.flag ?? '--out');
  const outdir = owned.dir;
  // `berth adopt`'s import ids (.berth/adopt/<env>.json); null: synthesize without them.
  const adoption = opts.adoption === undefined ? readAdoption(env.name, projectOf(outdir)) : (opts.adoption ?? undefined);
  const graph = stackGraph(env);
  const wanted = new Set(graph.map((s) => s.name));

  if (!existsSync(join(outdir, 'stacks'))) mkdirSync(join(outdir, 'stacks'));
  for (const entry of readdirSync(join(outdir, 'stacks'))) {
    if (!wanted.has(entry) && mayDelete(owned, `stacks/${entry}`)) rmSync(join(outdir, 'stacks', entry), { recursive: true, force: true });
  }
  for (const s of graph)
    for (const f of SYNTH_FILES) {
      const rel = `stacks/${s.name}/${f}`;
      if (existsSync(join(outdir, rel)) && !mayDelete(owned, rel)) throw new Error(`synth: ${rel} in ${outdir} was not written by berth`);
    }
  removeAbandonedStaging(outdir);

  // Written into a staging folder first, then moved into place file by file: another berth run of
  // this project reading the stacks meanwhile (a plan while `outputs` synthesizes) finds the previous
  // file or the new one, never none (a terraform run on a stack folder without its configuration
  // would plan to destroy everything in it).
  const staging = join(outdir, `${STAGING_PREFIX}${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    await synthInto(env, staging, adoption);
    const stacks = readStacks(staging, graph);
    assertNoMachinePaths(staging, [staging, outdir, projectDir(), process.cwd(), homedir()]);
    for (const g of graph) moveStack(staging, outdir, g.name);
    renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
    recordOwned(owned, ['manifest.json', ...graph.map((g) => `stacks/${g.name}`)]);
    return { outdir, stacks };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What synth writes in a stack's folder (a terraform working folder, .terraform and its lock file, is kept). */
const SYNTH_FILES = ['cdk.tf.json', 'cdk.tf', 'metadata.json'];
/** A run's staging folder inside the output folder: `.synth-<pid>`. */
const STAGING_PREFIX = '.synth-';

/** cdktf's App writes the stacks and manifest.json into `dir`, with none of cdktf's environment settings applied. */
async function synthInto(env: EnvironmentConfig, dir: string, adoption: AdoptionFile | undefined): Promise<void> {
  const saved = CDKTF_ENV.map((k) => [k, process.env[k]] as const);
  for (const k of CDKTF_ENV) delete process.env[k];
  try {
    const { buildApp } = await import('./app.js');
    buildApp(env, dir, adoption).app.synth();
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
}

/** The stacks as written in `dir` (manifest.json): resource counts and dependencies, in graph order. */
function readStacks(dir: string, graph: ReturnType<typeof stackGraph>): SynthStack[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string }>;
  };
  return graph.map((g) => {
    const m = manifest.stacks[g.name];
    if (!m) throw new Error(`synth: stack ${g.name} missing from manifest.json`);
    const tf = JSON.parse(readFileSync(join(dir, m.synthesizedStackPath), 'utf8')) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    const resources = Object.values(tf.resource ?? {}).reduce((acc, byName) => acc + Object.keys(byName).length, 0);
    return { name: g.name, kind: g.kind, resources, dependencies: m.dependencies };
  });
}

/** Each file synth wrote for `stack` replaces its previous version by a rename (atomic); one it no longer writes goes. */
function moveStack(staging: string, outdir: string, stack: string): void {
  const from = join(staging, 'stacks', stack);
  const to = join(outdir, 'stacks', stack);
  mkdirSync(to, { recursive: true });
  for (const f of SYNTH_FILES) {
    if (existsSync(join(from, f))) renameSync(join(from, f), join(to, f));
    else rmSync(join(to, f), { force: true });
  }
}

/** Staging folders of berth runs that ended without removing theirs (killed): their process is gone. */
function removeAbandonedStaging(outdir: string): void {
  for (const entry of readdirSync(outdir)) {
    const pid = entry.startsWith(STAGING_PREFIX) ? Number(entry.slice(STAGING_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid))
      rmSync(join(outdir, entry), { recursive: true, force: true });
  }
}

/** Fail loudly if any written file names a folder of this machine (the output must be portable). */
function assertNoMachinePaths(outdir: string, folders: string[]): void {
  const needles = [...new Set(folders.filter((f) => f.length > 1 && f !== '/'))];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const p = join(dir, entry);
      if (entry === '.terraform') continue;
      if (statSync(p).isDirectory()) visit(p);
      else if (entry.endsWith('.json')) {
        const text = readFileSync(p, 'utf8');
        const hit = needles.find((n) => text.includes(n));
        if (hit) throw new Error(`synth: ${p} contains the machine path ${hit}; the output must hold relative paths only`);
      }
    }
  };
  if (existsSync(outdir)) visit(outdir);
}
