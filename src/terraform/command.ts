/**
 * What the plan / apply / destroy / outputs commands share: flags turned into run settings, a
 * Ctrl-C that stops terraform cleanly (terraform runs in its own process group, so the terminal's
 * SIGINT reaches only berth, which passes it on and starts nothing new).
 */
import { parseTerraformFlags, type TerraformFlags } from '../cli-args/terraform.js';
import type { Reporter } from '../output/reporter.js';
import type { RunSettings } from './orchestrate.js';

export type { TerraformFlags } from '../cli-args/terraform.js';

export function runSettings(flags: TerraformFlags, reporter: Reporter, signal?: AbortSignal): RunSettings {
  return { ...parseTerraformFlags(flags), reporter, signal };
}

/** Run `fn` with an AbortSignal that the first Ctrl-C fires. */
export async function withInterrupt<T>(reporter: Reporter, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => {
    reporter.warn('interrupted: stopping terraform cleanly (it writes its state); press Ctrl-C again to quit at once.');
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(ac.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
