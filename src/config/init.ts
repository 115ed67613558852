/**
 * `berth init`: copy an example environment into the project under a new name, pointing editors at
 * the JSON Schema shipped in berth's package, and git-ignore what berth writes. It never overwrites
 * a file berth did not write: an existing environment file is refused (exit 2) before anything is
 * written; `--force` replaces only one berth init wrote.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { ensureGitignore } from './gitignore.js';
import { parseEnvironment } from './load.js';
import { claimOutputDir, isOwnedFile, recordOwnedFile } from './owned-dir.js';
import { packageDir, paths, projectDir } from './paths.js';

export function templateNames(): string[] {
  return readdirSync(join(paths.templates(), 'environments'))
    .filter((f) => f.endsWith('.json') && f !== 'sandbox.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** The schema shipped in berth's package, as a path relative to `fromDir` (what editors resolve). */
export function schemaReference(fromDir: string): string {
  const schema = join(packageDir(), 'schema', 'environment.schema.json');
  return relative(fromDir, schema).split(sep).join('/');
}

export function checkEnvironmentName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(name))
    throw new UsageError(`name "${name}": expected a lowercase name of 2-20 letters, digits and dashes, starting with a letter.`, {
      code: ERROR_CODES.flagFormat,
    });
}

export interface InitResult {
  file: string;
  template: string;
  name: string;
  schema: string;
  /** Lines appended to .gitignore (empty when they were there already). */
  gitignoreAdded: string[];
  gitignore: string;
}

/** The environment document to write: the template, renamed, with a `$schema` reference first. */
function environmentDocument(name: string, template: string, file: string): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(paths.templateEnvironment(template), 'utf8')) as Record<string, unknown>;
  delete raw.$schema;
  const doc = { $schema: schemaReference(dirname(file)), ...raw, name };
  parseEnvironment(structuredClone(doc), file, name); // a template that does not validate is a bug; fail before writing
  return doc;
}

function checkTarget(file: string, force: boolean, project: string): void {
  if (!existsSync(file)) return;
  if (!force)
    throw new UsageError(`${file} exists already; expected a new environment name.`, {
      code: ERROR_CODES.outputNotOwned,
      hint: 'Pass --force to overwrite it (only a file berth init wrote).',
    });
  if (!isOwnedFile(file, project))
    throw new UsageError(
      `${file} exists and berth did not write it: --force replaces only a file berth init wrote; expected a new environment name.`,
      {
        code: ERROR_CODES.outputNotOwned,
        hint: 'Move or delete it yourself first, or choose another name; nothing was written.',
      },
    );
}

export function initEnvironment(name: string, template: string, opts: { force: boolean }, project = projectDir()): InitResult {
  checkEnvironmentName(name);
  const known = templateNames();
  if (!known.includes(template))
    throw new UsageError(`--template "${template}": expected one of ${known.join(', ')}.`, { code: ERROR_CODES.unknownName });
  const file = paths.environmentFile(name, project);
  checkTarget(file, opts.force, project);
  const doc = environmentDocument(name, template, file);
  if (!existsSync(dirname(file))) claimOutputDir(dirname(file), 'environments/', project);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  recordOwnedFile(file, project);
  const ignore = ensureGitignore(project, ['.berth/', 'cdktf.out/']);
  return { file, template, name, schema: doc.$schema as string, gitignoreAdded: ignore.added, gitignore: ignore.file };
}
