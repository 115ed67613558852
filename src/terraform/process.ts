/**
 * Running terraform: one child process with a hard time limit. Terraform against an emulator can
 * retry an unsupported call for 15 minutes; berth stops it at the limit, says which stack and which
 * resources it was waiting on, and exits 124. The environment is berth's own CLI config plus
 * automation settings; output lines are streamed to a callback and kept (bounded) for errors.
 */
import { spawn } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { ensureCliConfig } from './cli-config.js';
import { findTerraform } from './tool.js';

export interface RunOptions {
  /** The stack's working directory (cdktf.out/<env>/stacks/<stack>). */
  cwd: string;
  args: string[];
  /** Stack name, for messages. */
  stack: string;
  /** Hard limit; default 10 minutes. */
  timeoutMs?: number;
  /** Extra environment (AWS_ENDPOINT_URL for the sandbox, credentials...). */
  env?: NodeJS.ProcessEnv;
  /** Each output line (stdout and stderr), as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** How far terraform and the provider it starts yield to berth's other runs: added to berth's own nice value (0 default). */
  nice?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export class TerraformTimeoutError extends BerthError {
  constructor(
    readonly stackName: string,
    readonly waitingOn: string[],
    readonly limitMs: number,
    readonly command: string,
  ) {
    super(
      `terraform ${command} of stack ${stackName} did not finish within ${Math.round(limitMs / 1000)} s and was stopped; ` +
        (waitingOn.length ? `it was waiting on ${waitingOn.join(', ')}.` : 'it had not started on any resource yet.'),
      {
        exitCode: EXIT.TIMED_OUT,
        hint: 'An API the provider calls may be missing or failing (against the sandbox: a gap in the emulator). Re-run with TF_LOG=debug to see the retried call.',
        details: { stack: stackName, waitingOn, limitMs, command },
      },
    );
    this.name = 'TerraformTimeoutError';
  }
}

/** Keep the last `max` characters of a growing text. */
class Tail {
  private s = '';
  constructor(private readonly max: number) {}
  push(x: string) {
    this.s += x;
    if (this.s.length > this.max * 2) this.s = this.s.slice(-this.max);
  }
  toString() {
    return this.s.length > this.max ? this.s.slice(-this.max) : this.s;
  }
}

/**
 * Which resources terraform is busy with, from its human output ("aws_x.y: Creating...",
 * "Still creating...", "Creation complete") and its -json messages (apply_start/apply_complete,
 * refresh_start/refresh_complete).
 */
export class InFlight {
  private readonly open = new Map<string, string>();

  feed(line: string): void {
    const t = line.trim();
    if (t.startsWith('{')) {
      try {
        const m = JSON.parse(t) as { type?: string; hook?: { resource?: { addr?: string }; action?: string } };
        const addr = m.hook?.resource?.addr;
        if (!addr || !m.type) return;
        if (m.type === 'apply_start' || m.type === 'apply_progress') this.open.set(addr, m.hook?.action ?? 'apply');
        else if (m.type === 'refresh_start') this.open.set(addr, 'refresh');
        else if (m.type === 'apply_complete' || m.type === 'apply_errored' || m.type === 'refresh_complete') this.open.delete(addr);
        return;
      } catch {
        /* not JSON: fall through */
      }
    }
    // eslint-disable-next-line no-control-regex
    const plain = t.replace(/\x1b\[[0-9;]*m/g, '');
    const m = /^((?:module\.[^:\s]+\.)?(?:data\.)?[a-z0-9_]+\.[^:\s]+): (.*)$/.exec(plain);
    if (!m) return;
    const [, addr, rest] = m as unknown as [string, string, string];
    if (/^(Creating|Modifying|Destroying|Reading|Refreshing state|Still (creating|modifying|destroying|reading))/.test(rest)) {
      this.open.set(addr, rest.split('.')[0]!.toLowerCase());
    } else if (/(complete|Read complete|Destruction complete|Creation complete|Modifications complete)/i.test(rest)) {
      this.open.delete(addr);
    }
  }

  list(): string[] {
    return [...this.open.entries()].map(([a, what]) => `${a} (${what})`);
  }
}

export async function runTerraform(opts: RunOptions): Promise<RunResult> {
  const tool = await findTerraform();
  const cli = ensureCliConfig();
  const limit = opts.timeoutMs ?? 10 * 60_000;
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    TF_CLI_CONFIG_FILE: cli.file,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(tool.path, opts.args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Before terraform starts its provider, which inherits it; relative to berth's own priority (berth run
  // under `nice` keeps its children behind it, never ahead). Best effort: a refused renice changes nothing else.
  if (opts.nice && child.pid)
    try {
      setPriority(child.pid, Math.min(19, getPriority() + opts.nice));
    } catch {
      /* not permitted here */
    }
  const inflight = new InFlight();
  const out = new Tail(256 * 1024);
  const err = new Tail(64 * 1024);
  const lineSplitter = (stream: 'stdout' | 'stderr', sink: Tail) => {
    let buf = '';
    return (chunk: Buffer) => {
      const s = chunk.toString('utf8');
      sink.push(s);
      buf += s;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        inflight.feed(line);
        opts.onLine?.(line, stream);
      }
    };
  };
  child.stdout.on('data', lineSplitter('stdout', out));
  child.stderr.on('data', lineSplitter('stderr', err));

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  // SIGINT first: terraform stops gracefully and writes its state; SIGKILL if it does not.
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGINT');
    killTimer = setTimeout(() => kill('SIGKILL'), 15_000);
    killTimer.unref();
  }, limit);
  const onAbort = () => kill('SIGINT');
  opts.signal?.addEventListener('abort', onAbort);

  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  }).finally(() => {
    clearTimeout(timer);
    // terraform has exited: never signal its (later reusable) id again; after a timeout, take any
    // straggler of its group (a provider plugin) with it while the group still exists.
    if (killTimer) clearTimeout(killTimer);
    if (timedOut && child.pid) {
      try {
        process.kill(-child.pid, 0);
        kill('SIGKILL');
      } catch {
        /* the group is gone */
      }
    }
    opts.signal?.removeEventListener('abort', onAbort);
  });
  if (timedOut) throw new TerraformTimeoutError(opts.stack, inflight.list(), limit, opts.args[0] ?? '');
  return { code, stdout: out.toString(), stderr: err.toString(), durationMs: Date.now() - started };
}
