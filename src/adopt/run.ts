/**
 * `berth adopt --env X`: the import ids of everything berth's stacks would create that already
 * exists, written to .berth/adopt/<env>.json for synth (src/config/adoption.ts), and the report of
 * what is imported, what is created and what is left alone. Input is checked before any AWS call;
 * the reads are bounded; nothing in AWS changes.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AwsContext } from '../aws/context.js';
import { adoptionFile } from '../config/adoption.js';
import { kindOf } from '../terraform/workspace.js';
import type { EnvironmentConfig } from '../config/types.js';
import { projectDir } from '../config/paths.js';
import { UsageError } from '../output/errors.js';
import type { SynthFn } from '../terraform/workspace.js';
import type { SynthResource } from './facts.js';
import { gatherFacts } from './gather.js';
import { resourceMap } from './resource-map.js';
import { adoptionOf, resolveAdoption, type Adoption } from './resolve.js';
import { validateResourceMap } from './validate.js';

export interface AdoptResult extends Adoption {
  environment: string;
  /** The adoption file written. */
  file: string;
  counts: { imported: number; created: number; leftAlone: number };
}

/** The resources of every synthesized stack (type, address, configuration). */
export function synthResources(env: EnvironmentConfig, synth: { outdir: string; stacks: { name: string }[] }): SynthResource[] {
  const out: SynthResource[] = [];
  for (const s of synth.stacks) {
    const kind = kindOf(env, s.name);
    if (!kind) continue;
    const tf = JSON.parse(readFileSync(join(synth.outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };
    for (const [type, byName] of Object.entries(tf.resource ?? {}))
      for (const [name, config] of Object.entries(byName)) out.push({ kind, address: `${type}.${name}`, type, config });
  }
  return out;
}

/** Everything that can be refused without AWS: the map exists and is well formed. */
export function checkAdoptInput(env: EnvironmentConfig): NonNullable<ReturnType<typeof resourceMap>> {
  const map = resourceMap(env);
  if (!map)
    throw new UsageError(
      `environment ${env.name} has no \`resources\` map: there is nothing to adopt; expected a map of the platform's resources (berth discover writes one).`,
      {
        code: 'config.invalid',
        hint: `Run \`berth discover\` to write one from the running platform, or add \`resources\` to environments/${env.name}.json.`,
      },
    );
  validateResourceMap(map);
  return map;
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file);
}

export async function adoptEnvironment(
  env: EnvironmentConfig,
  deps: { ctx: AwsContext; synth: SynthFn; outdir: string; project?: string },
): Promise<AdoptResult> {
  const map = checkAdoptInput(env);
  const synthesized = await deps.synth(env, { outdir: deps.outdir, adoption: null });
  const resources = synthResources(env, synthesized);
  const facts = await gatherFacts(deps.ctx, env, map, resources);
  const adoption = resolveAdoption(resources, facts);
  const file = adoptionFile(env.name, deps.project ?? projectDir());
  writeAtomically(file, JSON.stringify(adoptionOf(env.name, adoption), null, 2) + '\n');
  const imported = adoption.decisions.filter((d) => d.action === 'import').length;
  return {
    environment: env.name,
    file,
    ...adoption,
    counts: { imported, created: adoption.decisions.length - imported, leftAlone: adoption.leftAlone.length },
  };
}
