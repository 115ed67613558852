/**
 * `berth logs --insights` against the emulator (moto + berth's Logs Insights engine): the built-in
 * queries over a log group with two task streams, application lines, access lines and JSON query
 * logs, read through main() as a person or a script would. The numbers are counted from the events
 * put here, so the engine's answers are checked, not echoed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { berth, seedService, startSandbox, type MotoSandbox } from '../rollout/sandbox-helper.js';
import { BUILT_IN_QUERIES } from '../../src/insights/catalog.js';

const GROUP = '/ecs/demo-sandbox/api';
const GOOD = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const BAD = '9a8b7c6d5e4f30211203f4e5d6c7b8a9';
let sb: MotoSandbox;

const app = (level: string, msg: string) => `2026-11-26T10:00:00Z ${level.padEnd(5)} ${msg}`;
const access = (status: number) =>
  `10.0.1.10 - - [26/Nov/2026:10:00:00 +0000] "GET /health HTTP/1.1" ${status} 17 "-" "ELB-HealthChecker/2.0"`;

beforeAll(async () => {
  // berth's extended moto (its Logs Insights engine), the ECS scheduler off: only the events put here.
  sb = await startSandbox({ plain: false, env: { ...process.env, BERTH_SANDBOX_ECS_SIM: '0' } });
  await seedService(sb);
  const logs = new CloudWatchLogsClient(sb.cfg);
  const t0 = Date.now() - 20 * 60_000;
  const good = [
    app('INFO', 'Starting api'),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((t) => JSON.stringify({ query: 'q', processing_time: t })),
    access(200),
    access(200),
    access(500),
    app('ERROR', 'redis command timed out after 2.0s; retrying'),
  ];
  const bad = [
    app('INFO', 'Starting api'),
    app('ERROR', 'fatal error during start-up'),
    'Traceback (most recent call last):',
    app('ERROR', 'fatal error during start-up'),
  ];
  for (const [task, lines] of [
    [GOOD, good],
    [BAD, bad],
  ] as const) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `api/api/${task}` }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: `api/api/${task}`,
        logEvents: lines.map((message, i) => ({ timestamp: t0 + i * 1000, message })),
      }),
    );
  }
});
afterAll(async () => {
  await sb?.stop();
});

const rows = async (...args: string[]) => {
  const r = await berth('logs', '--env', 'sandbox', '--since', '1h', '--json', '--insights', ...args);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return JSON.parse(r.stdout).rows as Record<string, string>[];
};

describe('berth logs --insights on the emulator', () => {
  it('error-rate: per task, ERROR lines over all lines, worst first', async () => {
    const r = await rows('error-rate');
    expect(r).toEqual([
      { '@logStream': `api/api/${BAD}`, lines: '4', errors: '2', error_rate_pct: '50' },
      { '@logStream': `api/api/${GOOD}`, lines: '13', errors: '1', error_rate_pct: '7.6923' },
    ]);
  });

  it('processing-time: average and p95 of the JSON field; top-errors and status-codes by count', async () => {
    expect(await rows('processing-time')).toEqual([{ avg_time: '4.5', p95_time: '8', queries: '8' }]);
    const top = await rows('top-errors');
    expect(top.map((x) => [x.error, x.occurrences])).toEqual([
      ['fatal error during start-up', '2'],
      ['redis command timed out after 2.0s; retrying', '1'],
    ]);
    expect(top[0]!.last_seen).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(await rows('status-codes')).toEqual([
      { status: '200', requests: '2' },
      { status: '500', requests: '1' },
    ]);
  });

  it("a query of the user's own, and the human table", async () => {
    expect(await rows('filter @message like /Traceback|timed out/ | stats count(*) as n by @logStream | sort n desc')).toEqual([
      { '@logStream': `api/api/${GOOD}`, n: '1' },
      { '@logStream': `api/api/${BAD}`, n: '1' },
    ]);
    const human = await berth('logs', '--env', 'sandbox', '--since', '1h', '--insights', 'error-rate');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/@logStream\s+lines\s+errors\s+error_rate_pct/);
    expect(human.stdout).toContain('2 rows');
  });

  it("list; bad input before any AWS call (unknown name, flags that do not combine); a malformed query: exit 2, AWS's reason", async () => {
    const list = await berth('logs', '--env', 'sandbox', '--insights', 'list', '--json');
    expect(JSON.parse(list.stdout).queries.map((q: { name: string }) => q.name)).toEqual(BUILT_IN_QUERIES.map((q) => q.name));
    const unknown = await berth('logs', '--env', 'sandbox', '--insights', 'error-rates', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.message).toContain('error-rate, processing-time');
    expect((await berth('logs', '--env', 'sandbox', '--insights', 'error-rate', '--follow')).code).toBe(2);
    const malformed = await berth('logs', '--env', 'sandbox', '--since', '1h', '--insights', 'stats avg(', '--json');
    expect(malformed.code).toBe(2);
    expect(JSON.parse(malformed.stdout).error.details.code).toBe('MalformedQueryException');
  });
});
