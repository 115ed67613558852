/**
 * Writing environments/<name>.json: only a new file or one berth wrote before (checked again right
 * before writing, src/config/owned-dir.ts), through a temporary file and a rename, then remembered
 * as berth's so a later discover may replace it.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { claimOutputFile, isOwnedFile, recordOwnedFile } from '../config/owned-dir.js';

export function writeEnvironment(file: string, doc: Record<string, unknown>): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir);
  if (!isOwnedFile(file)) claimOutputFile(file, '--name');
  const tmp = `${file}.berth-tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
  renameSync(tmp, file);
  recordOwnedFile(file);
}
