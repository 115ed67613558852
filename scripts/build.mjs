#!/usr/bin/env node
// berth's build: transpile every TypeScript file of cli/, src/ and stacks/ to dist/ (one .js per .ts,
// same layout, ES modules for Node 20) with esbuild. No type check here: that is `npm run typecheck`
// (tsc --noEmit), which .ci/run runs. A full tsc emit takes ~10 s on a quiet machine (a minute when
// it is busy); this takes well under a second, so `npm test` and `npm run demo` start at once.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['cli', 'src', 'stacks'];

function tsFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(root, p));
  }
  return out;
}

const started = Date.now();
const entryPoints = SOURCES.flatMap((d) => tsFiles(join(root, d)));
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
});
const took = Date.now() - started;
const note = `berth: built ${entryPoints.length} files into dist/ in ${took} ms (esbuild; types: npm run typecheck)`;
if (!process.argv.includes('--quiet')) console.error(note);
