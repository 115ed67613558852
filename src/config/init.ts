/** `berth init`: copy an example environment into the project under a new name. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { parseEnvironment } from './load.js';
import { claimOutputDir, isOwnedFile, recordOwnedFile } from './owned-dir.js';
import { paths } from './paths.js';

export function templateNames(): string[] {
  return readdirSync(join(paths.templates(), 'environments'))
    .filter((f) => f.endsWith('.json') && f !== 'sandbox.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function initEnvironment(name: string, template: string, opts: { force: boolean }) {
  if (!/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(name))
    throw new UsageError(`name "${name}": expected a lowercase name of 2-20 letters, digits and dashes, starting with a letter.`, { code: ERROR_CODES.flagFormat });
  const known = templateNames();
  if (!known.includes(template)) throw new UsageError(`--template "${template}": expected one of ${known.join(', ')}.`, { code: ERROR_CODES.unknownName });
  const file = paths.environmentFile(name);
  if (existsSync(file) && !opts.force)
    throw new UsageError(`${file} exists already; expected a new environment name.`, { code: ERROR_CODES.outputNotOwned, hint: 'Pass --force to overwrite it (only a file berth init wrote).' });
  if (existsSync(file) && !isOwnedFile(file))
    throw new UsageError(`${file} exists and berth did not write it: --force replaces only a file berth init wrote; expected a new environment name.`, {
      code: ERROR_CODES.outputNotOwned,
      hint: 'Move or delete it yourself first, or choose another name; nothing was written.',
    });
  const raw = JSON.parse(readFileSync(paths.templateEnvironment(template), 'utf8')) as Record<string, unknown>;
  raw.name = name;
  parseEnvironment(raw, file, name); // a template that does not validate is a bug; fail before writing
  if (!existsSync(dirname(file))) claimOutputDir(dirname(file), 'environments/');
  writeFileSync(file, JSON.stringify(raw, null, 2) + '\n');
  recordOwnedFile(file);
  return { file, template, name };
}
