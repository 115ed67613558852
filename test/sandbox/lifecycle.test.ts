/**
 * `berth sandbox up / status / down` as processes: the emulator berth starts is detached, found
 * again by its record, stopped by its PID, and leaves no process and no port behind. These runs use
 * `up --no-apply` (the emulator without the stacks): applying the platform is what test/e2e/ does,
 * once per test run.
 */
import { mkdirSync, mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, berthCli, listeners, portOpen } from './cli.js';

let project: string;
let env: NodeJS.ProcessEnv;
const started: number[] = [];

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'berth-sandbox-life-'));
  env = { ...process.env, BERTH_PROJECT_DIR: project };
});

afterAll(async () => {
  // Whatever a failed test left: the emulators this file started, by their PIDs.
  for (const pid of started) {
    if (alive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  rmSync(project, { recursive: true, force: true });
});

const run = (...args: string[]) => berthCli(args, env, project);
const recordFile = () => join(project, '.berth', 'sandbox', 'sandbox.json');

async function up() {
  const r = await run('sandbox', 'up', '--no-apply', '--json');
  expect(r.code, r.stderr).toBe(0);
  started.push(r.json.pid);
  return r.json as { emulator: string; pid: number; port: number; endpoint: string; publicUrl: string; region: string };
}

describe('berth sandbox up / down', () => {
  it('status and down without a sandbox: not running (exit 1), nothing to stop (exit 0)', async () => {
    const st = await run('sandbox', 'status', '--json');
    expect(st.code).toBe(1);
    expect(st.json).toMatchObject({ running: false, stale: false });
    const down = await run('sandbox', 'down', '--json');
    expect(down.code).toBe(0);
    expect(down.json).toMatchObject({ found: false });
  });

  it('up and down twice in a row: each up starts an emulator on 127.0.0.1 only, each down stops that PID and closes its ports', async () => {
    const seen: { pid: number; ports: number[] }[] = [];
    for (let round = 0; round < 2; round++) {
      const u = await up();
      expect(u.emulator).toBe('started');
      expect(u.endpoint).toBe(`http://127.0.0.1:${u.port}`);
      expect(u.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const publicPort = Number(new URL(u.publicUrl).port);
      expect(alive(u.pid)).toBe(true);
      expect(await portOpen(u.port)).toBe(true);
      expect(await portOpen(publicPort)).toBe(true);
      for (const port of [u.port, publicPort]) {
        const l = listeners(port);
        if (l) expect(l.length > 0 && l.every((a) => a === '127.0.0.1')).toBe(true);
      }
      const rec = JSON.parse(readFileSync(recordFile(), 'utf8'));
      expect(rec).toMatchObject({ endpoint: u.endpoint, region: 'us-east-1', pid: u.pid, port: u.port, publicUrl: u.publicUrl });
      expect(typeof rec.startedAt).toBe('string');

      const st = await run('sandbox', 'status', '--json');
      expect(st.code).toBe(0);
      expect(st.json).toMatchObject({ running: true, endpoint: u.endpoint, region: 'us-east-1', publicUrl: u.publicUrl, pid: u.pid });

      // What an apply would have left: state and saved plans (berth's files), and terraform's init data (kept).
      const stateFile = join(project, '.berth', 'sandbox', 'state', 'demo-sandbox-network.tfstate');
      const work = join(project, '.berth', 'work', 'sandbox');
      mkdirSync(dirname(stateFile), { recursive: true });
      mkdirSync(join(work, 'demo-sandbox-network', 'data'), { recursive: true });
      // Round 1: the default (no terraform destroy) with a state. Round 2: --destroy with no state (nothing to destroy).
      if (round === 0) writeFileSync(stateFile, '{}');
      writeFileSync(join(work, 'plans.json'), '{}');
      writeFileSync(join(work, 'demo-sandbox-network.tfplan'), 'x');
      writeFileSync(join(work, 'demo-sandbox-network', 'data', 'berth-init'), 'marker');
      const down = await run('sandbox', 'down', '--json', ...(round ? ['--destroy'] : []));
      expect(down.code, down.stderr).toBe(0);
      expect(down.json).toMatchObject({ found: true, wasRunning: true, stoppedPid: u.pid, destroyed: round === 1, stacks: [] });
      expect(down.json.portsClosed.sort()).toEqual([u.port, publicPort].sort());
      expect(down.json.removed.sort()).toEqual(
        [
          '.berth/sandbox/sandbox.json',
          '.berth/sandbox/state',
          '.berth/work/sandbox/demo-sandbox-network.tfplan',
          '.berth/work/sandbox/plans.json',
        ].sort(),
      );
      expect(existsSync(dirname(stateFile))).toBe(false);
      expect(existsSync(join(work, 'plans.json'))).toBe(false);
      expect(existsSync(join(work, 'demo-sandbox-network', 'data', 'berth-init'))).toBe(true);
      expect(alive(u.pid)).toBe(false);
      expect(await portOpen(u.port)).toBe(false);
      expect(await portOpen(publicPort)).toBe(false);
      expect(existsSync(recordFile())).toBe(false);
      seen.push({ pid: u.pid, ports: [u.port, publicPort] });
    }
    expect(seen[0]!.pid).not.toBe(seen[1]!.pid);
    for (const s of seen) {
      expect(alive(s.pid)).toBe(false);
      for (const p of s.ports) expect(await portOpen(p)).toBe(false);
    }
    const st = await run('sandbox', 'status', '--json');
    expect(st.json).toMatchObject({ running: false });
  });

  it('a second up reuses the running emulator; after the emulator died, up starts a new one (its data died with it)', async () => {
    const first = await up();
    const again = await up();
    expect(again.emulator).toBe('reused');
    expect(again.pid).toBe(first.pid);
    expect(again.port).toBe(first.port);

    process.kill(-first.pid, 'SIGKILL'); // our own emulator, started by this test
    for (let i = 0; i < 100 && alive(first.pid); i++) await new Promise((r) => setTimeout(r, 20));
    const st = await run('sandbox', 'status', '--json');
    expect(st.code).toBe(1);
    expect(st.json).toMatchObject({ running: false, stale: true, pid: first.pid });

    const fresh = await up();
    expect(fresh.emulator).toBe('restarted');
    expect(fresh.pid).not.toBe(first.pid);
    expect(alive(fresh.pid)).toBe(true);

    const down = await run('sandbox', 'down', '--json');
    expect(down.code).toBe(0);
    expect(alive(fresh.pid)).toBe(false);
  });

  it('down never stops a process that merely holds the recorded PID: it checks the PID is still the emulator', async () => {
    const u = await up();
    // The record now names this test process (alive, but not an emulator): down must leave it alone.
    const rec = JSON.parse(readFileSync(recordFile(), 'utf8'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(recordFile(), JSON.stringify({ ...rec, pid: process.pid }));
    const down = await run('sandbox', 'down', '--json');
    expect(down.code).toBe(0);
    expect(down.json.stoppedPid).toBeUndefined();
    expect(alive(process.pid)).toBe(true);
    expect(existsSync(recordFile())).toBe(false);
    // The real emulator is ours: stop it by its PID.
    process.kill(-u.pid, 'SIGTERM');
    for (let i = 0; i < 250 && alive(u.pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(u.pid)).toBe(false);
  });
});
