#!/usr/bin/env node
// Sandbox timings: `berth sandbox up` from nothing, a second `up` over the live sandbox (a plan
// with no changes), a full `berth doctor` on the healthy sandbox (every check group, spawned CLI),
// `berth sandbox down` (stop the emulator, no terraform destroy), and the demo's wall time.
//
//   npx tsc -p tsconfig.json && node bench/sandbox.mjs           # up, up again, down
//   node bench/sandbox.mjs --demo                                 # also: bash scripts/demo.sh
//   node bench/sandbox.mjs --runs 2                               # repeat (each run from nothing)
//   node bench/sandbox.mjs --doctor-runs 9                        # doctor runs per sandbox (default 5)
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
const doctorRuns = args.includes('--doctor-runs') ? Number(args[args.indexOf('--doctor-runs') + 1]) : 5;

function berth(project, ...a) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, ...a, '--json'], {
    env: { ...process.env, BERTH_PROJECT_DIR: project, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = Date.now() - t0;
  if (r.status !== 0) throw new Error(`berth ${a.join(' ')} exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return { ms, json: JSON.parse(r.stdout) };
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (let i = 0; i < runs; i++) {
  const project = mkdtempSync(join(tmpdir(), 'berth-bench-sandbox-'));
  try {
    const load = loadavg()[0];
    const up = berth(project, 'sandbox', 'up');
    const again = berth(project, 'sandbox', 'up');
    if (again.json.emulator !== 'reused' || again.json.changedStacks !== 0)
      throw new Error(
        `the second up was not a no-op: ${JSON.stringify({ emulator: again.json.emulator, changed: again.json.changedStacks })}`,
      );
    const doctor = [];
    for (let d = 0; d < doctorRuns; d++) {
      const r = berth(project, 'doctor', '--env', 'sandbox');
      if (r.json.summary.fail !== 0) throw new Error(`doctor found failures on the healthy sandbox: ${JSON.stringify(r.json.summary)}`);
      doctor.push({
        wallMs: r.ms,
        insideMs: r.json.durationMs,
        checks: r.json.findings.length,
        groups: Object.fromEntries(r.json.groups.map((g) => [g.name, g.durationMs])),
      });
    }
    const down = berth(project, 'sandbox', 'down');
    const run = {
      loadBefore: load,
      upMs: up.ms,
      upStacks: Object.fromEntries(up.json.stacks.map((x) => [x.stack, x.durationMs])),
      secondUpMs: again.ms,
      doctor,
      downMs: down.ms,
      downStacks: Object.fromEntries(down.json.stacks.map((x) => [x.stack, x.durationMs])),
    };
    results.push(run);
    const dm = doctor.length ? median(doctor.map((x) => x.wallMs)) : undefined;
    console.log(
      `run ${i + 1}: up ${s(run.upMs)}, second up (no changes) ${s(run.secondUpMs)}, down ${s(run.downMs)}` +
        (dm === undefined
          ? ''
          : `, full doctor ${s(dm)} wall / ${s(median(doctor.map((x) => x.insideMs)))} inside (median of ${doctor.length}, ${doctor[0].checks} findings)`) +
        ` (load ${load.toFixed(1)})`,
    );
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

const summary = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  runs: results,
  median: results.length
    ? {
        upMs: median(results.map((r) => r.upMs)),
        secondUpMs: median(results.map((r) => r.secondUpMs)),
        downMs: median(results.map((r) => r.downMs)),
        doctorWallMs: doctorRuns ? median(results.flatMap((r) => r.doctor.map((x) => x.wallMs))) : undefined,
        doctorInsideMs: doctorRuns ? median(results.flatMap((r) => r.doctor.map((x) => x.insideMs))) : undefined,
      }
    : undefined,
  demoMs,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `sandbox-${summary.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
console.log(`written ${file}`);
