/**
 * Where things live. The *project* is the folder berth runs in (environments/, .berth/, cdktf.out/);
 * the *package* is berth's own install (templates/). Tests point the project elsewhere with
 * BERTH_PROJECT_DIR.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BERTH_PROJECT_DIR || process.cwd());
}

let pkgRoot: string | undefined;
/** berth's own install folder (the one holding its package.json and templates/). */
export function packageDir(): string {
  if (pkgRoot) return pkgRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return (pkgRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('berth: cannot find its own package folder');
    dir = up;
  }
}

export const paths = {
  environments: (project = projectDir()) => join(project, 'environments'),
  environmentFile: (name: string, project = projectDir()) => join(project, 'environments', `${name}.json`),
  /** Everything berth keeps for itself in a project; git-ignored. */
  berthDir: (project = projectDir()) => join(project, '.berth'),
  sandboxDir: (project = projectDir()) => join(project, '.berth', 'sandbox'),
  /** terraform working data (plans, .terraform) per environment. */
  workDir: (envName: string, project = projectDir()) => join(project, '.berth', 'work', envName),
  /** cdktf synth output of an environment. */
  synthDir: (envName: string, project = projectDir()) => join(project, 'cdktf.out', envName),
  templates: () => join(packageDir(), 'templates'),
  templateEnvironment: (name: string) => join(packageDir(), 'templates', 'environments', `${name}.json`),
};
