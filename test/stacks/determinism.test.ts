import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthEnvironment } from '../../stacks/synth.js';
import { runCli } from '../helpers/cli.js';
import { environment } from './helpers.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'berth-determinism-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir (relative path -> bytes), .terraform excluded. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (e === '.terraform') continue;
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  visit(dir);
  return out;
}

describe('synth determinism', () => {
  it('writes byte-identical trees for the same config, wherever the output goes', async () => {
    for (const name of ['platform', 'two-service', 'sandbox']) {
      const env = environment(name);
      const a = await synthEnvironment(env, { outdir: join(tmp, `a-${name}`) });
      const b = await synthEnvironment(structuredClone(env), { outdir: join(tmp, 'deeper', 'folder', `b-${name}`) });
      const ta = tree(a.outdir);
      const tb = tree(b.outdir);
      expect([...ta.keys()]).toEqual([...tb.keys()]);
      expect(ta.size).toBe(11); // manifest.json + .berth-owned.json + 9 stacks
      for (const [f, bytes] of ta) expect(bytes.equals(tb.get(f)!), `${name}: ${f}`).toBe(true);
      expect(a.stacks).toEqual(b.stacks);
    }
  });

  it('names no folder of this machine in any output file (manifest and metadata included)', async () => {
    const out = join(tmp, 'paths');
    await synthEnvironment(environment('sandbox'), { outdir: out });
    const needles = [tmp, out, repo, process.cwd(), tmpdir()];
    for (const [f, bytes] of tree(out)) {
      const text = bytes.toString('utf8');
      for (const n of needles) expect(text.includes(n), `${f} contains ${n}`).toBe(false);
      expect(text, f).not.toMatch(/"\/(tmp|work|home|root|Users)\//);
    }
  });

  it('writes cdktf.out/<env>/ under the project by default', async () => {
    const project = join(tmp, 'project');
    mkdirSync(project);
    const saved = process.env.BERTH_PROJECT_DIR;
    process.env.BERTH_PROJECT_DIR = project;
    try {
      const r = await synthEnvironment(environment('platform'));
      expect(r.outdir).toBe(join(project, 'cdktf.out', 'platform'));
      expect(existsSync(join(project, 'cdktf.out', 'platform', 'manifest.json'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.BERTH_PROJECT_DIR;
      else process.env.BERTH_PROJECT_DIR = saved;
    }
  });

  it('removes the stack folders it wrote before that no longer belong, keeps terraform working data and files it did not write', async () => {
    const out = join(tmp, 'stale');
    await synthEnvironment(
      environment('platform', (e) => (e.app = 'oldapp')),
      { outdir: out },
    );
    const env = environment('platform');
    mkdirSync(join(out, 'stacks', 'someone-elses'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'someone-elses', 'notes.txt'), 'mine');
    const r = await synthEnvironment(env, { outdir: out });
    mkdirSync(join(out, 'stacks', 'chatbot-platform-network', '.terraform'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'chatbot-platform-network', '.terraform', 'keep'), 'x');
    await synthEnvironment(env, { outdir: out });
    expect(existsSync(join(out, 'stacks', 'oldapp-platform-network'))).toBe(false);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual([...r.stacks.map((s) => s.name), 'someone-elses'].sort());
    expect(readFileSync(join(out, 'stacks', 'someone-elses', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'stacks', 'chatbot-platform-network', '.terraform', 'keep'))).toBe(true);
  });

  it('changes only the stacks a config change touches', async () => {
    const base = await synthEnvironment(environment('platform'), { outdir: join(tmp, 'base') });
    const changed = await synthEnvironment(
      environment('platform', (e) => (e.services[0].imageTag = 'v2')),
      { outdir: join(tmp, 'changed') },
    );
    const ta = tree(base.outdir);
    const tb = tree(changed.outdir);
    const differing = [...ta.keys()].filter((f) => !ta.get(f)!.equals(tb.get(f)!));
    expect(differing).toEqual(['stacks/chatbot-platform-service/cdk.tf.json']);
  });
});

describe('berth synth', () => {
  const platformFile = join(repo, 'templates', 'environments', 'platform.json');

  it('--json prints exactly the SynthResult', async () => {
    const project = join(tmp, 'cli-json');
    mkdirSync(project);
    const r = await runCli(['synth', '--env', platformFile, '--json'], { project });
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.outdir).toBe(join(project, 'cdktf.out', 'platform'));
    expect(res.stacks).toHaveLength(9);
    for (const s of res.stacks) {
      expect(Object.keys(s).sort()).toEqual(['dependencies', 'kind', 'name', 'resources']);
      expect(existsSync(join(res.outdir, 'stacks', s.name, 'cdk.tf.json'))).toBe(true);
    }
  });

  it('prints the stacks and their resource counts', async () => {
    const project = join(tmp, 'cli-plain');
    mkdirSync(project);
    const r = await runCli(['synth', '--env', platformFile], { project });
    expect(r.code, r.stderr).toBe(0);
    const res = await synthEnvironment(environment('platform'), { outdir: join(tmp, 'cli-compare') });
    for (const s of res.stacks) expect(r.stdout).toMatch(new RegExp(`${s.name}\\s.*${s.resources} resources`));
  });

  it('refuses a broken environment with exit code 2 and writes nothing', async () => {
    const project = join(tmp, 'cli-bad');
    mkdirSync(project);
    const bad = join(project, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(platformFile, 'utf8')), name: 'bad', services: [] }));
    const r = await runCli(['synth', '--env', bad], { project });
    expect(r.code).toBe(2);
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });
});
