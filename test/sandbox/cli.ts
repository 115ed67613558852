/** Test helpers: run a program or the built CLI (node bin/berth.js) in a child process; is a process or port alive. */
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Socket } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'berth.js');

/** A finished child process: exit code, output, and stdout parsed as JSON when it is JSON. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  json?: unknown;
}

export interface Run extends ProcessResult {
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Run a program to its end (killed after timeoutMs), collecting its output. */
export function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((res, rej) => {
    const c = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', (e) => {
      clearTimeout(timer);
      rej(new Error(`could not run ${cmd}: ${e.message}`));
    });
    c.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      res({ code: code ?? 1, stdout, stderr, json });
    });
  });
}

/** Run the built CLI (node bin/berth.js), colour off unless env says otherwise. */
export function berthCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 120_000): Promise<Run> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js')))
    throw new Error('berth is not built: run `npx tsc -p tsconfig.json` (npm test does) first.');
  return runProcess(process.execPath, [BIN, ...args], { NO_COLOR: '1', ...env }, cwd, timeoutMs);
}

/** Is the process still there? (the same test `berth sandbox down` uses) */
export { isAlive as alive } from '../../src/config/process-alive.js';

export function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = new Socket();
    const done = (v: boolean) => {
      s.destroy();
      res(v);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => done(true));
  });
}

/** The local addresses listening on `port` (Linux /proc/net/tcp{,6}); undefined where there is no /proc. */
export function listeners(port: number): string[] | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const out: string[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // LISTEN
      const [addr, hexPort] = cols[1]!.split(':');
      if (parseInt(hexPort!, 16) !== port) continue;
      out.push(
        addr!.length === 8
          ? addr!
              .match(/../g)!
              .reverse()
              .map((h) => parseInt(h, 16))
              .join('.')
          : addr!,
      );
    }
  }
  return out;
}
