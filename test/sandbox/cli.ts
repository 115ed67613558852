/** Test helper: run the built CLI (node bin/berth.js) in a child process, with its own environment. */
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Socket } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'berth.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function berthCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 120_000): Promise<Run> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) throw new Error('berth is not built: run `npx tsc -p tsconfig.json` (npm test does) first.');
  return new Promise((res, rej) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd, env: { NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', rej);
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

/** Is the process still there? (the same test `berth sandbox down` uses) */
export { isAlive as alive } from '../../src/sandbox/emulator.js';

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
      out.push(addr!.length === 8 ? addr!.match(/../g)!.reverse().map((h) => parseInt(h, 16)).join('.') : addr!);
    }
  }
  return out;
}
