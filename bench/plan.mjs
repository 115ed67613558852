#!/usr/bin/env node
/**
 * Plan time of the whole example platform, stacks in parallel (berth's default, 4 at once) vs the
 * same stacks one after another (--parallelism 1), against the local emulator.
 *
 *   npx tsc -p tsconfig.json && node bench/plan.mjs [--runs 3] [--levels 4,2,1] [--env sandbox] [--plain]
 *
 * A plan of a stack needs the state of the stacks it reads, so the script first applies the
 * environment on berth's extended emulator (or, with --plain, on stock moto_server, where the
 * cache stack fails and service and alarms, which read it, are not applied; their plans then fail
 * or wait, and the table says how many stacks were really planned). Then it plans the environment
 * `--runs` times at each parallelism level, rotating the order, and writes bench/plan-results.md.
 * moto_server runs on 127.0.0.1 at a free port and is stopped at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('runs', '3'));
const envName = arg('env', 'sandbox');
const plain = process.argv.includes('--plain');
const levels = arg('levels', '4,2,1').split(',').map(Number);

const project = mkdtempSync(join(tmpdir(), 'berth-bench-plan-'));
process.env.BERTH_PROJECT_DIR = project;
const { startEmulator } = await import(join(root, 'dist/src/sandbox/emulator.js'));
const { loadEnvironment } = await import(join(root, 'dist/src/config/load.js'));
const { applyEnvironment, planEnvironment } = await import(join(root, 'dist/src/terraform/orchestrate.js'));
const { sandboxEndpoint } = await import(join(root, 'dist/src/sandbox/context.js'));

const emu = await startEmulator({ plain });
const stopAll = async () => {
  await emu.stop();
  rmSync(project, { recursive: true, force: true });
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
try {
  mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
  writeFileSync(
    join(project, '.berth', 'sandbox', 'sandbox.json'),
    JSON.stringify({ endpoint: emu.endpoint, region: 'us-east-1', pid: emu.pid, port: emu.port, startedAt: new Date().toISOString() }),
  );
  const env = loadEnvironment(envName === 'sandbox' ? 'sandbox' : join(root, 'templates', 'environments', `${envName}.json`));
  if (!env.sandbox) throw new Error(`${envName} is not a sandbox environment; the bench runs against the emulator only`);
  const local = sandboxEndpoint(env, project);

  const t0 = Date.now();
  const applied = await applyEnvironment(env, { autoApprove: true, local, timeouts: { apply: 5 * 60_000, plan: 5 * 60_000 } });
  const applySeconds = (Date.now() - t0) / 1000;
  const appliedStacks = applied.stacks.filter((s) => s.status === 'applied').map((s) => s.stack);
  console.log(
    `applied ${appliedStacks.length}/${applied.stacks.length} stacks in ${applySeconds.toFixed(0)} s (${applied.stacks.map((s) => `${s.stack.replace(/^.*-/, '')}:${s.status}`).join(', ')})`,
  );

  const rows = [];
  for (let i = 0; i < runs; i++) {
    for (const parallelism of levels.map((_, k) => levels[(k + i) % levels.length])) {
      const t = Date.now();
      const plan = await planEnvironment(env, { parallelism, local });
      const wall = (Date.now() - t) / 1000;
      const planned = plan.stacks.filter((s) => s.status === 'planned');
      const sum = planned.reduce((a, s) => a + s.durationMs, 0) / 1000;
      rows.push({
        parallelism,
        wall,
        sum,
        planned: planned.length,
        failedStacks: plan.stacks
          .filter((s) => s.status !== 'planned')
          .map((s) => `${s.stack}: ${s.status}${s.error ? ' (' + s.error.message.split('\n')[1]?.slice(0, 120) + ')' : ''}`),
        waiting: plan.stacks.filter((s) => s.status === 'waiting').length,
        failed: plan.stacks.filter((s) => s.status === 'failed').length,
        exitCode: plan.exitCode,
      });
      console.log(
        `run ${i + 1} parallelism ${parallelism}: ${wall.toFixed(1)} s wall, ${planned.length} planned (sum of stack times ${sum.toFixed(1)} s), exit ${plan.exitCode}`,
      );
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const by = (p) => rows.filter((r) => r.parallelism === p);
  const line = (p) => {
    const r = by(p);
    return `| ${p === 1 ? 'one after another (`--parallelism 1`)' : `in parallel (\`--parallelism ${p}\`${p === 4 ? ', default' : ''})`} | ${median(r.map((x) => x.wall)).toFixed(1)} s | ${Math.min(...r.map((x) => x.wall)).toFixed(1)}–${Math.max(...r.map((x) => x.wall)).toFixed(1)} s | ${median(r.map((x) => x.sum)).toFixed(1)} s | ${r[0].planned} planned, ${r[0].waiting} waiting |`;
  };
  const slowest = Math.min(...levels);
  const fastest = Math.max(...levels);
  const speedup = median(by(slowest).map((x) => x.wall)) / median(by(fastest).map((x) => x.wall));
  const md = [
    `# berth plan: parallel vs one after another`,
    '',
    `Environment \`${env.name}\` (${applied.stacks.length} stacks), ${plain ? 'stock moto_server' : "berth's extended emulator"}, ${runs} runs per level (order rotated), ${cpus().length} cores, Node ${process.version}.`,
    `Before timing: applied ${appliedStacks.length} of ${applied.stacks.length} stacks in ${applySeconds.toFixed(0)} s (${
      applied.stacks
        .filter((s) => s.status !== 'applied')
        .map((s) => `${s.stack}: ${s.status}`)
        .join('; ') || 'all applied'
    }).`,
    'Each plan: synth, then per stack (init already done) one `terraform plan -json -detailed-exitcode -out=<file>`; a stack is planned without waiting for the plans of the stacks it reads (its plan is kept when theirs do not change what it reads).',
    '',
    '| stacks planned | median wall time | min–max | median sum of per-stack times | stacks |',
    '| --- | --- | --- | --- | --- |',
    ...levels.map(line),
    '',
    rows[0].failedStacks.length
      ? `Not planned in the timed runs: ${rows[0].failedStacks.join('; ')}.`
      : 'Every stack was planned in every timed run.',
    '',
    `Speed-up of --parallelism ${fastest} over ${slowest}: ${speedup.toFixed(2)}x.`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'plan-results.md'), md);
  console.log('\n' + md);
} finally {
  await stopAll();
}
