/**
 * Every new command refuses bad input with exit 2 and a JSON error document naming the flag,
 * before its first AWS call: the AWS endpoint here counts requests, and must see none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('run, revisions, db and deploy --run-first refuse bad input before calling AWS', () => {
  let server: Server;
  let requests = 0;
  let dir: string;
  let envFile: string;
  let awsEnv: Record<string, string>;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dir = mkdtempSync(join(tmpdir(), 'berth-bad-input-'));
    envFile = join(dir, 'prod.json');
    const env = {
      name: 'prod',
      app: 'shop',
      domain: { name: 'shop.example' },
      state: { bucket: 'tf-state' },
      services: [
        { name: 'api', port: 8080, cpu: 512, memory: 1024 },
        { name: 'web', port: 3000, pathPattern: '/web/*' },
      ],
    };
    writeFileSync(envFile, JSON.stringify(env));
    awsEnv = {
      BERTH_AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'us-east-1',
    };
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string[], RegExp, string | undefined][] = [
    ['run: cpu not on the Fargate table', ['run', '--service', 'api', '--cpu', '300', '--', 'echo', 'hi'], /--cpu 300/, 'usage.flag-range'],
    [
      'run: cpu/memory pair',
      ['run', '--service', 'api', '--cpu', '256', '--memory', '4096', '--', 'echo', 'hi'],
      /--memory 4096 does not go with --cpu 256/,
      'usage.flag-combination',
    ],
    [
      'run: memory against the task size',
      ['run', '--service', 'api', '--memory', '512', '--', 'echo'],
      /does not go with the task definition's cpu 512/,
      'usage.flag-combination',
    ],
    ['run: no command', ['run', '--service', 'api'], /needs a command after `--`/, 'usage.missing-argument'],
    [
      'run: --image and --tag',
      ['run', '--service', 'api', '--image', 'x/y:1', '--tag', '1', '--', 'echo'],
      /--image and --tag do not combine/,
      'usage.flag-combination',
    ],
    ['run: image without a tag', ['run', '--service', 'api', '--image', 'x/y', '--', 'echo'], /has no tag/, undefined],
    ['run: bad timeout', ['run', '--service', 'api', '--timeout', 'soon', '--', 'echo'], /--timeout/, undefined],
    ['run: unknown service', ['run', '--service', 'nope', '--', 'echo'], /--service nope/, undefined],
    ['run: service required', ['run', '--', 'echo'], /--service is required/, undefined],
    ['revisions: keep 0', ['revisions', '--service', 'api', '--keep', '0'], /--keep "0"/, 'usage.flag-range'],
    ['revisions: keep-days', ['revisions', '--service', 'api', '--keep-days', 'a week'], /--keep-days/, 'usage.flag-range'],
    ['revisions: --delete alone', ['revisions', '--service', 'api', '--delete'], /--delete goes with --prune/, 'usage.flag-combination'],
    ['db snapshot: name', ['db', 'snapshot', '--name', 'a--b'], /--name "a--b"/, 'usage.flag-format'],
    ['db snapshot: timeout', ['db', 'snapshot', '--timeout', '-1m'], /--timeout/, undefined],
    ['db snapshots: --include-unmanaged alone', ['db', 'snapshots', '--include-unmanaged'], /goes with --prune/, 'usage.flag-combination'],
    ['db restore: no source', ['db', 'restore'], /exactly one of --snapshot/, 'usage.missing-option'],
    ['db restore: two sources', ['db', 'restore', '--snapshot', 's1', '--latest'], /exactly one of/, 'usage.flag-combination'],
    ['db restore: time in the future', ['db', 'restore', '--to-time', '2999-01-01T00:00:00Z'], /in the future/, 'usage.flag-range'],
    ['db restore: time without zone', ['db', 'restore', '--to-time', '2026-01-01 10:00'], /ISO 8601/, 'usage.flag-format'],
    ['db restore: bad name', ['db', 'restore', '--latest', '--name', '9lives'], /--name "9lives"/, 'usage.flag-format'],
    ['db restore: unknown service', ['db', 'restore', '--latest', '--service', 'nope'], /--service nope/, undefined],
    [
      'db copy-snapshot: same region',
      ['db', 'copy-snapshot', '--snapshot', 's1', '--to-region', 'us-east-1'],
      /own region/,
      'usage.flag-combination',
    ],
    [
      'db copy-snapshot: key of another region',
      [
        'db',
        'copy-snapshot',
        '--snapshot',
        's1',
        '--to-region',
        'eu-west-1',
        '--kms-key',
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ],
      /is a key of us-east-1/,
      'usage.flag-combination',
    ],
    [
      'db copy-snapshot: bad snapshot id',
      ['db', 'copy-snapshot', '--snapshot', 'my snap', '--to-region', 'eu-west-1'],
      /--snapshot "my snap"/,
      'usage.flag-format',
    ],
    ['deploy: empty --run-first', ['deploy', '--service', 'api', '--tag', 'v2', '--run-first', ' '], /--run-first/, 'usage.flag-format'],
    [
      'deploy: bad --run-first-timeout',
      ['deploy', '--service', 'api', '--tag', 'v2', '--run-first', 'x', '--run-first-timeout', 'never'],
      /--run-first-timeout/,
      undefined,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message, id) => {
    const before = requests;
    const cut = args.includes('--') ? args.indexOf('--') : args.length;
    const r = await runCli([...args.slice(0, cut), '--env', envFile, '--json', ...args.slice(cut)], { project: dir, env: awsEnv });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { exitCode: 2, code: expect.stringMatching(/^(usage|config)\./) } });
    if (id) expect(doc.error.code).toBe(id);
    expect(requests - before).toBe(0);
  });
});
