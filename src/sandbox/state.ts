/**
 * The sandbox's record of itself: `.berth/sandbox/sandbox.json`, written by `berth sandbox up`
 * and read by every command that talks to the sandbox (through src/aws/context.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
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
}

export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIABERTHSANDBOXFAKE',
  secretAccessKey: 'berth-sandbox-fake-secret-not-a-real-key',
} as const;

export function sandboxRecordFile(project = projectDir()): string {
  return join(paths.sandboxDir(project), 'sandbox.json');
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
