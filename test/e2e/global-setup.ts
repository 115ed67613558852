/**
 * vitest globalSetup of the `e2e` project (vitest.config.ts): ONE sandbox for every module in
 * test/e2e/, brought up the way a person would (`berth sandbox up`, spawned from dist/) in a fresh
 * temporary project, and torn down at the end (`berth sandbox down`, which stops the emulator and
 * removes the sandbox's state; BERTH_E2E_DESTROY=1 runs `down --destroy`, terraform destroy first). It runs only when e2e files are queued: `npx vitest run test/stacks` starts
 * nothing.
 *
 * `up` runs in the background from the moment the run starts, so the unit tests (beside the e2e lane)
 * overlap the ~3 minutes the provider's own waits take; test/e2e/harness.ts `sandbox()` waits for
 * it. Teardown checks that nothing is left behind: the emulator's PID is gone and its ports refuse
 * connections.
 *
 * Environment: BERTH_E2E_PROJECT names a project folder to use instead of a new temporary one: up
 * runs there too (a no-op over a live sandbox) and it is not torn down; BERTH_E2E_KEEP=1 leaves the
 * sandbox running at the end (debugging). terraform destroy itself is covered on stock moto by
 * test/terraform/orchestrate.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { alive, portOpen } from '../sandbox/cli.js';
import { TERRAFORM_GOGC } from '../helpers/terraform-gc.js';
import { E2E_DIR, type E2EProvided } from './paths.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'berth.js');

let child: ChildProcess | undefined;
let upDone: Promise<number> | undefined;
let project: string | undefined;
let owned = false;

function cliEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, GOGC: TERRAFORM_GOGC, BERTH_PROJECT_DIR: dir, NO_COLOR: '1', FORCE_COLOR: '0' };
}

export function setup(p: TestProject): void {
  const reuse = process.env.BERTH_E2E_PROJECT;
  project = reuse ? resolve(reuse) : mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  owned = !reuse;
  const dir = join(project, E2E_DIR);
  mkdirSync(dir, { recursive: true });
  const provided: E2EProvided = { project, root: ROOT, bin: BIN };
  p.provide('berthE2E', provided);
  for (const f of ['up.json', 'up.err', 'up.exit']) rmSync(join(dir, f), { force: true });
  if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) {
    writeFileSync(
      join(dir, 'up.err'),
      `berth is not built: ${join(ROOT, 'dist')} is missing. Run \`npx tsc -p tsconfig.json\` (npm test does) first.\n`,
    );
    writeFileSync(join(dir, 'up.exit'), '1\n');
    return;
  }
  const out = openSync(join(dir, 'up.json'), 'w');
  const err = openSync(join(dir, 'up.err'), 'w');
  child = spawn(process.execPath, [BIN, 'sandbox', 'up', '--json'], { cwd: project, env: cliEnv(project), stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  upDone = new Promise<number>((res) => {
    child!.on('error', (e) => {
      writeFileSync(join(dir, 'up.err'), `could not start berth: ${e.message}\n`, { flag: 'a' });
      writeFileSync(join(dir, 'up.exit'), '1\n');
      res(1);
    });
    child!.on('close', (code, sig) => {
      const c = code ?? (sig ? 128 : 1);
      writeFileSync(join(dir, 'up.exit'), `${c}\n`);
      res(c);
    });
  });
}

function run(args: string[], dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: cliEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
  });
}

export async function teardown(): Promise<void> {
  if (!project || !owned) return;
  if (upDone) await upDone;
  if (process.env.BERTH_E2E_KEEP) {
    process.stderr.write(`berth e2e: sandbox left running in ${project} (BERTH_E2E_KEEP)\n`);
    return;
  }
  const recFile = join(project, '.berth', 'sandbox', 'sandbox.json');
  const rec = existsSync(recFile)
    ? (JSON.parse(readFileSync(recFile, 'utf8')) as { pid: number; port: number; publicPort?: number })
    : undefined;
  const down = await run(['sandbox', 'down', '--json', ...(process.env.BERTH_E2E_DESTROY ? ['--destroy'] : [])], project);
  const problems: string[] = [];
  if (down.code !== 0) problems.push(`berth sandbox down exited ${down.code}:\n${down.stderr.slice(-3000)}`);
  if (rec) {
    if (alive(rec.pid)) problems.push(`the emulator (pid ${rec.pid}) is still running after berth sandbox down`);
    for (const port of [rec.port, rec.publicPort].filter((x): x is number => Boolean(x)))
      if (await portOpen(port)) problems.push(`port ${port} still accepts connections after berth sandbox down`);
  }
  if (existsSync(recFile)) problems.push(`${recFile} is still there after berth sandbox down`);
  const stateDir = join(project, '.berth', 'sandbox', 'state');
  if (existsSync(stateDir)) problems.push(`${stateDir} is still there after berth sandbox down`);
  if (!problems.length) rmSync(project, { recursive: true, force: true });
  if (problems.length) throw new Error(`e2e teardown: ${problems.join('; ')} (project kept: ${project})`);
}
