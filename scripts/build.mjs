#!/usr/bin/env node
// berth's build, with esbuild (no type check here: that is `npm run typecheck`, tsc --noEmit):
//
// 1. dist/bundle/: the CLI that bin/berth.js runs. cli/index.ts bundled with its dependencies (the
//    AWS SDK clients from their ES module builds, commander, chalk, ora...) into one entry file and
//    a few shared chunks (code splitting): a command loads a handful of files instead of the ~1,500
//    module files of node_modules it would otherwise resolve, read and parse one by one. Every
//    `await import()` inside a command's action stays lazy (it becomes its own chunk), so a command
//    loads only what it runs. cdktf, its provider bindings and constructs stay external: jsii
//    packages read their own files at run time, and only synth/plan/apply/... load them.
// 2. dist/cli, dist/src, dist/stacks: every TypeScript file transpiled one to one (same layout, ES
//    modules for Node 20), for the tests, benches and tools that import single modules.
//
// Both take well under a second on a quiet machine; a full tsc emit takes ~10 s (a minute when busy).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
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

/** The CLI as bin/berth.js loads it. */
function bundleCli() {
  return build({
    ...COMMON,
    entryPoints: { berth: 'cli/index.ts' },
    outdir: 'dist/bundle',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    // ES module builds first: smaller, and unused commands of a client are left out.
    mainFields: ['module', 'main'],
    external: ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs', 'constructs/*'],
    // The CommonJS parts of the bundle may require Node's built-ins.
    banner: { js: "import { createRequire as __berthRequire } from 'node:module'; const require = __berthRequire(import.meta.url);" },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    // Shapes of the SDK clients that berth never sends or reads are left out (see the plugin).
    plugins: [sdkSchemaKeys],
    define: { __BERTH_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  });
}

const started = Date.now();
const entryPoints = SOURCES.flatMap((d) => tsFiles(join(root, d)));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const [bundled] = await Promise.all([bundleCli(), build({ ...COMMON, entryPoints, outdir: 'dist', outbase: '.', bundle: false })]);
const chunks = Object.keys(bundled.metafile.outputs).length;
const took = Date.now() - started;
const note = `berth: bundled the CLI into ${chunks} files (dist/bundle) and transpiled ${entryPoints.length} files into dist/ in ${took} ms (esbuild; types: npm run typecheck)`;
if (!process.argv.includes('--quiet')) console.error(note);
