/**
 * The sandbox's record of itself: `.berth/sandbox/sandbox.json`, written by `berth sandbox up`
 * and read by every command that talks to the sandbox (through src/aws/context.ts).
 *
 * Everything the sandbox keeps lives under `.berth/sandbox/`: this record, the emulator's log
 * (`emulator.log`) and the terraform state of the sandbox environment (`state/`, the built-in
 * environment's `state.path`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, projectDir } from '../config/paths.js';

export interface SandboxRecord {
  /** The emulator's URL, always http://127.0.0.1:<port>. */
  endpoint: string;
  region: string;
  /** PID of the emulator process berth started. */
  pid: number;
  port: number;
  /** Local stand-in for the environment's public URL (http://127.0.0.1:<port>), serving the ALB's routes. */
  publicUrl?: string;
  startedAt: string;
  /** Port of publicUrl. */
  publicPort?: number;
  /** The emulator's output. */
  logFile?: string;
  /** The Python the emulator runs in, and its moto version. */
  python?: string;
  motoVersion?: string;
  /** The environment applied to it (always `sandbox` for `berth sandbox up`). */
  environment?: string;
  /** When every stack was last applied to this emulator (absent: never completely). */
  appliedAt?: string;
}

export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIABERTHSANDBOXFAKE',
  secretAccessKey: 'berth-sandbox-fake-secret-not-a-real-key',
} as const;

export function sandboxRecordFile(project = projectDir()): string {
  return join(paths.sandboxDir(project), 'sandbox.json');
}

export function sandboxLogFile(project = projectDir()): string {
  return join(paths.sandboxDir(project), 'emulator.log');
}

export function readSandboxRecord(project = projectDir()): SandboxRecord | undefined {
  const f = sandboxRecordFile(project);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as SandboxRecord;
  } catch {
    return undefined;
  }
}

/** Write the record atomically (a reader never sees half a file). */
export function writeSandboxRecord(rec: SandboxRecord, project = projectDir()): void {
  mkdirSync(paths.sandboxDir(project), { recursive: true });
  const f = sandboxRecordFile(project);
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n');
  renameSync(tmp, f);
}

export function removeSandboxRecord(project = projectDir()): void {
  rmSync(sandboxRecordFile(project), { force: true });
}
