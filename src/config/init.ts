/** `berth init`: copy an example environment into the project under a new name. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../output/errors.js';
import { parseEnvironment } from './load.js';
import { paths } from './paths.js';

export function templateNames(): string[] {
  return readdirSync(join(paths.templates(), 'environments'))
    .filter((f) => f.endsWith('.json') && f !== 'sandbox.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function initEnvironment(name: string, template: string, opts: { force: boolean }) {
  if (!/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(name))
    throw new UsageError(`name "${name}": expected a lowercase name of 2-20 letters, digits and dashes, starting with a letter.`);
  const known = templateNames();
  if (!known.includes(template)) throw new UsageError(`--template "${template}": expected one of ${known.join(', ')}.`);
  const file = paths.environmentFile(name);
  if (existsSync(file) && !opts.force) throw new UsageError(`${file} exists already.`, { hint: 'Pass --force to overwrite it.' });
  const raw = JSON.parse(readFileSync(paths.templateEnvironment(template), 'utf8')) as Record<string, unknown>;
  raw.name = name;
  parseEnvironment(raw, file, name); // a template that does not validate is a bug; fail before writing
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(raw, null, 2) + '\n');
  return { file, template, name };
}
