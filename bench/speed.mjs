#!/usr/bin/env node
/**
 * Issue #17's figures, in one run, in a fresh temporary project (the built CLI: `npm run build`):
 *
 *   node bench/speed.mjs [--runs 7] [--events 100000]
 *
 * 1. `berth sandbox up --fresh` from nothing (applies every stack, then saves the sandbox).
 * 2. Cold starts on the live sandbox, each against the AWS CLI (v1 on PATH) doing the closest job,
 *    `--runs` times interleaved (berth, aws, berth, aws, ...), medians and their ratio:
 *    `status --json` / `aws ecs describe-services`; `logs --since 10m` / `aws logs
 *    filter-log-events` on the same group and range; `health --json` / `aws elbv2
 *    describe-target-health`; `doctor --json` (8 groups, ~50 checks) / `aws ecs describe-services`.
 * 3. --events log events put into two streams of the service's log group: `berth logs --since 2h`
 *    against `aws logs filter-log-events` (paginated by the CLI) over the same range: wall time, time
 *    to the first byte on stdout, events printed, events per second.
 * 4. `berth sandbox down`, then `berth sandbox up` again (restores the saved sandbox), then `berth
 *    plan --env sandbox` (must find no change in any stack), then `down` again.
 *
 * Prints a Markdown table and writes it to bench/speed-results.md, with the machine and its load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'berth.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const RUNS = opt('runs', 7);
const EVENTS = opt('events', 100_000);
const project = mkdtempSync(join(tmpdir(), 'berth-bench-speed-'));
const env = { ...process.env, BERTH_PROJECT_DIR: project, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' };
const loads = [];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function berthJson(...a) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...a, '--json'], { env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`berth ${a.join(' ')} exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  loads.push(loadavg()[0]);
  return { ms, json: JSON.parse(r.stdout) };
}

/** Spawn and time a command: wall ms, ms to the first byte of stdout, stdout size, exit code. */
function timed(cmd, argv, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first;
    let bytes = 0;
    let lines = 0;
    const child = spawn(cmd, argv, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (c) => {
      first ??= performance.now() - t0;
      bytes += c.length;
      for (const b of c) if (b === 10) lines++;
    });
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, firstMs: first, bytes, lines, code, err }));
  });
}

async function coldStarts(rec, tgArn) {
  const aws = (...a) => ['aws', [...a, '--endpoint-url', rec.endpoint, '--region', rec.region]];
  const awsEnv = { AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE', AWS_SECRET_ACCESS_KEY: 'berth-sandbox-fake-secret-not-a-real-key' };
  const since = String(Date.now() - 10 * 60_000);
  const pairs = [
    ['status', ['status', '--env', 'sandbox', '--json'], aws('ecs', 'describe-services', '--cluster', 'demo-sandbox', '--services', 'api')],
    [
      'logs',
      ['logs', '--env', 'sandbox', '--since', '10m'],
      aws('logs', 'filter-log-events', '--log-group-name', '/ecs/demo-sandbox/api', '--start-time', since),
    ],
    ['health', ['health', '--env', 'sandbox', '--json'], aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn)],
    ['doctor', ['doctor', '--env', 'sandbox', '--json'], aws('ecs', 'describe-services', '--cluster', 'demo-sandbox', '--services', 'api')],
  ];
  const rows = [];
  for (const [name, b, [cmd, a]] of pairs) {
    const bt = [];
    const at = [];
    for (let i = 0; i < RUNS; i++) {
      const x = await timed(process.execPath, [bin, ...b]);
      if (x.code !== 0) throw new Error(`berth ${b.join(' ')} exited ${x.code}: ${x.err}`);
      bt.push(x.ms);
      const y = await timed(cmd, a, awsEnv);
      if (y.code !== 0) throw new Error(`${cmd} ${a.join(' ')} exited ${y.code}: ${y.err}`);
      at.push(y.ms);
      loads.push(loadavg()[0]);
    }
    rows.push({ name, berth: median(bt), aws: median(at), awsCommand: `aws ${a.slice(0, 2).join(' ')}` });
  }
  return rows;
}

async function seedEvents(rec) {
  const m = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = new m.CloudWatchLogsClient({
    region: rec.region,
    endpoint: rec.endpoint,
    credentials: { accessKeyId: 'AKIABERTHSANDBOXFAKE', secretAccessKey: 'berth-sandbox-fake-secret-not-a-real-key' },
  });
  const group = '/ecs/demo-sandbox/api';
  const streams = ['api/api/0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'api/api/9a8b7c6d5e4f30211203f4e5d6c7b8a9'];
  const t0 = Date.now() - 100 * 60_000;
  const per = Math.ceil(EVENTS / 2);
  const step = Math.max(1, Math.floor((80 * 60_000) / per));
  for (const [k, st] of streams.entries()) {
    await logs.send(new m.CreateLogStreamCommand({ logGroupName: group, logStreamName: st }));
    for (let i = 0; i < per; i += 10_000) {
      const logEvents = Array.from({ length: Math.min(10_000, per - i) }, (_, j) => ({
        timestamp: t0 + (i + j) * step + k,
        message: `INFO ${k ? 'b' : 'a'} GET /api/v1/items/${i + j} 200 12ms user=${(i + j) % 97}`,
      }));
      await logs.send(new m.PutLogEventsCommand({ logGroupName: group, logStreamName: st, logEvents }));
    }
  }
  logs.destroy();
}

async function manyEvents(rec) {
  await seedEvents(rec);
  const start = String(Date.now() - 2 * 3600_000);
  const b = await timed(process.execPath, [bin, 'logs', '--env', 'sandbox', '--since', '2h']);
  const a = await timed(
    'aws',
    [
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/ecs/demo-sandbox/api',
      '--start-time',
      start,
      '--endpoint-url',
      rec.endpoint,
      '--region',
      rec.region,
    ],
    { AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE', AWS_SECRET_ACCESS_KEY: 'berth-sandbox-fake-secret-not-a-real-key' },
  );
  const c = spawnSync(
    'sh',
    [
      '-c',
      `aws logs filter-log-events --log-group-name /ecs/demo-sandbox/api --start-time ${start} --endpoint-url ${rec.endpoint} --region ${rec.region} --query 'length(events)'`,
    ],
    {
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE', AWS_SECRET_ACCESS_KEY: 'x' },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  loads.push(loadavg()[0]);
  return { berth: b, aws: a, awsEvents: Number(c.stdout.trim()) };
}

async function main() {
  loads.push(loadavg()[0]);
  const up = berthJson('sandbox', 'up', '--fresh');
  if (!up.json.saved) throw new Error('the first up did not save the sandbox');
  const again = berthJson('sandbox', 'up');
  const rec = { endpoint: up.json.endpoint, region: up.json.region };
  const tg = spawnSync(
    'aws',
    [
      'elbv2',
      'describe-target-groups',
      '--endpoint-url',
      rec.endpoint,
      '--region',
      rec.region,
      '--query',
      'TargetGroups[0].TargetGroupArn',
      '--output',
      'text',
    ],
    {
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE', AWS_SECRET_ACCESS_KEY: 'x' },
      encoding: 'utf8',
    },
  ).stdout.trim();
  const cold = await coldStarts(rec, tg);
  const events = await manyEvents(rec);
  const down = berthJson('sandbox', 'down');
  const restored = berthJson('sandbox', 'up');
  if (!restored.json.restored) throw new Error('the up after down did not restore the saved sandbox');
  const plan = berthJson('plan', '--env', 'sandbox');
  const changed = plan.json.stacks.filter((x) => x.changes !== false).map((x) => x.stack);
  if (changed.length) throw new Error(`the plan after a restore has changes in ${changed.join(', ')}`);
  const down2 = berthJson('sandbox', 'down');
  const machine = `${cpus().length} × ${cpus()[0].model.trim()}, node ${process.version}`;
  const rows = [
    ['`sandbox up` from nothing (--fresh: 9 stacks applied, then saved)', s(up.ms), ''],
    ['second `sandbox up` (live emulator, no changes)', s(again.ms), ''],
    ['`sandbox down`', s(down.ms), ''],
    [
      '`sandbox up` from the saved sandbox (after down)',
      s(restored.ms),
      `then \`plan\`: no change in ${plan.json.stacks.length} stacks (${s(plan.ms)})`,
    ],
    ['`sandbox down` again', s(down2.ms), ''],
    ...cold.map((c) => [
      `cold start: \`berth ${c.name}\` vs \`${c.awsCommand}\` (median of ${RUNS}, interleaved)`,
      `${s(c.berth)} vs ${s(c.aws)}`,
      `ratio ${(c.berth / c.aws).toFixed(2)}`,
    ]),
    [
      `${EVENTS} events (+ the service's own lines): \`berth logs --since 2h\``,
      `${s(events.berth.ms)}, first event after ${s(events.berth.firstMs)}, ${events.berth.lines} lines`,
      `${Math.round(events.berth.lines / (events.berth.ms / 1000))} events/s`,
    ],
    [
      '… the same range: `aws logs filter-log-events`',
      `${s(events.aws.ms)}, first byte after ${s(events.aws.firstMs)}, ${events.awsEvents} events`,
      `${Math.round(events.awsEvents / (events.aws.ms / 1000))} events/s; berth ${(events.aws.ms / events.berth.ms).toFixed(1)}x faster`,
    ],
  ];
  const text = [
    '# Speed benchmark (issue #17)',
    '',
    `${new Date().toISOString()}: ${machine}; load average (1 min) from ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during the run.`,
    '',
    '| measure | time | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'speed-results.md'), text);
  console.log(text);
}

try {
  await main();
} finally {
  spawnSync(process.execPath, [bin, 'sandbox', 'down'], { env, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
}
