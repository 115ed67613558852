#!/usr/bin/env node
/**
 * Issue #17's figures, in one run, in a fresh temporary project (the built CLI: `npm run build`):
 *
 *   node bench/speed.mjs [--runs 7] [--events 100000] [--suite]
 *   BERTH_PROJECT_DIR=<a project with a sandbox up> node bench/speed.mjs --only coldstart [--runs 7] [--commands status,health]
 *
 * (--only coldstart: step 2 alone, on the sandbox already up in BERTH_PROJECT_DIR; nothing is
 * brought up or down, and the table is printed, not written. --commands: only these berth commands.)
 *
 * 1. `berth sandbox up --fresh` from nothing (applies every stack, then saves the sandbox).
 * 2. Cold starts on the live sandbox, each against the AWS CLI (v1 on PATH) doing the closest job,
 *    `--runs` times interleaved (berth, aws, berth without its code cache, berth, aws, ...), after one
 *    untimed run of the berth command (a command's first use writes its V8 code cache, src/start/),
 *    medians and their ratio; berth with BERTH_CODE_CACHE=0 stands for a build's first run:
 *    `status --json` / `aws ecs describe-services`; `logs --since 10m` / `aws logs
 *    filter-log-events` on the same group and range; `health --json` / `aws elbv2
 *    describe-target-health`; `doctor --json` (8 groups, ~50 checks) against the AWS CLI commands the
 *    runbooks (shared/RUNBOOKS.md) have an operator type for the same checks, one after another as
 *    a person would (RUNBOOK_CHECKS below), and, as before, against one `aws ecs describe-services`.
 *    Wall time and CPU time (user + system, from /usr/bin/time) of each side: on a shared machine
 *    the CPU time and the interleaved ratio are the steadier figures.
 * 3. --events log events put into two streams of the service's log group: `berth logs --since 2h`
 *    against `aws logs filter-log-events` (paginated by the CLI) over the same range: wall time, time
 *    to the first byte on stdout, events printed, events per second.
 * 4. `berth sandbox down`, then `berth sandbox up` again (restores the saved sandbox), then `berth
 *    plan --env sandbox` (must find no change in any stack), then `down` again.
 * 5. With --suite, after the rest (nothing of the bench left running): the test suite, `vitest run`
 *    in this checkout as CI runs it (bench/suite.mjs), its wall and CPU time.
 *
 * Prints a Markdown table and writes it to bench/speed-results.md, with the machine and its load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'berth.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const RUNS = opt('runs', 7);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'coldstart') throw new Error(`--only ${ONLY}: expected coldstart`);
const EVENTS = opt('events', 100_000);
const COMMANDS = args.includes('--commands') ? args[args.indexOf('--commands') + 1].split(',') : undefined;
const project = ONLY ? process.env.BERTH_PROJECT_DIR : mkdtempSync(join(tmpdir(), 'berth-bench-speed-'));
if (!project) throw new Error('--only coldstart runs on the sandbox already up in BERTH_PROJECT_DIR: set it');
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

/** GNU time, for the CPU time of a child (user + system); without it the CPU column says n/a. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(tmpdir(), `berth-bench-cpu-${process.pid}`);

/** Spawn and time a command: wall ms, CPU ms, ms to the first byte of stdout, stdout size, exit code. */
function timed(cmd, argv, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first;
    let bytes = 0;
    let lines = 0;
    const [c, a] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...argv]] : [cmd, argv];
    const child = spawn(c, a, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (c) => {
      first ??= performance.now() - t0;
      bytes += c.length;
      for (const b of c) if (b === 10) lines++;
    });
    child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const cpu = TIME ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
      resolve({ ms, cpuMs: (cpu[0] + cpu[1]) * 1000, firstMs: first, bytes, lines, code, err });
    });
  });
}

const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIABERTHSANDBOXFAKE', AWS_SECRET_ACCESS_KEY: 'berth-sandbox-fake-secret-not-a-real-key' };

/** One AWS CLI answer as text (not timed: the ids the operator's commands need). */
function awsText(rec, ...a) {
  const r = spawnSync('aws', [...a, '--endpoint-url', rec.endpoint, '--region', rec.region, '--output', 'text'], {
    env: { ...env, ...AWS_ENV },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`aws ${a.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * What an operator types for the checks `berth doctor` makes, per the runbooks (shared/RUNBOOKS.md),
 * one command after another: incident 2 (private subnets' route tables, the NAT), incident 3 (the
 * security groups both ways), "a task does not start" (stopped tasks, the task definition, its
 * logs, the image in ECR, the execution role), "health checks fail" (the /health URL, target group
 * port and health, listeners and rules), "database connection fails" (the secret, the cluster),
 * "Redis connection fails" (the secret, the replication group), incident 5 (the certificate, the
 * zone and its records) and the roles' policies (IAM). The ids they need are looked up first, untimed.
 */
function runbookChecks(rec, tgArn) {
  const q = (...a) => awsText(rec, ...a);
  const vpc = q('ec2', 'describe-vpcs', '--filters', 'Name=tag:Name,Values=demo-sandbox-vpc', '--query', 'Vpcs[0].VpcId');
  const lb = q('elbv2', 'describe-load-balancers', '--names', 'demo-sandbox-alb', '--query', 'LoadBalancers[0].LoadBalancerArn');
  const https = q('elbv2', 'describe-listeners', '--load-balancer-arn', lb, '--query', 'Listeners[?Port==`443`].ListenerArn | [0]');
  const cert = q('acm', 'list-certificates', '--query', 'CertificateSummaryList[0].CertificateArn');
  const zone = q('route53', 'list-hosted-zones-by-name', '--dns-name', 'berth.test', '--query', 'HostedZones[0].Id');
  const dbSecret = q(
    'rds',
    'describe-db-clusters',
    '--db-cluster-identifier',
    'demo-sandbox-db',
    '--query',
    'DBClusters[0].MasterUserSecret.SecretArn',
  );
  const byVpc = ['--filters', `Name=vpc-id,Values=${vpc}`];
  const publicUrl = JSON.parse(readFileSync(join(project, '.berth', 'sandbox', 'sandbox.json'), 'utf8')).publicUrl;
  return [
    ['ec2', 'describe-vpcs', '--vpc-ids', vpc],
    ['ec2', 'describe-subnets', ...byVpc],
    ['ec2', 'describe-route-tables', ...byVpc],
    ['ec2', 'describe-nat-gateways', '--filter', `Name=vpc-id,Values=${vpc}`],
    ['ec2', 'describe-internet-gateways', '--filters', `Name=attachment.vpc-id,Values=${vpc}`],
    ['ec2', 'describe-security-groups', ...byVpc],
    ['ecs', 'describe-services', '--cluster', 'demo-sandbox', '--services', 'api'],
    ['ecs', 'list-tasks', '--cluster', 'demo-sandbox', '--service-name', 'api', '--desired-status', 'STOPPED'],
    ['ecs', 'describe-task-definition', '--task-definition', 'demo-sandbox-api'],
    ['logs', 'describe-log-groups', '--log-group-name-prefix', '/ecs/demo-sandbox/api'],
    ['ecr', 'batch-get-image', '--repository-name', 'demo/api', '--image-ids', 'imageTag=v1'],
    ['curl', '-fsS', `${publicUrl}/health`],
    ['elbv2', 'describe-target-groups', '--target-group-arns', tgArn],
    ['elbv2', 'describe-target-health', '--target-group-arn', tgArn],
    ['elbv2', 'describe-listeners', '--load-balancer-arn', lb],
    ['elbv2', 'describe-rules', '--listener-arn', https],
    ['secretsmanager', 'get-secret-value', '--secret-id', dbSecret],
    ['rds', 'describe-db-clusters', '--db-cluster-identifier', 'demo-sandbox-db'],
    ['rds', 'describe-db-instances', '--filters', 'Name=db-cluster-id,Values=demo-sandbox-db'],
    ['secretsmanager', 'get-secret-value', '--secret-id', 'demo/sandbox/redis'],
    ['elasticache', 'describe-replication-groups', '--replication-group-id', 'demo-sandbox-redis'],
    ['acm', 'describe-certificate', '--certificate-arn', cert],
    ['route53', 'list-resource-record-sets', '--hosted-zone-id', zone],
    ['iam', 'get-role', '--role-name', 'demo-sandbox-api-exec'],
    ['iam', 'list-attached-role-policies', '--role-name', 'demo-sandbox-api-exec'],
    ['iam', 'list-role-policies', '--role-name', 'demo-sandbox-api-exec'],
    ['iam', 'get-role', '--role-name', 'demo-sandbox-api-task'],
    ['iam', 'list-attached-role-policies', '--role-name', 'demo-sandbox-api-task'],
  ].map((a) => (a[0] === 'curl' ? ['curl', a.slice(1)] : ['aws', [...a, '--endpoint-url', rec.endpoint, '--region', rec.region]]));
}

/** Commands run one after another, timed as one: wall and CPU summed. */
async function sequence(cmds) {
  let ms = 0;
  let cpuMs = 0;
  for (const [cmd, a] of cmds) {
    const y = await timed(cmd, a, AWS_ENV);
    if (y.code !== 0) throw new Error(`${cmd} ${a.join(' ')} exited ${y.code}: ${y.err}`);
    ms += y.ms;
    cpuMs += y.cpuMs;
  }
  return { ms, cpuMs, code: 0 };
}

async function coldStarts(rec, tgArn) {
  const aws = (...a) => [['aws', [...a, '--endpoint-url', rec.endpoint, '--region', rec.region]]];
  const since = String(Date.now() - 10 * 60_000);
  const describeServices = aws('ecs', 'describe-services', '--cluster', 'demo-sandbox', '--services', 'api');
  const runbook = runbookChecks(rec, tgArn);
  const pairs = [
    ['status', ['status', '--env', 'sandbox', '--json'], describeServices, 'aws ecs describe-services'],
    [
      'logs',
      ['logs', '--env', 'sandbox', '--since', '10m'],
      aws('logs', 'filter-log-events', '--log-group-name', '/ecs/demo-sandbox/api', '--start-time', since),
      'aws logs filter-log-events',
    ],
    [
      'health',
      ['health', '--env', 'sandbox', '--json'],
      aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn),
      'aws elbv2 describe-target-health',
    ],
    ['doctor', ['doctor', '--env', 'sandbox', '--json'], describeServices, 'aws ecs describe-services (not like for like)'],
    ['doctor', ['doctor', '--env', 'sandbox', '--json'], runbook, `the runbooks' ${runbook.length} commands for the same checks, in a row`],
  ];
  const rows = [];
  for (const [name, b, cmds, awsCommand] of pairs.filter(([name]) => !COMMANDS || COMMANDS.includes(name))) {
    // The command's first use writes its code cache (src/start/), if there is none: untimed here.
    await berthRun(b);
    const bt = [];
    const at = [];
    const nt = [];
    for (let i = 0; i < RUNS; i++) {
      bt.push(await berthRun(b));
      at.push(await sequence(cmds));
      nt.push(await berthRun(b, { BERTH_CODE_CACHE: '0' }));
      loads.push(loadavg()[0]);
    }
    const med = (xs, k) => median(xs.map((x) => x[k]));
    rows.push({
      name,
      berth: med(bt, 'ms'),
      aws: med(at, 'ms'),
      berthCpu: med(bt, 'cpuMs'),
      awsCpu: med(at, 'cpuMs'),
      noCache: med(nt, 'ms'),
      noCacheCpu: med(nt, 'cpuMs'),
      awsCommand,
    });
  }
  return rows;
}

/** One timed run of berth `b` (with `extraEnv`), which must succeed. */
async function berthRun(b, extraEnv = {}) {
  const x = await timed(process.execPath, [bin, ...b], extraEnv);
  if (x.code !== 0) throw new Error(`berth ${b.join(' ')} exited ${x.code}: ${x.err}`);
  return x;
}

const coldRows = (cold) =>
  cold.map((c) => [
    `cold start: \`berth ${c.name}\` vs ${c.awsCommand.startsWith('aws ') ? `\`${c.awsCommand}\`` : c.awsCommand} (median of ${RUNS}, interleaved)`,
    `${s(c.berth)} vs ${s(c.aws)}; CPU ${Number.isNaN(c.berthCpu) ? 'n/a' : `${s(c.berthCpu)} vs ${s(c.awsCpu)}`}`,
    `ratio ${(c.berth / c.aws).toFixed(2)}${Number.isNaN(c.berthCpu) ? '' : ` (CPU ${(c.berthCpu / c.awsCpu).toFixed(2)})`}; ` +
      `without the code cache (BERTH_CODE_CACHE=0, about a build's first run) ${s(c.noCache)}` +
      `${Number.isNaN(c.noCacheCpu) ? '' : `, CPU ${s(c.noCacheCpu)}`}, ratio ${(c.noCache / c.aws).toFixed(2)}`,
  ]);

/** The bench's table, with the machine and its load. */
function table(rows) {
  const machine = `${cpus().length} × ${cpus()[0].model.trim()}, node ${process.version}`;
  return [
    '# Speed benchmark (issue #17)',
    '',
    `${new Date().toISOString()}: ${machine}; load average (1 min) from ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during the run.`,
    '',
    '| measure | time | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

function targetGroupArn(rec) {
  return awsText(rec, 'elbv2', 'describe-target-groups', '--query', 'TargetGroups[0].TargetGroupArn');
}

/** --only coldstart: the cold starts alone, on the sandbox already up in BERTH_PROJECT_DIR. */
async function onlyColdStarts() {
  loads.push(loadavg()[0]);
  const rec = JSON.parse(readFileSync(join(project, '.berth', 'sandbox', 'sandbox.json'), 'utf8'));
  console.log(table(coldRows(await coldStarts(rec, targetGroupArn(rec)))));
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

/** Step 5 (--suite): the test suite's wall time, measured after everything else has stopped. */
async function suiteRow() {
  const { timeSuite } = await import('./suite.mjs');
  const t = await timeSuite(root).catch((e) => {
    process.exitCode = 1; // the figures above are still written; a failing suite fails the bench
    return { error: e.message.split('\n')[0] };
  });
  if (t.error) return ['the test suite (`vitest run` as CI runs it)', 'FAILED', t.error];
  return [
    `the test suite (\`vitest run\` as CI runs it: ${t.tests} tests in ${t.files} files)`,
    `${s(t.ms)} (vitest's own figure ${s(t.vitestMs)})`,
    `CPU ${s(t.cpuMs)} on ${cpus().length} cores`,
  ];
}

async function main() {
  loads.push(loadavg()[0]);
  const up = berthJson('sandbox', 'up', '--fresh');
  if (!up.json.saved) throw new Error('the first up did not save the sandbox');
  const again = berthJson('sandbox', 'up');
  const rec = { endpoint: up.json.endpoint, region: up.json.region };
  const tg = targetGroupArn(rec);
  const cold = await coldStarts(rec, tg);
  const events = await manyEvents(rec);
  const down = berthJson('sandbox', 'down');
  const restored = berthJson('sandbox', 'up');
  if (!restored.json.restored) throw new Error('the up after down did not restore the saved sandbox');
  const plan = berthJson('plan', '--env', 'sandbox');
  const changed = plan.json.stacks.filter((x) => x.changes !== false).map((x) => x.stack);
  if (changed.length) throw new Error(`the plan after a restore has changes in ${changed.join(', ')}`);
  const down2 = berthJson('sandbox', 'down');
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
    ...coldRows(cold),
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
  if (args.includes('--suite')) rows.push(await suiteRow());
  const text = table(rows);
  writeFileSync(join(root, 'bench', 'speed-results.md'), text);
  console.log(text);
}

if (ONLY) await onlyColdStarts();
else {
  try {
    await main();
  } finally {
    spawnSync(process.execPath, [bin, 'sandbox', 'down'], { env, stdio: 'ignore' });
    rmSync(project, { recursive: true, force: true });
  }
}
