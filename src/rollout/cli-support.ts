/**
 * What the operation commands share: loading the environment and the service (--env/--service),
 * the AWS context, watch settings from flags, and the y/N prompt (TTY only).
 */
import { awsContext } from '../aws/context.js';
import { loadEnvironment } from '../config/load.js';
import { UsageError } from '../output/errors.js';
import type { Reporter } from '../output/reporter.js';
import { parseDuration } from './duration.js';
import type { Op, WatchSettings } from './operate.js';
import { locate, selectService } from './target.js';

export interface WatchFlags {
  timeout?: string;
  maxFailedTasks?: string;
  smoke?: boolean;
  pollInterval?: string;
}

export const DEFAULT_TIMEOUT = '15m';
export const DEFAULT_MAX_FAILED_TASKS = 2;

/** Validate every flag before touching AWS: bad input exits 2 with nothing changed. */
export function watchSettings(f: WatchFlags): WatchSettings {
  const timeoutMs = parseDuration(f.timeout ?? DEFAULT_TIMEOUT, '--timeout');
  let maxFailedTasks = DEFAULT_MAX_FAILED_TASKS;
  if (f.maxFailedTasks !== undefined) {
    if (!/^\d+$/.test(f.maxFailedTasks) || Number(f.maxFailedTasks) < 1) throw new UsageError(`--max-failed-tasks "${f.maxFailedTasks}": expected a whole number, 1 or more.`);
    maxFailedTasks = Number(f.maxFailedTasks);
  }
  const pollMs = f.pollInterval ? parseDuration(f.pollInterval, '--poll-interval') : undefined;
  return { timeoutMs, maxFailedTasks, smoke: f.smoke !== false, pollMs };
}

export function openOp(envName: string, serviceName: string | undefined, reporter: Reporter): Op {
  const env = loadEnvironment(envName);
  const svc = selectService(env, serviceName);
  const ctx = awsContext(env);
  return { env, svc, ctx, loc: locate(env, svc), reporter };
}

export async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(a.trim());
  } finally {
    rl.close();
  }
}
