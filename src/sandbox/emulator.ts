/**
 * Starting and stopping the local AWS API emulator on 127.0.0.1 at a free port. Never binds
 * another address. Used by `berth sandbox up/down` (detached, outliving the CLI) and by tests
 * (attached, stopped in afterAll).
 *
 * The emulator is moto extended by berth (src/sandbox/moto/launcher.py: ECS that runs tasks,
 * target health, the circuit breaker, log lines, a local public endpoint, and moto's gaps mended).
 * It runs in the Python that has moto: found from the moto_server script (its shebang, or the
 * Python next to it: venv, pipx, pyenv shims), else `python3` on PATH. `plain: true` runs the stock
 * moto_server instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { packageDir } from '../config/paths.js';
import { isAlive } from '../config/process-alive.js';
import { MissingToolError, BerthError } from '../output/errors.js';
import { which } from '../terraform/tool.js';

export interface EmulatorOptions {
  /** Program and leading arguments; default: berth's extended moto (launcher.py) in moto's Python. */
  command?: string[];
  /** Run the stock moto_server (BERTH_MOTO_SERVER or PATH) instead of berth's extension. */
  plain?: boolean;
  /** Port to use; default: a free one picked now. */
  port?: number;
  /**
   * The local stand-in for the public URL (extended emulator only): a port, `true` for a free one
   * (the default), `false` for none.
   */
  publicPort?: number | boolean;
  /** Keep running after this process exits (sandbox up). */
  detached?: boolean;
  /** Where the emulator's output goes (default: discarded). */
  logFile?: string;
  /** Extra environment for the emulator (e.g. BERTH_SANDBOX_ECS_TIME_SCALE). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for it to answer. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface Emulator {
  endpoint: string;
  port: number;
  pid: number;
  /** http://127.0.0.1:<publicPort>, when the emulator serves one. */
  publicUrl?: string;
  publicPort?: number;
  /** The Python it runs in (extended emulator). */
  python?: string;
  stop(): Promise<void>;
}

export const MOTO_HOW_TO =
  'berth\'s sandbox needs moto_server (moto 5.x with its server extra): `pip install "moto[server]"` (or `pipx install "moto[server]"`), then make sure moto_server is on PATH, or set BERTH_MOTO_SERVER to it.';

/** The launcher of berth's moto extension (shipped as source next to this module's source). */
export function launcherPath(): string {
  return join(packageDir(), 'src', 'sandbox', 'moto', 'launcher.py');
}

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

/** Two different free ports. */
async function twoFreePorts(): Promise<[number, number]> {
  const a = await freePort();
  for (let i = 0; i < 20; i++) {
    const b = await freePort();
    if (b !== a) return [a, b];
  }
  throw new BerthError('could not find two free ports on 127.0.0.1.');
}

export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const p = which(env.BERTH_MOTO_SERVER || 'moto_server', env);
  if (!p) {
    const where = env.BERTH_MOTO_SERVER ? `BERTH_MOTO_SERVER=${env.BERTH_MOTO_SERVER} is not an executable file. ` : '';
    throw new MissingToolError('moto_server', where + MOTO_HOW_TO);
  }
  return p;
}

export interface MotoPython {
  /** The Python interpreter that imports moto. */
  python: string;
  /** moto's version, e.g. 5.2.1. */
  version: string;
  /** The moto_server script it was found from. */
  motoServer: string;
}

const pythonCache = new Map<string, MotoPython>();

/**
 * Has this Python moto with its server extra (flask, werkzeug), and which moto? Found by the import
 * system and moto's package metadata without importing moto (which loads boto3 and botocore: ~0.6 CPU s
 * before every emulator start); the launcher imports it right after.
 */
const PROBE = [
  'import sys, importlib.util as u, importlib.metadata as m',
  'if any(u.find_spec(n) is None for n in ("moto", "flask", "werkzeug")): sys.exit(1)',
  'try: v = m.version("moto")',
  // moto from a source tree (no package metadata): its own attribute, by importing it.
  'except Exception: import moto; v = moto.__version__',
  'print(v); print(sys.executable)',
].join('\n');

/** Interpreters to try, best first, for a moto_server script. */
export function pythonCandidates(motoServer: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.BERTH_MOTO_PYTHON) out.push(env.BERTH_MOTO_PYTHON);
  let first = '';
  try {
    first = readFileSync(motoServer, 'utf8').slice(0, 4096).split('\n')[0] ?? '';
  } catch {
    /* unreadable: try the others */
  }
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (shebang) {
    const [, prog, arg] = shebang;
    if (/python[\d.]*$/.test(prog!)) out.push(prog!);
    else if (prog!.endsWith('/env') && arg && /^python[\d.]*$/.test(arg)) {
      const p = which(arg, env);
      if (p) out.push(p);
    }
  }
  // venv / pipx / pyenv shims: the interpreter lives next to the script.
  for (const name of ['python3', 'python']) {
    const p = join(dirname(motoServer), name);
    if (existsSync(p)) out.push(p);
  }
  const onPath = which('python3', env);
  if (onPath) out.push(onPath);
  return [...new Set(out)];
}

/** The Python that has moto, found from moto_server; MissingToolError (exit 3) saying which is missing. */
export function findMotoPython(env: NodeJS.ProcessEnv = process.env): MotoPython {
  const motoServer = findMotoServer(env);
  const key = `${motoServer}|${env.BERTH_MOTO_PYTHON ?? ''}|${env.PATH ?? ''}`;
  const hit = pythonCache.get(key);
  if (hit) return hit;
  const tried: string[] = [];
  for (const python of pythonCandidates(motoServer, env)) {
    const r = spawnSync(python, ['-c', PROBE], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const [version = '', executable = ''] = (r.stdout ?? '')
      .trim()
      .split('\n')
      .map((x) => x.trim());
    if (r.status === 0 && /^\d+\./.test(version)) {
      if (!version.startsWith('5.'))
        throw new MissingToolError(
          'moto 5.x',
          `${python} has moto ${version}; berth's sandbox extension is written for moto 5.x. ${MOTO_HOW_TO}`,
        );
      // The interpreter itself, not a shim in front of it (pyenv): a stable command line to recognise.
      const found = { python: executable && existsSync(executable) ? executable : python, version, motoServer };
      pythonCache.set(key, found);
      return found;
    }
    tried.push(python);
  }
  throw new MissingToolError(
    'moto (the Python package behind moto_server)',
    `moto_server is at ${motoServer}, but no Python that can \`import moto\` (with its server extra) was found${tried.length ? ` (tried ${tried.join(', ')})` : ''}. Set BERTH_MOTO_PYTHON to the Python moto is installed in. ${MOTO_HOW_TO}`,
  );
}

/**
 * Is moto answering at this endpoint? Asks for its dashboard page (static, cheap); not data.json,
 * which serializes every backend and takes seconds once the platform is applied.
 */
export async function answers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Does anything accept TCP connections on 127.0.0.1:port? */
export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => done(true));
  });
}

/**
 * Is `pid` the emulator berth started on `port` (and not a process that reused the PID)? Reads
 * /proc where there is one; elsewhere, trusts a live PID whose port answers like moto.
 */
export async function isOurEmulator(pid: number, port: number, endpoint = `http://127.0.0.1:${port}`): Promise<boolean> {
  if (!pid || !isAlive(pid)) return false;
  const procFile = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    try {
      const args = readFileSync(procFile, 'utf8').split('\0');
      const i = args.findIndex((a) => a === '-p' || a === '--port');
      return i >= 0 && args[i + 1] === String(port) && args.some((a) => /launcher\.py$|moto_server$/.test(a));
    } catch {
      return false;
    }
  }
  return answers(endpoint, 1000);
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
    const killDeadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  let argv: string[];
  let python: string | undefined;
  let port = opts.port;
  let publicPort: number | undefined;
  if (opts.command) {
    argv = [...opts.command];
  } else if (opts.plain) {
    argv = [findMotoServer({ ...process.env, ...opts.env })];
  } else {
    python = findMotoPython({ ...process.env, ...opts.env }).python;
    argv = [python, launcherPath()];
    if (opts.publicPort !== false) {
      if (typeof opts.publicPort === 'number') publicPort = opts.publicPort;
      else if (port === undefined) [port, publicPort] = await twoFreePorts();
      else {
        do publicPort = await freePort();
        while (publicPort === port);
      }
    }
  }
  port ??= await freePort();
  const [cmd, ...lead] = argv;
  const args = [...lead, '-H', '127.0.0.1', '-p', String(port), ...(publicPort ? ['--public-port', String(publicPort)] : [])];
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(cmd!, args, {
    // No __pycache__ next to berth's sources; output line by line into the log.
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
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
  const limit = opts.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + limit;
  for (;;) {
    if (spawnError) throw new MissingToolError(cmd!, `${spawnError.message}. ${MOTO_HOW_TO}`);
    if (exited !== null)
      throw new BerthError(`the emulator (${cmd}) exited with code ${exited} before it answered on ${endpoint}.`, {
        hint: opts.logFile ? `See ${opts.logFile}.` : undefined,
      });
    if ((await answers(endpoint, 500)) && (!publicPort || (await portOpen(publicPort)))) break;
    if (Date.now() > deadline) {
      if (pid) await stopPid(pid);
      throw new BerthError(`the emulator did not answer on ${endpoint} within ${Math.round(limit / 1000)} s.`, {
        hint: opts.logFile ? `See ${opts.logFile}.` : undefined,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    pid: pid!,
    publicPort,
    publicUrl: publicPort ? `http://127.0.0.1:${publicPort}` : undefined,
    python,
    stop: () => stopPid(pid!),
  };
}
