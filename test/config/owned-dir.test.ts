/** berth owns what it writes: where it may write, and what it may delete (src/config/owned-dir.ts). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimOutputDir, claimOutputFile, mayDelete, OWNER_FILE, recordOwned, recordOwnedFile } from '../../src/config/owned-dir.js';
import { runCli, tempProject } from '../helpers/cli.js';

let p: { dir: string; cleanup: () => void };
beforeEach(() => (p = tempProject('berth-owned-')));
afterEach(() => p.cleanup());

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('output folders', () => {
  it('creates a new nested folder level by level, and takes an empty one', () => {
    const owned = claimOutputDir(join(p.dir, 'a', 'b', 'c'), '--out', p.dir);
    expect(existsSync(join(p.dir, 'a', 'b', 'c'))).toBe(true);
    expect(owned.previous).toBeUndefined();
    mkdirSync(join(p.dir, 'empty'));
    expect(code(() => claimOutputDir(join(p.dir, 'empty'), '--out', p.dir))).toBe('ok');
  });

  it('in a folder it wrote, deletes only what its list names', () => {
    const dir = join(p.dir, 'out');
    const first = claimOutputDir(dir, '--out', p.dir);
    writeFileSync(join(dir, 'manifest.json'), '{}');
    recordOwned(first, ['manifest.json', 'stacks/a']);
    writeFileSync(join(dir, 'mine.txt'), 'user');
    const again = claimOutputDir(dir, '--out', p.dir);
    expect(again.previous).toEqual(['manifest.json', 'stacks/a']);
    expect(mayDelete(again, 'stacks/a/cdk.tf.json')).toBe(true);
    expect(mayDelete(again, 'mine.txt')).toBe(false);
    expect(mayDelete(again, 'stacks/b')).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')).writtenBy).toBe('berth');
  });

  it("treats cdktf.out/<env> as berth's own, and refuses a folder of the user's", () => {
    mkdirSync(join(p.dir, 'cdktf.out', 'prod', 'stacks'), { recursive: true });
    expect(claimOutputDir(join(p.dir, 'cdktf.out', 'prod'), '--out', p.dir).berths).toBe(true);
    mkdirSync(join(p.dir, 'docs'));
    writeFileSync(join(p.dir, 'docs', 'x.md'), 'x');
    expect(code(() => claimOutputDir(join(p.dir, 'docs'), '--out', p.dir))).toBe('output.not-owned');
    expect(code(() => claimOutputDir(p.dir, '--out', p.dir))).toBe('output.not-owned');
  });
});

describe('output files', () => {
  it('writes a new file; overwrites only one it recorded as its own', () => {
    const f = join(p.dir, 'plan.md');
    expect(code(() => claimOutputFile(f, '--markdown', p.dir))).toBe('ok');
    writeFileSync(f, 'theirs');
    expect(code(() => claimOutputFile(f, '--markdown', p.dir))).toBe('output.not-owned');
    recordOwnedFile(f, p.dir);
    expect(code(() => claimOutputFile(f, '--markdown', p.dir))).toBe('ok');
  });

  it('init writes a file it may later replace with --force; never one it did not write', async () => {
    expect((await runCli(['init', 'stage'], { project: p.dir })).code).toBe(0);
    expect((await runCli(['init', 'stage', '--force'], { project: p.dir })).code).toBe(0);
    writeFileSync(join(p.dir, 'environments', 'hand.json'), '{"mine": true}');
    const r = await runCli(['init', 'hand', '--force', '--json'], { project: p.dir });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('output.not-owned');
    expect(readFileSync(join(p.dir, 'environments', 'hand.json'), 'utf8')).toBe('{"mine": true}');
  });
});
