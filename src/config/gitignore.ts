/**
 * Make sure a project's .gitignore ignores what berth writes: create the file, or append the lines
 * that are missing. Never rewrites or reorders what is there.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `.berth/`, `.berth`, `/.berth/` and `/.berth` all ignore the folder at the root. */
function normalise(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '');
}

export function missingIgnoreLines(text: string, wanted: readonly string[]): string[] {
  const have = new Set(
    text
      .split(/\r?\n/)
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .map(normalise),
  );
  return wanted.filter((w) => !have.has(normalise(w)));
}

export function ensureGitignore(project: string, wanted: readonly string[]): { file: string; added: string[] } {
  const file = join(project, '.gitignore');
  if (!existsSync(file)) {
    writeFileSync(file, `# berth's working files\n${wanted.join('\n')}\n`, { flag: 'wx' });
    return { file, added: [...wanted] };
  }
  const text = readFileSync(file, 'utf8');
  const added = missingIgnoreLines(text, wanted);
  if (added.length) appendFileSync(file, `${text.length && !text.endsWith('\n') ? '\n' : ''}${added.join('\n')}\n`);
  return { file, added };
}
