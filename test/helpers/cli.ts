/**
 * The one in-process CLI harness: runs berth's main() with injected output streams (stdout, stderr,
 * whether they are terminals) and environment variables, and returns what it wrote. Faster than
 * spawning, and the same code path as bin/berth.js. process.env is set for the run's duration
 * (berth's modules read BERTH_PROJECT_DIR and the AWS variables from it) and restored after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/index.js';
import type { CliIO } from '../../cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is one JSON document, else undefined. */
  json?: any;
}

export interface CliRunOptions {
  /** BERTH_PROJECT_DIR for the run. */
  project?: string;
  /** Environment variables for the run (undefined removes one). NO_COLOR=1 unless given. */
  env?: Record<string, string | undefined>;
  /** Pretend stdout (and stdin) are a terminal. Default: not. */
  tty?: boolean;
  stdinTty?: boolean;
}

function sink(): { stream: CliIO['stdout']; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: { write: (s: string | Uint8Array) => (chunks.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true) },
    text: () => chunks.join(''),
  };
}

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return fn().finally(() => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

export async function runCli(args: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  const vars: Record<string, string | undefined> = { NO_COLOR: '1', ...opts.env };
  if (opts.project !== undefined || !('BERTH_PROJECT_DIR' in vars)) vars.BERTH_PROJECT_DIR = opts.project ?? process.env.BERTH_PROJECT_DIR;
  const out = sink();
  const err = sink();
  return withEnv(vars, async () => {
    const io: CliIO = {
      stdout: out.stream,
      stderr: err.stream,
      stdoutIsTTY: Boolean(opts.tty),
      stdinIsTTY: Boolean(opts.stdinTty ?? opts.tty),
      env: process.env,
    };
    const code = await main(['node', 'berth', ...args], io);
    const stdout = out.text();
    let json: unknown;
    try {
      json = stdout.trim() ? JSON.parse(stdout) : undefined;
    } catch {
      json = undefined;
    }
    return { code, stdout, stderr: err.text(), json };
  });
}

export function tempProject(prefix = 'berth-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
