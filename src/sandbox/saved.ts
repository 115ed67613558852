/**
 * The saved sandbox: what lets a later `berth sandbox up` (after `down`) start from the sandbox a
 * successful up applied, in seconds, instead of applying every stack again.
 *
 * Saved in `.berth/sandbox/saved/` after an up that applied every stack and saw the services
 * settle: the emulator's whole state (`emulator.pickle`, written by the emulator itself:
 * berth_moto/snapshot.py: every moto backend with its ids, the ECS simulation's tasks and
 * deployments, berth's target-health table), the terraform state of every stack (`state/`), and
 * `saved.json`: when, the berth and moto versions, and a digest of the synthesized stacks.
 *
 * Used only when everything still matches: the same berth and moto versions, and stacks that
 * synthesize byte for byte as they did (so the saved terraform state describes this very
 * configuration). Restored, the emulator holds the same resources with the same ids as the state
 * says. Otherwise the saved sandbox is ignored (and replaced after the next full apply).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { berthVersion } from '../config/version.js';
import { paths } from '../config/paths.js';
import { BerthError } from '../output/errors.js';

export interface SavedSandbox {
  savedAt: string;
  berthVersion: string;
  motoVersion: string;
  /** sha256 over the synthesized stacks (name and cdk.tf.json of each). */
  stacksDigest: string;
  stacks: string[];
  /** The terraform state files saved (names under state/). */
  stateFiles: string[];
  /** Size of the emulator's state. */
  emulatorBytes: number;
}

const savedDir = (project: string) => join(paths.sandboxDir(project), 'saved');
const metaFile = (project: string) => join(savedDir(project), 'saved.json');
export const emulatorStateFile = (project: string) => join(savedDir(project), 'emulator.pickle');

/** The digest of the synthesized stacks: what the saved state must have been applied from. */
export function stacksDigest(stacks: { name: string; file: string }[]): string {
  const h = createHash('sha256');
  for (const s of [...stacks].sort((a, b) => a.name.localeCompare(b.name)))
    h.update(`${s.name}\0`).update(readFileSync(s.file)).update('\0');
  return h.digest('hex');
}

/** Ask the emulator to save (or load) its whole state at `file` (berth_moto/snapshot.py). */
async function emulatorCall(endpoint: string, what: 'snapshot' | 'restore', file: string): Promise<{ bytes?: number; services: string[] }> {
  const r = await fetch(`${endpoint}/berth-api/${what}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: file }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await r.json().catch(() => ({}))) as { error?: string; bytes?: number; services?: string[] };
  if (!r.ok || !body.services)
    throw new BerthError(
      `the emulator could not ${what === 'snapshot' ? 'save' : 'load'} its state: ${body.error ?? `HTTP ${r.status}`}.`,
      {
        hint: 'Run `berth sandbox up --fresh` to apply every stack from nothing.',
      },
    );
  return { bytes: body.bytes, services: body.services };
}

/** Save the applied sandbox (the emulator's state and the terraform state of every stack). */
export async function saveSandbox(o: {
  project: string;
  endpoint: string;
  motoVersion: string;
  stateDir: string;
  stacks: { name: string; file: string }[];
}): Promise<SavedSandbox> {
  const dir = savedDir(o.project);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const emu = await emulatorCall(o.endpoint, 'snapshot', emulatorStateFile(o.project));
  const stateFiles = readdirSync(o.stateDir).filter((f) => f.endsWith('.tfstate'));
  for (const f of stateFiles) cpSync(join(o.stateDir, f), join(dir, 'state', f));
  const saved: SavedSandbox = {
    savedAt: new Date().toISOString(),
    berthVersion: berthVersion(),
    motoVersion: o.motoVersion,
    stacksDigest: stacksDigest(o.stacks),
    stacks: o.stacks.map((s) => s.name),
    stateFiles,
    emulatorBytes: emu.bytes ?? 0,
  };
  writeFileSync(metaFile(o.project), JSON.stringify(saved, null, 2) + '\n');
  return saved;
}

/** The saved sandbox, when there is one for these versions (the stacks' digest is checked by the caller). */
export function readSaved(project: string, motoVersion: string): SavedSandbox | undefined {
  try {
    const saved = JSON.parse(readFileSync(metaFile(project), 'utf8')) as SavedSandbox;
    const complete =
      existsSync(emulatorStateFile(project)) && saved.stateFiles.every((f) => existsSync(join(savedDir(project), 'state', f)));
    return complete && saved.berthVersion === berthVersion() && saved.motoVersion === motoVersion ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** Load the saved sandbox into a fresh emulator and put the saved terraform state back; returns the state files written. */
export async function restoreSandbox(o: { project: string; endpoint: string; stateDir: string; saved: SavedSandbox }): Promise<string[]> {
  const emu = await emulatorCall(o.endpoint, 'restore', emulatorStateFile(o.project));
  if (!emu.services.length) throw new BerthError('the saved emulator state holds no service.', { hint: 'Run `berth sandbox up --fresh`.' });
  mkdirSync(o.stateDir, { recursive: true });
  for (const f of o.saved.stateFiles) cpSync(join(savedDir(o.project), 'state', f), join(o.stateDir, f));
  return o.saved.stateFiles.map((f) => relative(o.project, join(o.stateDir, f)));
}
