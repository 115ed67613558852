/**
 * Writing a diagram to a file the user named: a new file, or one berth diagram wrote before (it
 * carries berth's mark). Anything else is refused before a byte is written.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../output/errors.js';
import { isBerthDiagram } from './render.js';

export function checkDiagramTarget(file: string): string {
  const path = resolve(file);
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
    throw new UsageError(`--out "${file}": the folder ${dirname(path)} does not exist.`, { hint: 'Name a file in an existing folder.' });
  }
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new UsageError(`--out "${file}" is not a file.`);
    if (!isBerthDiagram(readFileSync(path, 'utf8'))) {
      throw new UsageError(`--out "${file}" exists and was not written by berth diagram; berth never overwrites a file it did not write.`, {
        hint: 'Name a new file, or remove that one yourself.',
      });
    }
  }
  return path;
}

/** Write through a temporary file and a rename: a reader never sees half a diagram. */
export function writeDiagram(path: string, text: string): void {
  const tmp = `${path}.berth-tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
