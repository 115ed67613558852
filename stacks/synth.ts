// Placeholder until the stacks land (issue 2, stacks helper replaces this file).
import type { EnvironmentConfig } from '../src/config/types.js';
export interface SynthResult { outdir: string; stacks: { name: string; kind: string; resources: number; dependencies: string[] }[] }
export async function synthEnvironment(_env: EnvironmentConfig, _opts: { outdir?: string } = {}): Promise<SynthResult> {
  throw new Error('stacks not built yet');
}
