/**
 * V8's code cache of the bundled CLI: where it lives, what a cache file is called, reading and
 * writing one. A cache file holds the bytecode V8 compiled for one command of one build of berth
 * on one Node.js (src/start/run-bundle.ts makes and uses it); a run that finds its file compiles
 * almost nothing. Everything here is best effort: a cache that cannot be read, written or used is
 * simply not there, and the command runs the same.
 *
 * Where: $XDG_CACHE_HOME/berth (an absolute path), else ~/.cache/berth. Off with BERTH_CODE_CACHE=0:
 * then nothing is read there and nothing is written. berth writes nothing else in that folder, and
 * removes only its own cache files (pruneCodeCache: it keeps those of the build in use and of three
 * others).
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** BERTH_CODE_CACHE: unset, '' or '1' on; '0' off; anything else is refused by the CLI (exit 2) and leaves the cache off. */
export function codeCacheSetting(env: NodeJS.ProcessEnv): 'on' | 'off' | 'invalid' {
  const v = env.BERTH_CODE_CACHE;
  if (v === undefined || v === '' || v === '1') return 'on';
  return v === '0' ? 'off' : 'invalid';
}

/** The folder of berth's code cache, or undefined when it is off or there is no home to put it in. */
export function codeCacheDir(env: NodeJS.ProcessEnv, home: () => string = homedir): string | undefined {
  if (codeCacheSetting(env) !== 'on') return undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'berth');
  try {
    const h = home();
    return h && isAbsolute(h) ? join(h, '.cache', 'berth') : undefined;
  } catch {
    return undefined;
  }
}

/** What a cache file depends on besides the command: the bundle's build, Node.js (V8) and the flags V8 runs with. */
export interface CacheIdentity {
  bundleId: string;
  nodeVersion: string;
  arch: string;
  /** process.execArgv and NODE_OPTIONS: V8 refuses a cache made under other flags. */
  flags: string;
}

/** The identity of this process running the bundle `bundleId`. */
export function processIdentity(bundleId: string): CacheIdentity {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').trim();
  return { bundleId, nodeVersion: process.version, arch: process.arch, flags };
}

/** 32-bit FNV-1a, hex: names the flags in a file name (not a security measure). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const SUFFIX = '.v8cache';

/** The cache key of a run: its first argument when it can be a command name, else `berth` (help, --version, nothing). */
export function commandKey(args: string[]): string {
  const first = args[0];
  return first && /^[a-z][a-z0-9-]{0,31}$/.test(first) ? first : 'berth';
}

/** The prefix shared by every cache file of one identity. */
function identityPrefix(id: CacheIdentity): string {
  return `${id.bundleId}-${id.nodeVersion}-${id.arch}-${id.flags ? `${fnv1a(id.flags)}-` : ''}`;
}

/** The cache file of `key` for `id` in `dir`. */
export function codeCacheFile(dir: string, id: CacheIdentity, key: string): string {
  return join(dir, `${identityPrefix(id)}${key}${SUFFIX}`);
}

/** The cached data in `file`, or undefined (none, unreadable, empty). */
export function readCodeCache(file: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return data.length > 0 ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write `data` to `file` (its folder made, private to the user), through a temporary file renamed
 * into place, so a concurrent run reads the old file or the new one, never half of one. Then prune
 * the folder (pruneCodeCache). Returns the error, if any; never throws.
 */
export function writeCodeCache(file: string, data: Buffer, id: CacheIdentity, now = Date.now()): Error | undefined {
  const dir = join(file, '..');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // not there
    }
    return e as Error;
  }
  pruneCodeCache(dir, id, now);
  return undefined;
}

/** Other identities whose files are kept (another install in use, the build before): the most recently written. */
const KEEP_OTHERS = 3;
const WEEK_MS = 7 * 24 * 3600_000;
const HOUR_MS = 3600_000;
/** A cache file's identity prefix and whether it is a temporary file. */
const PARTS = /^([0-9a-f]{16}-v\d+\.\d+\.\d+-[a-z0-9_]+-(?:[0-9a-f]{8}-)?)[a-z][a-z0-9-]*\.v8cache(\.\d+\.tmp)?$/;

/** berth's files in `dir`: name, identity prefix, temporary or not, last written. */
function ownFiles(dir: string): { name: string; prefix: string; tmp: boolean; mtimeMs: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const m = PARTS.exec(name);
    if (!m) return [];
    try {
      return [{ name, prefix: m[1]!, tmp: Boolean(m[2]), mtimeMs: statSync(join(dir, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
}

/**
 * Keep the folder small: besides this identity's files, only those of the three other identities
 * written most recently (another berth in use, the build before), and none a week old; temporary
 * files an hour old (a write that never finished) go too. Nothing but berth's own files is touched.
 */
export function pruneCodeCache(dir: string, id: CacheIdentity, now = Date.now()): void {
  const mine = identityPrefix(id);
  const files = ownFiles(dir);
  const newest = new Map<string, number>();
  for (const f of files) if (!f.tmp && f.prefix !== mine) newest.set(f.prefix, Math.max(newest.get(f.prefix) ?? 0, f.mtimeMs));
  const kept = new Set(
    [...newest]
      .filter(([, t]) => now - t < WEEK_MS)
      .sort((a, b) => b[1] - a[1])
      .slice(0, KEEP_OTHERS)
      .map(([prefix]) => prefix),
  );
  for (const f of files) {
    const drop = f.tmp ? now - f.mtimeMs > HOUR_MS : f.prefix !== mine && !kept.has(f.prefix);
    try {
      if (drop) unlinkSync(join(dir, f.name));
    } catch {
      // gone already
    }
  }
}
