/**
 * V8's code cache of the bundled CLI (src/start/): where it lives, what it is called, that it is
 * written only in berth's cache folder and only there, that a damaged or refused cache is ignored
 * and replaced, and that BERTH_CODE_CACHE=0 reads and writes nothing. The last part runs the built
 * CLI (node bin/berth.js) in child processes: the cache exists only there.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  codeCacheDir,
  codeCacheFile,
  codeCacheSetting,
  commandKey,
  pruneCodeCache,
  writeCodeCache,
  type CacheIdentity,
} from '../../src/start/code-cache.js';
import { runCli } from '../helpers/cli.js';
import { berthCli } from '../sandbox/cli.js';

const work = mkdtempSync(join(tmpdir(), 'berth-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fresh = (name: string) => {
  const d = join(work, name);
  mkdirSync(d, { recursive: true });
  return d;
};

const ID: CacheIdentity = { bundleId: '0123456789abcdef', nodeVersion: 'v20.20.2', arch: 'x64', flags: '' };

describe('where the code cache lives', () => {
  const home = () => '/home/op';

  it('$XDG_CACHE_HOME/berth when that is an absolute path, else ~/.cache/berth', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/var/cache/op' }, home)).toBe('/var/cache/op/berth');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, home)).toBe('/home/op/.cache/berth');
    expect(codeCacheDir({}, home)).toBe('/home/op/.cache/berth');
  });

  it('nowhere with BERTH_CODE_CACHE=0 or a bad value, or without a home', () => {
    expect(codeCacheDir({ BERTH_CODE_CACHE: '0', XDG_CACHE_HOME: '/var/cache/op' }, home)).toBeUndefined();
    expect(codeCacheDir({ BERTH_CODE_CACHE: 'off' }, home)).toBeUndefined();
    expect(codeCacheDir({}, () => '')).toBeUndefined();
    expect(
      codeCacheDir({}, () => {
        throw new Error('no passwd entry');
      }),
    ).toBeUndefined();
    expect([undefined, '', '1', '0', 'yes'].map((v) => codeCacheSetting({ BERTH_CODE_CACHE: v }))).toEqual([
      'on',
      'on',
      'on',
      'off',
      'invalid',
    ]);
  });

  it('a bad BERTH_CODE_CACHE is bad input for every command (exit 2, usage.env-var), --json included', async () => {
    const r = await runCli(['--version', '--json'], { env: { BERTH_CODE_CACHE: 'yes' } });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('usage.env-var');
    expect(r.json.error.message).toContain('BERTH_CODE_CACHE="yes"');
  });

  it('one file per command, build, Node.js, architecture and V8 flags', () => {
    expect(commandKey(['status', '--env', 'x'])).toBe('status');
    expect(['--version', '--help', 'Status', '../x', ''].map((a) => commandKey([a]))).toEqual(Array(5).fill('berth'));
    expect(commandKey([])).toBe('berth');
    const names = [
      codeCacheFile('/c', ID, 'status'),
      codeCacheFile('/c', ID, 'health'),
      codeCacheFile('/c', { ...ID, bundleId: 'fedcba9876543210' }, 'status'),
      codeCacheFile('/c', { ...ID, nodeVersion: 'v22.11.0' }, 'status'),
      codeCacheFile('/c', { ...ID, arch: 'arm64' }, 'status'),
      codeCacheFile('/c', { ...ID, flags: '--max-old-space-size=512' }, 'status'),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^\/c\/[0-9a-f]{16}-v[\d.]+-[a-z0-9]+-([0-9a-f]{8}-)?[a-z]+\.v8cache$/);
  });
});

describe('writing and pruning', () => {
  it('writes the one file, private to the user, and nothing else', () => {
    const dir = join(fresh('w1'), 'berth');
    const file = codeCacheFile(dir, ID, 'status');
    expect(writeCodeCache(file, Buffer.from('bytes'), ID)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([file.split('/').pop()]);
    expect(readFileSync(file, 'utf8')).toBe('bytes');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('where it cannot write, it says why and leaves nothing (no throw)', () => {
    const blocker = join(fresh('w2'), 'not-a-dir');
    writeFileSync(blocker, 'a file');
    const err = writeCodeCache(codeCacheFile(join(blocker, 'berth'), ID, 'status'), Buffer.from('x'), ID);
    expect(err).toBeInstanceOf(Error);
    expect(readFileSync(blocker, 'utf8')).toBe('a file');
  });

  it('keeps its own files and those of the three other builds written last (within a week); stray temporary files go after an hour; nothing else is touched', () => {
    const dir = fresh('w3');
    const s = Date.now() / 1000;
    const build = (n: number) => ({ ...ID, bundleId: `${n}`.repeat(16).slice(0, 16) });
    const at = (f: string, secondsAgo: number) => (writeFileSync(f, 'x'), utimesSync(f, s - secondsAgo, s - secondsAgo), f);
    const files = {
      mineOld: at(codeCacheFile(dir, ID, 'status'), 30 * 86400),
      newest: at(codeCacheFile(dir, build(1), 'status'), 60),
      newestOther: at(codeCacheFile(dir, build(1), 'health'), 3 * 86400),
      second: at(codeCacheFile(dir, { ...build(2), nodeVersion: 'v22.11.0' }, 'logs'), 3600),
      third: at(codeCacheFile(dir, build(3), 'status'), 7200),
      fourth: at(codeCacheFile(dir, build(5), 'status'), 86400),
      weekOld: at(codeCacheFile(dir, build(4), 'status'), 8 * 86400),
      tmpFresh: at(`${codeCacheFile(dir, ID, 'doctor')}.4242.tmp`, 60),
      tmpOld: at(`${codeCacheFile(dir, ID, 'doctor')}.4243.tmp`, 2 * 3600),
      foreign: at(join(dir, 'notes.txt'), 30 * 86400),
    };
    pruneCodeCache(dir, ID);
    const left = Object.entries(files)
      .filter(([, f]) => existsSync(f))
      .map(([k]) => k);
    expect(left.sort()).toEqual(['foreign', 'mineOld', 'newest', 'newestOther', 'second', 'third', 'tmpFresh']);
  });
});

describe('the built CLI with its code cache (child processes)', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    berthCli(args, { PATH: process.env.PATH, BERTH_DEBUG: '1', ...env }, work, 60_000);
  const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

  it('the first run writes its cache in the cache folder only, later runs use it; a damaged cache is ignored and replaced', async () => {
    const xdg = fresh('xdg');
    const home = fresh('home');
    const env = { XDG_CACHE_HOME: xdg, HOME: home };
    const first = await run(['config', 'schema'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/code cache \S+-config\.v8cache: absent; written/);
    expect(readdirSync(xdg)).toEqual(['berth']);
    const [name] = cacheFiles(join(xdg, 'berth'));
    expect(cacheFiles(join(xdg, 'berth'))).toEqual([expect.stringMatching(/-config\.v8cache$/)]);
    expect(readdirSync(home)).toEqual([]);
    const second = await run(['config', 'schema'], env);
    expect(second.stderr).toMatch(/: used$/m);
    expect(second.stdout).toBe(first.stdout);
    const file = join(xdg, 'berth', name!);
    writeFileSync(file, 'not a code cache at all');
    const damaged = await run(['config', 'schema'], env);
    expect(damaged.code, damaged.stderr).toBe(0);
    expect(damaged.stdout).toBe(first.stdout);
    expect(damaged.stderr).toMatch(/: rejected; written$/m);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
    expect((await run(['config', 'schema'], env)).stderr).toMatch(/: used$/m);
    const typo = await run(['confgi'], env);
    expect(typo.code).toBe(2);
    expect(cacheFiles(join(xdg, 'berth'))).toEqual([name]);
  });

  it('BERTH_CODE_CACHE=0 reads and writes nothing; an unusable cache folder changes nothing but the cache', async () => {
    const xdg = fresh('xdg-off');
    const off = await run(['--version'], { XDG_CACHE_HOME: xdg, HOME: fresh('home-off'), BERTH_CODE_CACHE: '0' });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(off.stderr).toContain('code cache (off): off');
    expect(readdirSync(xdg)).toEqual([]);
    const bad = await run(['--version', '--json'], { XDG_CACHE_HOME: xdg, HOME: fresh('home-bad'), BERTH_CODE_CACHE: 'yes' });
    expect(bad.code).toBe(2);
    expect(bad.json.error.code).toBe('usage.env-var');
    expect(readdirSync(xdg)).toEqual([]);
    const blocker = join(fresh('blocked'), 'cache');
    writeFileSync(blocker, 'a file');
    const blocked = await run(['--version'], { XDG_CACHE_HOME: blocker, HOME: fresh('home-blocked') });
    expect(blocked.code, blocked.stderr).toBe(0);
    expect(blocked.stdout).toBe(off.stdout);
    expect(blocked.stderr).toMatch(/: absent; not written \(/);
    expect(readFileSync(blocker, 'utf8')).toBe('a file');
  });
});

describe('the bundle it compiles (dist/bundle/berth.cjs, npm run build)', () => {
  const text = () => readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'berth.cjs'), 'latin1');

  it("is one script: no import() left for an ES module loader, and step one's tree-shaking kept (no shape berth never sends)", () => {
    const t = text();
    expect(t.startsWith('"use strict";')).toBe(true);
    expect(t).not.toMatch(/[^\w$.]import\(/);
    expect(t).toMatch(/DescribeSubnetsRequest\$/);
    expect(t).not.toMatch(/RunInstancesRequest\$/);
  });
});
