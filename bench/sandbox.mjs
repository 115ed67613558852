#!/usr/bin/env node
// Sandbox timings: `berth sandbox up` from nothing, a second `up` over the live sandbox (a plan
// with no changes), `berth sandbox down` (destroy + stop), and the demo's wall time.
//
//   npx tsc -p tsconfig.json && node bench/sandbox.mjs           # up, up again, down
//   node bench/sandbox.mjs --demo                                 # also: bash scripts/demo.sh
//   node bench/sandbox.mjs --runs 2                               # repeat (each run from nothing)
//
// Each run uses a fresh temporary project. Per-stack durations come from the --json results.
// Raw figures go to bench/results/sandbox-<timestamp>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'berth.js');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 1;
const demo = args.includes('--demo');

function berth(project, ...a) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, ...a, '--json'], { env: { ...process.env, BERTH_PROJECT_DIR: project, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Date.now() - t0;
  if (r.status !== 0) throw new Error(`berth ${a.join(' ')} exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return { ms, json: JSON.parse(r.stdout) };
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
for (let i = 0; i < runs; i++) {
  const project = mkdtempSync(join(tmpdir(), 'berth-bench-sandbox-'));
  try {
    const load = loadavg()[0];
    const up = berth(project, 'sandbox', 'up');
    const again = berth(project, 'sandbox', 'up');
    if (again.json.emulator !== 'reused' || again.json.changedStacks !== 0) throw new Error(`the second up was not a no-op: ${JSON.stringify({ emulator: again.json.emulator, changed: again.json.changedStacks })}`);
    const down = berth(project, 'sandbox', 'down');
    const run = {
      loadBefore: load,
      upMs: up.ms,
      upStacks: Object.fromEntries(up.json.stacks.map((x) => [x.stack, x.durationMs])),
      secondUpMs: again.ms,
      downMs: down.ms,
      downStacks: Object.fromEntries(down.json.stacks.map((x) => [x.stack, x.durationMs])),
    };
    results.push(run);
    console.log(`run ${i + 1}: up ${s(run.upMs)}, second up (no changes) ${s(run.secondUpMs)}, down ${s(run.downMs)} (load ${load.toFixed(1)})`);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

let demoMs;
if (demo) {
  const t0 = Date.now();
  const r = spawnSync('bash', [join(root, 'scripts', 'demo.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  demoMs = Date.now() - t0;
  if (r.status !== 0) throw new Error(`scripts/demo.sh exited ${r.status}`);
  console.log(`demo (scripts/demo.sh, build excluded): ${s(demoMs)}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  runs: results,
  median: results.length ? { upMs: median(results.map((r) => r.upMs)), secondUpMs: median(results.map((r) => r.secondUpMs)), downMs: median(results.map((r) => r.downMs)) } : undefined,
  demoMs,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `sandbox-${summary.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
console.log(`written ${file}`);
