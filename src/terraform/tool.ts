/**
 * Finding terraform and checking it is new enough (the S3 backend's use_lockfile needs 1.10).
 * BERTH_TERRAFORM overrides the binary.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { MissingToolError } from '../output/errors.js';

const run = promisify(execFile);
export const MIN_TERRAFORM = '1.10.0';

export interface TerraformTool {
  path: string;
  version: string;
}

/** Look a program up on PATH without spawning a shell. */
export function which(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, program);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

let cached: Promise<TerraformTool> | undefined;

export function findTerraform(env: NodeJS.ProcessEnv = process.env): Promise<TerraformTool> {
  if (!cached || env !== process.env) {
    const p = (async () => {
      const how = `Install terraform ${MIN_TERRAFORM} or newer (https://developer.hashicorp.com/terraform/install) and put it on PATH, or set BERTH_TERRAFORM to its path.`;
      const path = which(env.BERTH_TERRAFORM || 'terraform', env);
      if (!path) throw new MissingToolError('terraform', how);
      let version: string;
      try {
        const { stdout } = await run(path, ['version', '-json'], { env: { ...env, CHECKPOINT_DISABLE: '1' }, timeout: 20_000 });
        version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
      } catch (e) {
        throw new MissingToolError(
          'terraform',
          `${path} did not answer \`terraform version\` (${(e as Error).message.split('\n')[0]}). ${how}`,
        );
      }
      if (compareVersions(version, MIN_TERRAFORM) < 0)
        throw new MissingToolError(
          `terraform ${MIN_TERRAFORM}+`,
          `${path} is terraform ${version}; berth needs ${MIN_TERRAFORM} or newer. ${how}`,
        );
      return { path, version };
    })();
    if (env !== process.env) return p;
    cached = p;
    p.catch(() => (cached = undefined));
  }
  return cached;
}
