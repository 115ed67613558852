#!/usr/bin/env node
/**
 * Operations benchmarks: berth vs the AWS CLI doing the same job, on the local emulator.
 *
 *   npm run build && node bench/ops.mjs [--events 100000] [--runs 5] [--with-sandbox]
 *
 * 1. Cold start: `berth status --json` vs `aws ecs describe-services`; `berth logs` (an empty task
 *    stream) vs `aws logs filter-log-events` on the same stream. Wall time, median of --runs.
 * 2. Fetching --events log events (two task streams): wall time and peak RSS (GNU time %M) of
 *    `berth logs --since 2h > /dev/null` vs `aws logs filter-log-events` (auto-paginated) > /dev/null,
 *    and the number of events each printed.
 * 3. (--with-sandbox, needs the extended sandbox: `berth sandbox up` in BERTH_PROJECT_DIR) a deploy of
 *    an image that fails at start (`--tag fail-exit`): seconds from UpdateService to berth's verdict
 *    vs `aws ecs update-service` + `aws ecs wait services-stable` (and what that wait reports).
 *
 * Plain moto_server is used for 1 and 2 (started here on 127.0.0.1 at a free port, stopped at the
 * end). Results are printed as a Markdown table and written to bench/ops-results.md.
 */
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const EVENTS = Number(opt('events', '100000'));
const RUNS = Number(opt('runs', '5'));
const WITH_SANDBOX = args.includes('--with-sandbox');
const BERTH = [process.execPath, join(root, 'bin', 'berth.js')];

if (!existsSync(join(root, 'dist', 'cli', 'index.js'))) {
  console.error('bench/ops.mjs runs the built CLI: run `npm run build` first.');
  process.exit(3);
}
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
for (const tool of ['moto_server', 'aws', '/usr/bin/time']) {
  if (!which(tool)) {
    console.error(`bench/ops.mjs needs ${tool} on PATH.`);
    process.exit(3);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;

/** Run a command under GNU time: wall seconds, peak RSS (MiB), stdout size, exit code. */
function timed(cmd, argv, env, { stdoutFile } = {}) {
  const shell = `/usr/bin/time -f '__TIME__ %e %M' ${[cmd, ...argv].map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ')}${stdoutFile ? ` > '${stdoutFile}'` : ' > /dev/null'}`;
  const r = spawnSync('sh', ['-c', shell], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr);
  return {
    seconds: m ? Number(m[1]) : NaN,
    rssMiB: m ? Number(m[2]) / 1024 : NaN,
    code: r.status,
    stderr: r.stderr.replace(/__TIME__.*\n?/, ''),
  };
}

async function main() {
  const { startEmulator } = await import(join(root, 'dist', 'src', 'sandbox', 'emulator.js'));
  const emu = await startEmulator({ plain: true });
  const project = mkdtempSync(join(tmpdir(), 'berth-bench-ops-'));
  const rows = [];
  try {
    mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
    writeFileSync(
      join(project, '.berth', 'sandbox', 'sandbox.json'),
      JSON.stringify({ endpoint: emu.endpoint, region: 'us-east-1', pid: emu.pid, port: emu.port, startedAt: new Date().toISOString() }),
    );
    const env = {
      ...process.env,
      BERTH_PROJECT_DIR: project,
      AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE',
      AWS_SECRET_ACCESS_KEY: 'berth-sandbox-fake-secret-not-a-real-key',
      AWS_DEFAULT_REGION: 'us-east-1',
      NO_COLOR: '1',
    };
    const cfg = {
      region: 'us-east-1',
      endpoint: emu.endpoint,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    };
    const ecsm = await import('@aws-sdk/client-ecs');
    const logsm = await import('@aws-sdk/client-cloudwatch-logs');
    const ecs = new ecsm.ECSClient(cfg);
    const logs = new logsm.CloudWatchLogsClient(cfg);
    await ecs.send(new ecsm.CreateClusterCommand({ clusterName: 'demo-sandbox' }));
    await ecs.send(
      new ecsm.RegisterTaskDefinitionCommand({
        family: 'demo-sandbox-api',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        containerDefinitions: [{ name: 'api', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v1', essential: true }],
      }),
    );
    await ecs.send(
      new ecsm.CreateServiceCommand({
        cluster: 'demo-sandbox',
        serviceName: 'api',
        taskDefinition: 'demo-sandbox-api:1',
        desiredCount: 2,
        launchType: 'FARGATE',
      }),
    );
    const group = '/ecs/demo-sandbox/api';
    await logs.send(new logsm.CreateLogGroupCommand({ logGroupName: group }));
    const streams = [
      'api/api/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      'api/api/9a8b7c6d5e4f30211203f4e5d6c7b8a9',
      'api/api/00000000000000000000000000000000',
    ];
    for (const s of streams) await logs.send(new logsm.CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
    const t0 = Date.now() - 90 * 60_000;
    const per = Math.ceil(EVENTS / 2);
    const step = Math.max(1, Math.floor((80 * 60_000) / per));
    process.stderr.write(`seeding ${EVENTS} events… `);
    for (const [k, s] of streams.slice(0, 2).entries()) {
      for (let i = 0; i < per; i += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, per - i) }, (_, j) => ({
          timestamp: t0 + (i + j) * step + k,
          message: `INFO ${k ? 'b' : 'a'} GET /api/v1/items/${i + j} 200 12ms user=${(i + j) % 97} trace=${(i + j).toString(16).padStart(12, '0')}`,
        }));
        await logs.send(new logsm.PutLogEventsCommand({ logGroupName: group, logStreamName: s, logEvents: batch }));
      }
    }
    process.stderr.write('done\n');
    const awsBase = ['--endpoint-url', emu.endpoint, '--region', 'us-east-1'];

    // 1. cold start
    const cold = (label, cmd, argv) => {
      const xs = [];
      for (let i = 0; i < RUNS; i++) xs.push(timed(cmd, argv, env));
      const bad = xs.find((x) => x.code !== 0);
      if (bad) throw new Error(`${label} failed (${bad.code}): ${bad.stderr}`);
      return { seconds: median(xs.map((x) => x.seconds)), rssMiB: median(xs.map((x) => x.rssMiB)) };
    };
    const st = cold('berth status', BERTH[0], [BERTH[1], 'status', '--env', 'sandbox', '--json']);
    const ds = cold('aws ecs describe-services', 'aws', [
      'ecs',
      'describe-services',
      '--cluster',
      'demo-sandbox',
      '--services',
      'api',
      ...awsBase,
    ]);
    rows.push([
      'cold start: service status',
      `\`berth status --json\` ${fmt(st.seconds)} (${st.rssMiB.toFixed(0)} MiB; 5 API calls: services, task definitions, autoscaling, target health, alarms)`,
      `\`aws ecs describe-services\` ${fmt(ds.seconds)} (${ds.rssMiB.toFixed(0)} MiB; 1 call)`,
    ]);
    const lg = cold('berth logs', BERTH[0], [
      BERTH[1],
      'logs',
      '--env',
      'sandbox',
      '--since',
      '2h',
      '--task',
      '00000000000000000000000000000000',
    ]);
    const fl = cold('aws logs filter-log-events', 'aws', [
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
      '--log-stream-names',
      streams[2],
      '--start-time',
      String(Date.now() - 2 * 3600_000),
      ...awsBase,
    ]);
    rows.push([
      'cold start: logs (empty stream)',
      `\`berth logs --task …\` ${fmt(lg.seconds)} (${lg.rssMiB.toFixed(0)} MiB)`,
      `\`aws logs filter-log-events\` ${fmt(fl.seconds)} (${fl.rssMiB.toFixed(0)} MiB)`,
    ]);

    // 2. many events
    const outB = join(project, 'berth.out');
    const outA = join(project, 'aws.out');
    const b = timed(BERTH[0], [BERTH[1], 'logs', '--env', 'sandbox', '--since', '2h'], env, { stdoutFile: outB });
    const a = timed(
      'aws',
      [
        'logs',
        'filter-log-events',
        '--log-group-name',
        group,
        '--start-time',
        String(Date.now() - 2 * 3600_000),
        '--interleaved',
        ...awsBase,
      ],
      env,
      { stdoutFile: outA },
    );
    const countB = Number(spawnSync('sh', ['-c', `wc -l < '${outB}'`], { encoding: 'utf8' }).stdout.trim());
    const countA = Number(spawnSync('sh', ['-c', `grep -c '"eventId"' '${outA}'`], { encoding: 'utf8' }).stdout.trim());
    rows.push([
      `fetch ${EVENTS} events`,
      `${fmt(b.seconds)}, peak RSS ${b.rssMiB.toFixed(0)} MiB, ${countB} lines (streamed, time-ordered)`,
      `${fmt(a.seconds)}, peak RSS ${a.rssMiB.toFixed(0)} MiB, ${countA} events (one JSON document at the end)`,
    ]);
    // Constant memory: the same fetch with V8's old space capped at 32 MB must still complete.
    const capped = timed(BERTH[0], ['--max-old-space-size=32', BERTH[1], 'logs', '--env', 'sandbox', '--since', '2h'], env, {
      stdoutFile: outB,
    });
    const countC = Number(spawnSync('sh', ['-c', `wc -l < '${outB}'`], { encoding: 'utf8' }).stdout.trim());
    rows.push([
      `fetch ${EVENTS} events, heap capped at 32 MB`,
      `${capped.code === 0 ? 'completes' : `FAILS (exit ${capped.code})`}: ${fmt(capped.seconds)}, peak RSS ${capped.rssMiB.toFixed(0)} MiB, ${countC} lines`,
      '',
    ]);

    // 3. failing deploy: verdict delay (extended sandbox only)
    if (WITH_SANDBOX) rows.push(...(await verdictDelay(process.env)));
    else
      rows.push([
        'failing deploy: time to a verdict',
        'needs the extended sandbox: rerun with --with-sandbox after `berth sandbox up`',
        '',
      ]);
  } finally {
    await emu.stop();
    rmSync(project, { recursive: true, force: true });
  }
  const table = ['| measurement | berth | AWS CLI |', '| --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const text = `# Operations benchmark\n\n${new Date().toISOString()} — node ${process.version}, moto_server 5.2.1, AWS CLI v1, ${RUNS} runs (median) for cold starts.\n\n${table}\n`;
  writeFileSync(join(root, 'bench', 'ops-results.md'), text);
  console.log(text);
}

/**
 * Against a running extended sandbox (BERTH_PROJECT_DIR, `berth sandbox up`): deploy an image
 * that exits at start, and time (a) berth's verdict and (b) the AWS CLI's update-service + wait.
 */
async function verdictDelay(env) {
  const rows = [];
  const run = (argv) => spawnSync(BERTH[0], [BERTH[1], ...argv], { env, encoding: 'utf8' });
  const t = Date.now();
  const r = run(['deploy', '--env', 'sandbox', '--tag', 'fail-exit', '--no-image-check', '--no-rollback', '--json', '--timeout', '10m']);
  const tEnd = Date.now();
  const res = JSON.parse(r.stdout || '{}');
  // When did the first task of the failing revision stop (ECS's stoppedAt)? berth exits at its verdict (--no-rollback).
  const { readFileSync } = await import('node:fs');
  const rec = JSON.parse(readFileSync(join(env.BERTH_PROJECT_DIR ?? process.cwd(), '.berth', 'sandbox', 'sandbox.json'), 'utf8'));
  const ecsm = await import('@aws-sdk/client-ecs');
  const ecs = new ecsm.ECSClient({
    region: rec.region,
    endpoint: rec.endpoint,
    credentials: { accessKeyId: 'AKIABERTHSANDBOXFAKE', secretAccessKey: 'berth-sandbox-fake-secret-not-a-real-key' },
  });
  const stoppedArns =
    (await ecs.send(new ecsm.ListTasksCommand({ cluster: 'demo-sandbox', serviceName: 'api', desiredStatus: 'STOPPED' }))).taskArns ?? [];
  const stopped = stoppedArns.length
    ? ((await ecs.send(new ecsm.DescribeTasksCommand({ cluster: 'demo-sandbox', tasks: stoppedArns.slice(0, 100) }))).tasks ?? [])
    : [];
  const firstStop = Math.min(
    ...stopped.filter((x) => x.taskDefinitionArn === res.newRevision?.arn && x.stoppedAt).map((x) => new Date(x.stoppedAt).getTime()),
  );
  const fromStop = Number.isFinite(firstStop) ? `${((tEnd - firstStop) / 1000).toFixed(1)} s after the first task stopped, ` : '';
  rows.push([
    'failing deploy (fail-exit): time to a verdict',
    `${fromStop}${res.durations?.verdictAfterSeconds ?? '?'} s after UpdateService (${((tEnd - t) / 1000).toFixed(1)} s wall incl. start-up), verdict ${res.verdict}, exit ${r.status}: ${res.reasons?.[0] ?? ''}`,
    '',
  ]);
  // put the service back on its previous revision before timing the CLI
  run(['rollback', '--env', 'sandbox', '--yes', '--json', '--to', String(res.oldRevision?.revision ?? '')]);
  const awsEnv = {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE',
    AWS_SECRET_ACCESS_KEY: 'berth-sandbox-fake-secret-not-a-real-key',
    AWS_DEFAULT_REGION: rec.region,
  };
  const awsBase = ['--endpoint-url', rec.endpoint, '--region', rec.region];
  const t2 = Date.now();
  spawnSync(
    'aws',
    ['ecs', 'update-service', '--cluster', 'demo-sandbox', '--service', 'api', '--task-definition', res.newRevision?.arn ?? '', ...awsBase],
    { env: awsEnv },
  );
  const w = spawn('aws', ['ecs', 'wait', 'services-stable', '--cluster', 'demo-sandbox', '--services', 'api', ...awsBase], {
    env: awsEnv,
    stdio: 'ignore',
  });
  const code = await new Promise((r) => w.on('exit', r));
  rows[0][2] = `\`aws ecs wait services-stable\` returned after ${((Date.now() - t2) / 1000).toFixed(1)} s with exit ${code} (no reason given${code === 0 ? '; "stable" may mean ECS rolled back' : ''})`;
  return rows;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
