/**
 * `berth logs` against a real moto_server: a log group with two task streams and thousands of
 * events, read through main() exactly as a person or a script would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { berth, seedService, startSandbox, type MotoSandbox } from '../rollout/sandbox-helper.js';

const GROUP = '/ecs/demo-sandbox/api';
const TASK_A = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const TASK_B = '9a8b7c6d5e4f30211203f4e5d6c7b8a9';
const PER_STREAM = 7_000; // 14,000 events: two FilterLogEvents pages of 10,000
let sb: MotoSandbox;
let logs: CloudWatchLogsClient;
let t0: number;

async function put(stream: string, events: { timestamp: number; message: string }[]) {
  for (let i = 0; i < events.length; i += 5000)
    await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: events.slice(i, i + 5000) }));
}

/** Lines of plain `berth logs` output: `<ISO time> <container>/<task8> <message>`. */
function parse(stdout: string) {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [time, label, ...rest] = l.split(' ');
      return { t: Date.parse(time!), label: label!, message: rest.join(' ') };
    });
}

beforeAll(async () => {
  sb = await startSandbox();
  await seedService(sb);
  logs = new CloudWatchLogsClient(sb.cfg);
  for (const s of [TASK_A, TASK_B]) await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `api/api/${s}` }));
  t0 = Date.now() - 30 * 60_000; // events span 30 min ago .. ~6 min ago
  const mk = (offset: number, who: string) =>
    Array.from({ length: PER_STREAM }, (_, i) => ({
      timestamp: t0 + i * 200 + offset,
      message: i % 500 === 0 ? `ERROR ${who} request ${i} failed: connection refused` : `INFO ${who} GET /health 200 ${i}`,
    }));
  await put(`api/api/${TASK_A}`, mk(0, 'a'));
  await put(`api/api/${TASK_B}`, mk(100, 'b'));
});

afterAll(async () => {
  await sb?.stop();
});

describe('berth logs on the emulator', () => {
  it('--since: every event of both tasks, interleaved in time order, labelled per task', async () => {
    const r = await berth('logs', '--env', 'sandbox', '--since', '1h');
    expect(r.code).toBe(0);
    const lines = parse(r.stdout);
    expect(lines).toHaveLength(2 * PER_STREAM);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.t).toBeGreaterThanOrEqual(lines[i - 1]!.t);
    expect(lines.slice(0, 4).map((l) => l.label)).toEqual(['api/0f1e2d3c', 'api/9a8b7c6d', 'api/0f1e2d3c', 'api/9a8b7c6d']);
    expect(r.stderr).toContain(`14000 events from ${GROUP}`);
  });

  it('--since an ISO time cuts off older events', async () => {
    const since = new Date(t0 + 1000 * 200).toISOString(); // from event #1000 of stream a
    const r = await berth('logs', '--env', 'sandbox', '--since', since);
    expect(r.code).toBe(0);
    const lines = parse(r.stdout);
    expect(lines[0]!.t).toBe(t0 + 1000 * 200);
    expect(lines).toHaveLength(2 * (PER_STREAM - 1000));
  });

  it('--filter ERROR: only the matching lines', async () => {
    const r = await berth('logs', '--env', 'sandbox', '--since', '1h', '--filter', 'ERROR');
    expect(r.code).toBe(0);
    const lines = parse(r.stdout);
    expect(lines).toHaveLength(2 * (PER_STREAM / 500));
    expect(lines.every((l) => l.message.startsWith('ERROR'))).toBe(true);
  });

  it("--task: only that task's stream", async () => {
    const r = await berth(
      'logs',
      '--env',
      'sandbox',
      '--since',
      '1h',
      '--task',
      `arn:aws:ecs:us-east-1:123456789012:task/demo-sandbox/${TASK_B}`,
    );
    expect(r.code).toBe(0);
    const lines = parse(r.stdout);
    expect(lines).toHaveLength(PER_STREAM);
    expect(new Set(lines.map((l) => l.label))).toEqual(new Set(['api/9a8b7c6d']));
  });

  it('--json: one JSON array of events, nothing else on stdout', async () => {
    const r = await berth('logs', '--env', 'sandbox', '--since', '1h', '--filter', 'ERROR', '--json');
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.stdout) as { timestamp: string; stream: string; task: string; message: string }[];
    expect(arr).toHaveLength(28);
    expect(arr[0]).toMatchObject({ stream: `api/api/${TASK_A}`, task: TASK_A, message: 'ERROR a request 0 failed: connection refused' });
  });

  it('--follow: prints what arrives while following, each event once, then stops (--for)', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const running = berth('logs', '--env', 'sandbox', '--since', since, '--follow', '--for', '5s');
    const now = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    await put(`api/api/${TASK_A}`, [
      { timestamp: now, message: 'INFO a new 1' },
      { timestamp: now + 1, message: 'INFO a new 2' },
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    await put(`api/api/${TASK_B}`, [{ timestamp: now + 2, message: 'INFO b new 3' }]);
    const r = await running;
    expect(r.code).toBe(0);
    const lines = parse(r.stdout).map((l) => l.message);
    expect(lines).toEqual(['INFO a new 1', 'INFO a new 2', 'INFO b new 3']);
  });

  it('bad input exits 2 without reading anything', async () => {
    const error = (r: { stdout: string }) => (JSON.parse(r.stdout) as { error: Record<string, unknown> }).error;
    const bad = await berth('logs', '--env', 'sandbox', '--since', 'yesterday', '--json');
    expect(bad.code).toBe(2);
    expect(error(bad)).toMatchObject({ code: 'usage.flag-format', exitCode: 2 });
    expect(bad.stderr).toMatch(/--since/);
    const svc = await berth('logs', '--env', 'sandbox', '--service', 'web', '--json');
    expect(svc.code).toBe(2);
    expect(error(svc)).toMatchObject({ code: 'usage.unknown-name', details: { valid: ['api'] } });
    const task = await berth('logs', '--env', 'sandbox', '--task', 'not a task', '--json');
    expect(task.code).toBe(2);
    expect(error(task)).toMatchObject({ exitCode: 2 });
  });

  it('a missing log group is an error that says what to do', async () => {
    const { DeleteLogGroupCommand, CreateLogGroupCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    try {
      const r = await berth('logs', '--env', 'sandbox');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/log group \/ecs\/demo-sandbox\/api not found/);
    } finally {
      await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    }
  });
});
