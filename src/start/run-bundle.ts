/**
 * How bin/berth.js starts the CLI: the bundled CLI (dist/bundle/berth.cjs, one CommonJS file, see
 * scripts/build.mjs) compiled with V8's code cache of the command (src/start/code-cache.ts), then
 * its main() run. The first run of a command (per build of berth and Node.js) compiles as usual
 * and, once the command has ended, saves what V8 compiled; later runs hand that to V8, which then
 * neither parses nor compiles what it already did. A cache V8 refuses (another V8, other flags, a
 * damaged file) is ignored and replaced. This file is bundled on its own (dist/bundle/start.cjs) and
 * imports nothing of berth.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheDir, codeCacheFile, commandKey, processIdentity, readCodeCache, writeCodeCache } from './code-cache.js';

/** What the bundle exports (cli/index.ts). */
export interface BundleExports {
  main(argv: string[]): Promise<number>;
  commandsFor(args: string[]): { name: string }[];
}

/** How the cache was used by a run: read and taken, refused by V8, absent, or off. */
export type CacheUse = 'used' | 'rejected' | 'absent' | 'off';

/**
 * Compile the CommonJS bundle `file` (its text in `encoding`), with `cachedData` when given, and run
 * its top level, as Node.js runs a CommonJS module (the same wrapper, strict as the ES modules it
 * was built from); `import.meta.url` of its sources is the bundle's URL.
 */
export function loadBundle(file: string, encoding: BufferEncoding, cachedData?: Buffer) {
  const source = readFileSync(file, encoding);
  const wrapper = `(function (exports, require, module, __filename, __dirname, __berthImportMetaUrl) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} as BundleExports };
  const run = script.runInThisContext() as (...a: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  const use: CacheUse = cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent';
  return { exports: module.exports, script, use };
}

export interface StartOptions {
  /** The bundle (dist/bundle/berth.cjs). */
  file: string;
  /** Its build id (a hash of its text, set by the build). */
  bundleId: string;
  /** 'latin1' when the bundle is pure ASCII (read faster), else 'utf8'. */
  encoding: BufferEncoding;
}

/** With BERTH_DEBUG set, one line on stderr saying what became of the code cache. */
function debugNote(file: string | undefined, use: CacheUse, wrote: string): void {
  if (process.env.BERTH_DEBUG) process.stderr.write(`berth: code cache ${file ?? '(off)'}: ${use}${wrote}\n`);
}

/** Run berth (`argv`: node, script, ...args) from its bundle; returns the exit code. */
export async function runBundle(argv: string[], opts: StartOptions): Promise<number> {
  const dir = codeCacheDir(process.env);
  const id = processIdentity(opts.bundleId);
  const key = commandKey(argv.slice(2));
  const file = dir ? codeCacheFile(dir, id, key) : undefined;
  const { exports, script, use } = loadBundle(opts.file, opts.encoding, file ? readCodeCache(file) : undefined);
  const code = await exports.main(argv);
  let wrote = '';
  // Saved once the command has run: the cache then holds every function it compiled. A word that
  // names no command (a typo) gets no cache file of its own.
  const known = key === 'berth' || exports.commandsFor([key]).some((c) => c.name === key);
  if (file && use !== 'used' && known) {
    const err = writeCodeCache(file, script.createCachedData(), id);
    wrote = err ? `; not written (${err.message})` : '; written';
  }
  debugNote(file, dir ? use : 'off', wrote);
  return code;
}
