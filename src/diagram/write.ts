/**
 * Writing a diagram to a file the user named: a new file, or one berth wrote before (listed in
 * .berth/owned-files.json, or carrying berth diagram's mark). Anything else is refused, exit 2,
 * before a byte is written (src/config/owned-dir.ts).
 */
import { existsSync, lstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { claimOutputFile, recordOwnedFile } from '../config/owned-dir.js';
import { isBerthDiagram } from './render.js';

export function checkDiagramTarget(file: string): string {
  const path = resolve(file);
  if (existsSync(path) && lstatSync(path).isFile() && isBerthDiagram(readFileSync(path, 'utf8').slice(0, 400))) return path;
  return claimOutputFile(file, '--out');
}

/** Write through a temporary file and a rename (a reader never sees half a diagram); remember it as berth's. */
export function writeDiagram(path: string, text: string): void {
  const tmp = `${path}.berth-tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  recordOwnedFile(path);
}
