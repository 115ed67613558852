/**
 * `berth sandbox up` and the saved sandbox (src/sandbox/saved.ts): restore it into a freshly
 * started emulator instead of applying from nothing, and save the sandbox after an up that applied.
 *
 * What a restore verifies, and its bound: the saved sandbox is for this berth and moto version; the
 * stacks synthesize byte for byte as the ones the saved terraform state was applied from; the
 * emulator loaded every saved service; then (in lifecycle.ts) every ECS service runs its desired
 * count, healthy. No terraform plan is run on the way (it would cost what the restore saves): the
 * emulator's resources are the very objects terraform created, ids included, so `berth plan --env
 * sandbox` shows no changes (bench/sandbox.mjs checks it after every restore).
 */
import { relative } from 'node:path';
import { paths } from '../config/paths.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { Reporter } from '../output/reporter.js';
import { readSaved, restoreSandbox, saveSandbox, stacksDigest, type SavedSandbox } from './saved.js';
import type { SandboxRecord } from './state.js';

interface Common {
  env: EnvironmentConfig;
  project: string;
  rec: SandboxRecord;
  /** The sandbox environment's local terraform state folder (inside .berth/). */
  stateDir: string;
  reporter?: Reporter;
}

/** The synthesized stacks of the environment (synthesizing them now). */
async function synthesized(env: EnvironmentConfig, project: string) {
  const { defaultSynth, readWorkspace } = await import('../terraform/workspace.js');
  const res = await defaultSynth(env, { outdir: paths.synthDir(env.name, project) });
  return readWorkspace(env, res.outdir, project).stacks;
}

/** Restore the saved sandbox when it matches; undefined when there is none that does (then: apply). */
export async function restoreIfSaved(o: Common): Promise<{ saved: SavedSandbox; stacks: string[]; stateFiles: string[] } | undefined> {
  const saved = readSaved(o.project, o.rec.motoVersion ?? '');
  if (!saved) return undefined;
  const stacks = await synthesized(o.env, o.project);
  if (stacksDigest(stacks) !== saved.stacksDigest) {
    o.reporter?.info(`The saved sandbox (${saved.savedAt}) was applied from other stacks: applying from nothing.`);
    return undefined;
  }
  const step = await o.reporter?.step(`Restoring the sandbox saved ${saved.savedAt} (${stacks.length} stacks)`);
  try {
    const stateFiles = await restoreSandbox({ project: o.project, endpoint: o.rec.endpoint, stateDir: o.stateDir, saved });
    step?.succeed(`Restored the sandbox saved ${saved.savedAt}: the emulator's state and ${stateFiles.length} terraform states`);
    return { saved, stacks: stacks.map((s) => s.name), stateFiles };
  } catch (e) {
    step?.fail();
    throw e;
  }
}

/** Save the sandbox that was just applied and settled; a failure is a warning (the sandbox is up). */
export async function saveAfterUp(o: Common): Promise<SavedSandbox | undefined> {
  try {
    const stacks = await (async () => {
      const { readWorkspace } = await import('../terraform/workspace.js');
      return readWorkspace(o.env, paths.synthDir(o.env.name, o.project), o.project).stacks;
    })();
    const saved = await saveSandbox({
      project: o.project,
      endpoint: o.rec.endpoint,
      motoVersion: o.rec.motoVersion ?? '',
      stateDir: o.stateDir,
      stacks,
    });
    o.reporter?.info(
      `Saved the sandbox in ${relative(o.project, paths.sandboxDir(o.project))}/saved (${(saved.emulatorBytes / 1e6).toFixed(1)} MB): the next up after down restores it.`,
    );
    return saved;
  } catch (e) {
    o.reporter?.warn(`the sandbox is up, but could not be saved for the next up: ${(e as Error).message}`);
    return undefined;
  }
}
