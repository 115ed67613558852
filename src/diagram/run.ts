/**
 * `berth diagram`: synthesize the environment (as `berth synth` does, to cdktf.out/<env>/), read the
 * stacks back as data, build the model and render it.
 */
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';
import { buildDiagram, type Diagram } from './model.js';
import { readSynthDocs } from './tfjson.js';

export type Synthesize = (env: EnvironmentConfig) => Promise<{ outdir: string }>;

export async function diagramOf(env: EnvironmentConfig, synth: Synthesize): Promise<Diagram> {
  const { outdir } = await synth(env);
  const n = names(env);
  const docs = readSynthDocs(outdir, n.stack);
  return buildDiagram(docs, `${n.prefix} · ${env.region} · ${n.fqdn}`);
}
