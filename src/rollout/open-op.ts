/**
 * What the operation commands share once their flags are checked: the environment and the service
 * (--env/--service), the AWS context, and the y/N prompt (TTY only).
 */
import { loadEnvironment } from '../config/load.js';
import type { Reporter } from '../output/reporter.js';
import { environmentContext } from '../sandbox/context.js';
import type { Op } from './op-types.js';
import { locate, selectService } from './target.js';

export function openOp(envName: string, serviceName: string | undefined, reporter: Reporter): Op {
  const env = loadEnvironment(envName);
  const svc = selectService(env, serviceName);
  const ctx = environmentContext(env);
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
