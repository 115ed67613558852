/**
 * What the plan / apply / destroy / outputs commands share: flags turned into run settings, a
 * Ctrl-C that stops terraform cleanly (terraform runs in its own process group, so the terminal's
 * SIGINT reaches only berth, which passes it on and starts nothing new).
 */
import { UsageError } from '../output/errors.js';
import type { Reporter } from '../output/reporter.js';
import { DEFAULT_PARALLELISM, type RunSettings } from './orchestrate.js';

export interface TerraformFlags {
  parallelism?: string;
  lockTimeout?: string;
}

export function runSettings(flags: TerraformFlags, reporter: Reporter, signal?: AbortSignal): RunSettings {
  let parallelism = DEFAULT_PARALLELISM;
  if (flags.parallelism !== undefined) {
    parallelism = Number(flags.parallelism);
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 32)
      throw new UsageError(`--parallelism ${flags.parallelism}: expected a whole number of stacks from 1 to 32.`);
  }
  const lockTimeout = flags.lockTimeout ?? '0s';
  if (!/^\d+(ms|s|m|h)$/.test(lockTimeout)) throw new UsageError(`--lock-timeout ${lockTimeout}: expected a duration such as 0s, 30s or 5m.`);
  return { parallelism, lockTimeout, reporter, signal };
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
