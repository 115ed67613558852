/**
 * When terraform or moto is missing, `berth sandbox up` says which and how to get it, exits 3, and
 * starts nothing.
 */
import { chmodSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../src/terraform/tool.js';
import { berthCli } from './cli.js';

let project: string;
let scratch: string;
let terraformDir: string;
let motoDir: string;

beforeAll(() => {
  const tf = which('terraform');
  const moto = which('moto_server');
  if (!tf) throw new Error('this test needs terraform on PATH (to show that moto alone is reported missing)');
  if (!moto) throw new Error('this test needs moto_server on PATH (to show that terraform alone is reported missing)');
  terraformDir = dirname(tf);
  motoDir = dirname(moto);
  if (existsSync(join(motoDir, 'terraform')))
    throw new Error(`${motoDir} holds both moto_server and terraform: cannot take one away by PATH`);
  project = mkdtempSync(join(tmpdir(), 'berth-missing-'));
  scratch = mkdtempSync(join(tmpdir(), 'berth-missing-bin-'));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function env(over: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, BERTH_PROJECT_DIR: project, ...over };
  delete e.BERTH_MOTO_SERVER;
  delete e.BERTH_MOTO_PYTHON;
  delete e.BERTH_TERRAFORM;
  for (const [k, v] of Object.entries(over)) if (v !== undefined) e[k] = v;
  return e;
}

const nothingStarted = () => expect(existsSync(join(project, '.berth', 'sandbox', 'sandbox.json'))).toBe(false);

describe('berth sandbox up without its tools', () => {
  it('no terraform on PATH: names terraform and how to install it, exit 3', async () => {
    const r = await berthCli(['sandbox', 'up'], env({ PATH: motoDir }), project);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('terraform was not found or is not usable.');
    expect(r.stderr).toMatch(/Install terraform 1\.10\.0 or newer .*BERTH_TERRAFORM/);
    nothingStarted();
  });

  it('BERTH_MOTO_SERVER pointing nowhere: names moto_server and how to install it, exit 3 (also as --json)', async () => {
    const r = await berthCli(['sandbox', 'up', '--json'], env({ BERTH_MOTO_SERVER: '/nonexistent/moto_server' }), project);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('moto_server was not found or is not usable.');
    expect(r.stderr).toContain('BERTH_MOTO_SERVER=/nonexistent/moto_server is not an executable file.');
    expect(r.stderr).toContain('pip install "moto[server]"');
    expect(r.json).toMatchObject({ ok: false, error: { exitCode: 3 } });
    nothingStarted();
  });

  it('no moto_server on PATH: names moto_server, exit 3', async () => {
    const r = await berthCli(['sandbox', 'up', '--no-apply'], env({ PATH: terraformDir }), project);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('moto_server was not found or is not usable.');
    nothingStarted();
  });

  it('a moto_server whose Python has no moto: says no Python can import moto and how to point berth at one, exit 3', async () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    const fake = join(bin, 'moto_server');
    writeFileSync(fake, '#!/bin/sh\necho "not really moto" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    // An interpreter that has no moto: any python3 other than moto's, else none at all.
    const r = await berthCli(
      ['sandbox', 'up', '--no-apply'],
      env({ PATH: `${bin}:${terraformDir}`, BERTH_MOTO_PYTHON: '/usr/bin/false' }),
      project,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('moto (the Python package behind moto_server) was not found or is not usable.');
    expect(r.stderr).toContain(`moto_server is at ${fake}, but no Python that can \`import moto\``);
    expect(r.stderr).toContain('BERTH_MOTO_PYTHON');
    nothingStarted();
  });
});
