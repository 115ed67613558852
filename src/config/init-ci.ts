/**
 * `berth init --ci github`: copy berth's GitHub Actions workflows into the project's
 * .github/workflows/, adapted to the environment's name. Refuses (exit 2, nothing written) when any
 * of them exists already. The workflows run the berth the project installed (`npm ci`, `npx berth`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../output/errors.js';
import { recordOwnedFile } from './owned-dir.js';
import { paths, projectDir } from './paths.js';

export const CI_PROVIDERS = ['github'] as const;

/** The templates are written for an environment named "prod": give them the real name. */
export function adaptWorkflow(text: string, envName: string): string {
  return text.replace(/^(\s*BERTH_ENV:\s*)prod\s*$/gm, `$1${envName}`).replace(/^(\s*group:\s*berth-[a-z]+-)prod\s*$/gm, `$1${envName}`);
}

/** The workflow files `initCi` would write; throws (exit 2) on an unknown provider or a file that exists. */
export function checkCi(provider: string, project = projectDir()): { src: string; dest: string; names: string[] } {
  if (!(CI_PROVIDERS as readonly string[]).includes(provider))
    throw new UsageError(`--ci "${provider}": expected one of ${CI_PROVIDERS.join(', ')}.`);
  const src = join(paths.templates(), 'ci', provider);
  const dest = join(project, '.github', 'workflows');
  const names = readdirSync(src)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const clash = names.map((f) => join(dest, f)).filter((f) => existsSync(f));
  if (clash.length)
    throw new UsageError(`${clash.join(', ')} exist${clash.length === 1 ? 's' : ''} already: berth does not overwrite workflow files.`, {
      hint: 'Move them aside, or compare them with the templates in node_modules/berth/templates/ci/.',
    });
  return { src, dest, names };
}

export function initCi(provider: string, envName: string, project = projectDir()): { files: string[] } {
  const { src, dest, names } = checkCi(provider, project);
  // One level at a time (.github, then workflows), never a recursive mkdir.
  for (const d of [join(project, '.github'), dest]) if (!existsSync(d)) mkdirSync(d);
  const files = names.map((f) => {
    const target = join(dest, f);
    writeFileSync(target, adaptWorkflow(readFileSync(join(src, f), 'utf8'), envName), { flag: 'wx' });
    recordOwnedFile(target, project);
    return target;
  });
  return { files };
}
