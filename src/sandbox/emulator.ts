/**
 * Starting and stopping the local AWS API emulator (moto_server) on 127.0.0.1 at a free port.
 * Never binds another address. Used by `berth sandbox up/down` (detached, outliving the CLI) and by
 * tests (attached, stopped in afterAll).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { MissingToolError, BerthError } from '../output/errors.js';
import { which } from '../terraform/tool.js';

export interface EmulatorOptions {
  /** Program and leading arguments; default: `moto_server` from PATH (BERTH_MOTO_SERVER overrides). */
  command?: string[];
  /** Port to use; default: a free one picked now. */
  port?: number;
  /** Keep running after this process exits (sandbox up). */
  detached?: boolean;
  /** Where the emulator's output goes (default: discarded). */
  logFile?: string;
  /** Extra environment for the emulator. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for it to answer. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface Emulator {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export const MOTO_HOW_TO =
  'berth\'s sandbox needs moto_server (moto 5.x with its server extra): `pip install "moto[server]"` (or `pipx install "moto[server]"`), then make sure moto_server is on PATH, or set BERTH_MOTO_SERVER to it.';

/** Ask the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const p = which(env.BERTH_MOTO_SERVER || 'moto_server', env);
  if (!p) throw new MissingToolError('moto_server', MOTO_HOW_TO);
  return p;
}

/** Is something answering HTTP at this endpoint? */
export async function answers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stop a process by PID: SIGTERM to its group, then SIGKILL after `graceMs`. Resolves when gone. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        /* gone, or not a group leader */
      }
    }
  };
  if (!isAlive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) {
    signal('SIGKILL');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const [cmd, ...lead] = opts.command ?? [findMotoServer()];
  const port = opts.port ?? (await freePort());
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(cmd!, [...lead, '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so stop() takes its children too
  });
  if (typeof out === 'number') closeSync(out);
  const pid = child.pid;
  let exited: number | null = null;
  let spawnError: Error | undefined;
  child.on('exit', (c) => (exited = c ?? -1));
  child.on('error', (e) => (spawnError = e));
  if (opts.detached) child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (spawnError) throw new MissingToolError(cmd!, `${spawnError.message}. ${MOTO_HOW_TO}`);
    if (exited !== null) throw new BerthError(`the emulator (${cmd}) exited with code ${exited} before it answered on ${endpoint}.`, { hint: opts.logFile ? `See ${opts.logFile}.` : undefined });
    if (await answers(endpoint, 500)) break;
    if (Date.now() > deadline) {
      if (pid) await stopPid(pid);
      throw new BerthError(`the emulator did not answer on ${endpoint} within ${Math.round((opts.readyTimeoutMs ?? 30_000) / 1000)} s.`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    pid: pid!,
    stop: () => stopPid(pid!),
  };
}
