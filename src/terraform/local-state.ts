/**
 * A stack's state read straight from its local backend's file, in place of `terraform state pull`
 * or `terraform output -json`: each of those is a terraform run that loads the stack's providers
 * (~0.5 CPU s with the AWS provider) to print what is in that file. Only where the file is exactly
 * what terraform would read: a local backend, the default workspace (no TF_WORKSPACE, none selected
 * in the stack's data folder), a state in the format terraform writes (version 4). Otherwise, and
 * when the file cannot be read or parsed (e.g. mid-write), `undefined`: the caller runs terraform.
 * Neither terraform command takes the state lock; neither does this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackWork } from './workspace.js';

type Stack = Pick<StackWork, 'dir' | 'dataDir' | 'backend'>;

/** The state file terraform reads for this stack, or undefined when that is not a plain local file. */
function localStatePath(stack: Stack, env: NodeJS.ProcessEnv): string | undefined {
  if (stack.backend.type !== 'local') return undefined;
  if (env.TF_WORKSPACE && env.TF_WORKSPACE !== 'default') return undefined;
  const selected = join(stack.dataDir, 'environment');
  if (existsSync(selected) && readFileSync(selected, 'utf8').trim() !== 'default') return undefined;
  const path = stack.backend.config.path;
  if (path !== undefined && typeof path !== 'string') return undefined;
  return resolve(stack.dir, path || 'terraform.tfstate');
}

interface StateDoc {
  version?: number;
  outputs?: Record<string, { value?: unknown; type?: unknown; sensitive?: boolean }>;
}

/** The state document as terraform would print it: "" for none yet; undefined = ask terraform. */
export function readLocalState(stack: Stack, env: NodeJS.ProcessEnv): { text: string; doc?: StateDoc } | undefined {
  const file = localStatePath(stack, env);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { text: '' } : undefined;
  }
  if (!text.trim()) return { text: '' };
  try {
    const doc = JSON.parse(text) as StateDoc;
    return doc.version === 4 ? { text, doc } : undefined;
  } catch {
    return undefined;
  }
}

/** `terraform output -json` from the local state: name -> { sensitive, type, value }; undefined = ask terraform. */
export function readLocalOutputs(
  stack: Stack,
  env: NodeJS.ProcessEnv,
): Record<string, { sensitive: boolean; type?: unknown; value?: unknown }> | undefined {
  const state = readLocalState(stack, env);
  if (!state) return undefined;
  const out: Record<string, { sensitive: boolean; type?: unknown; value?: unknown }> = {};
  for (const [name, o] of Object.entries(state.doc?.outputs ?? {}))
    out[name] = { sensitive: Boolean(o.sensitive), type: o.type, value: o.value };
  return out;
}
