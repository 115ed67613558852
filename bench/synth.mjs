#!/usr/bin/env node
/**
 * Times, with the compiled CLI (run `npx tsc -p tsconfig.json` first):
 *   - `berth synth` of bench/three-service.json, spawned end to end (process start, config load,
 *     cdktf + provider bindings import, synth, files written), and in-process (after a warm-up);
 *   - `berth --help` start-up, spawned.
 * Several runs each; prints min / median / max in ms and writes bench/results/synth.json
 * (git-ignored). Targets: synth < 2000 ms, --help < 300 ms.
 *
 *   node bench/synth.mjs [runs]      (default 7)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'bin', 'berth.js');
const fixture = join(repo, 'bench', 'three-service.json');
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 7);

if (!existsSync(join(repo, 'dist', 'cli', 'index.js')) || !existsSync(join(repo, 'dist', 'stacks', 'synth.js'))) {
  console.error('bench/synth.mjs: dist/ is missing; build first with `npx tsc -p tsconfig.json`.');
  process.exit(3);
}

const project = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const env = { ...process.env, BERTH_PROJECT_DIR: project, NO_COLOR: '1' };

function spawnTimed(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: project, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`berth ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return ms;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { runs: s.length, min: round(s[0]), median: round(mid), max: round(s[s.length - 1]) };
}
const round = (x) => Math.round(x * 10) / 10;

try {
  // Warm the file-system cache once; not counted.
  spawnTimed(['--help']);
  spawnTimed(['synth', '--env', fixture, '--json']);

  const help = stats(Array.from({ length: runs }, () => spawnTimed(['--help'])));
  const synthSpawned = stats(Array.from({ length: runs }, () => spawnTimed(['synth', '--env', fixture, '--json'])));

  const { loadEnvironment } = await import(pathToFileURL(join(repo, 'dist', 'src', 'config', 'load.js')).href);
  const { synthEnvironment } = await import(pathToFileURL(join(repo, 'dist', 'stacks', 'synth.js')).href);
  const cfg = loadEnvironment(fixture);
  const out = join(project, 'in-process');
  await synthEnvironment(cfg, { outdir: out }); // warm-up: module loading
  const inProcess = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = await synthEnvironment(cfg, { outdir: out });
    inProcess.push(Number(process.hrtime.bigint() - t0) / 1e6);
    resources = r.stacks.reduce((a, s) => a + s.resources, 0);
  }

  const result = {
    when: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    fixture: 'bench/three-service.json (3 services, 3 AZs, 9 stacks)',
    resources,
    help: { ...help, targetMs: 300 },
    synthSpawned: { ...synthSpawned, targetMs: 2000 },
    synthInProcess: stats(inProcess),
  };
  const line = (label, s, target) =>
    `${label.padEnd(34)} median ${String(s.median).padStart(7)} ms  (min ${s.min}, max ${s.max}, ${s.runs} runs)${target ? `  target < ${target} ms: ${s.median < target ? 'ok' : 'MISSED'}` : ''}`;
  console.log(line('berth --help (spawned)', help, 300));
  console.log(line('berth synth three-service (spawned)', synthSpawned, 2000));
  console.log(line('synthEnvironment (in-process, warm)', result.synthInProcess));
  console.log(`${resources} resources in 9 stacks; node ${process.version}, ${cpus().length} CPUs`);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repo, 'bench', 'results', 'synth.json'), JSON.stringify(result, null, 2) + '\n');
} finally {
  rmSync(project, { recursive: true, force: true });
}
