#!/usr/bin/env node
// berth's build, with esbuild (no type check here: that is `npm run typecheck`, tsc --noEmit):
//
// 1. dist/bundle/berth.cjs: the CLI that bin/berth.js runs, in one CommonJS file, made in two steps.
//    First cli/index.ts is bundled with its dependencies (the AWS SDK clients from their ES module
//    builds, commander, chalk, ora...) as ES modules with code splitting, into a temporary folder:
//    there esbuild leaves out what nothing uses (every `await import()` of a command becomes its own
//    chunk, and of each chunk only what is used is kept). Then that entry and its chunks are bundled
//    again into one CommonJS file, every `import()` becoming a lazy `require` of a function in the
//    same file: a command still runs only the code it needs, and the whole file is one script that
//    V8 can compile from its code cache (src/start/run-bundle.ts), which ES modules cannot offer
//    on Node 20. cdktf, its provider bindings and constructs stay external: jsii packages read their
//    own files at run time, and only synth/plan/apply/... load them.
// 2. dist/bundle/start.cjs: src/start/ (the code cache and the start), bundled on its own with the
//    CLI bundle's id (a hash of its text: a cache file names the build it belongs to).
// 3. dist/cli, dist/src, dist/stacks: every TypeScript file transpiled one to one (same layout, ES
//    modules for Node 20), for the tests, benches and tools that import single modules.
//
// All take well under a few seconds on a quiet machine; a full tsc emit takes ~10 s (a minute when busy).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sdkSchemaKeys } from './sdk-schema-keys.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['cli', 'src', 'stacks'];
const COMMON = { absWorkingDir: root, format: 'esm', platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };

function tsFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(root, p));
  }
  return out;
}

const EXTERNAL = ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs', 'constructs/*'];
const SPLIT_DIR = 'dist/.bundle-esm';

/** Step one: cli/index.ts and what it imports, as ES modules split into chunks (tree-shaken). */
function bundleEsm() {
  return build({
    ...COMMON,
    entryPoints: { berth: 'cli/index.ts' },
    outdir: SPLIT_DIR,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    // ES module builds first: smaller, and unused commands of a client are left out.
    mainFields: ['module', 'main'],
    external: EXTERNAL,
    // Names as written (error classes, commands), also once step two has renamed what collides.
    keepNames: true,
    metafile: true,
    // Shapes of the SDK clients that berth never sends or reads are left out (see the plugin).
    plugins: [sdkSchemaKeys],
    define: { __BERTH_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  });
}

/** Step two: the chunks as one CommonJS file; `import.meta.url` is handed in by src/start/run-bundle.ts. */
async function bundleCjs() {
  const out = await build({
    ...COMMON,
    format: 'cjs',
    entryPoints: [`${SPLIT_DIR}/berth.js`],
    outfile: 'dist/bundle/berth.cjs',
    bundle: true,
    external: EXTERNAL,
    // Every import() a lazy require of the same file (no ES module loader at run time).
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__berthImportMetaUrl' },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    write: false,
  });
  const text = out.outputFiles[0].contents;
  writeFileSync(join(root, 'dist', 'bundle', 'berth.cjs'), text);
  // Read as latin1 (a one-byte string, quicker for V8) when the text is ASCII, as esbuild mostly writes it.
  const ascii = text.every((b) => b < 0x80);
  return { id: createHash('sha256').update(text).digest('hex').slice(0, 16), encoding: ascii ? 'latin1' : 'utf8' };
}

/** The start (src/start/main.ts), with the id and encoding of the CLI bundle. */
function bundleStart(bundle) {
  return build({
    ...COMMON,
    format: 'cjs',
    entryPoints: ['src/start/main.ts'],
    outfile: 'dist/bundle/start.cjs',
    bundle: true,
    define: { __BERTH_BUNDLE__: JSON.stringify(bundle) },
  });
}

/** The CLI as bin/berth.js loads it: returns the number of chunks of step one and the bundle's id. */
async function bundleCli() {
  const split = await bundleEsm();
  const bundle = await bundleCjs();
  rmSync(join(root, SPLIT_DIR), { recursive: true, force: true });
  await bundleStart(bundle);
  return { chunks: Object.keys(split.metafile.outputs).length, ...bundle };
}

const started = Date.now();
const entryPoints = SOURCES.flatMap((d) => tsFiles(join(root, d)));
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist', 'bundle'), { recursive: true });
const [bundled] = await Promise.all([bundleCli(), build({ ...COMMON, entryPoints, outdir: 'dist', outbase: '.', bundle: false })]);
const took = Date.now() - started;
const note =
  `berth: bundled the CLI into dist/bundle/berth.cjs (from ${bundled.chunks} tree-shaken chunks; build ${bundled.id}, ${bundled.encoding}) ` +
  `and transpiled ${entryPoints.length} files into dist/ in ${took} ms (esbuild; types: npm run typecheck)`;
if (!process.argv.includes('--quiet')) console.error(note);
