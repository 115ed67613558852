/**
 * #10, the network-fault part of the bad-input matrix: every command that calls AWS, run as a real
 * process (`node bin/berth.js`, so that "it never exits" would show) against endpoints on 127.0.0.1
 * that never answer, reset, refuse, throttle forever, fail with 5xx, deny access or reject the
 * credentials. Each ends by itself within its stated bound (the process is killed only past it), with
 * its documented exit code and, under --json, one error document whose id names the failure; "cannot
 * reach AWS" (23/24, reached: false) is told apart from "AWS refused" (21/22/25/26, reached: true).
 * BERTH_AWS_TIMEOUT=1 keeps every case to a few seconds; the cases run in parallel.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsLimits } from '../../src/aws/limits.js';
import { berthCli, type Run } from '../sandbox/cli.js';
import { cannedServer, refusedEndpoint, resetServer, silentServer, type Fault } from './fault-servers.js';

const T = '1';
/** An environment on real AWS (not the sandbox): the SDK's own credential chain applies. */
const REAL_ENV = JSON.stringify({
  name: 'real',
  app: 'demo',
  region: 'us-east-1',
  domain: { name: 'example.com' },
  state: { backend: 's3', bucket: 'demo-tfstate-example' },
  services: [{ name: 'api', port: 8001 }],
});
const limits = awsLimits({ BERTH_AWS_TIMEOUT: T });
/** Far past every stated bound with T = 1 s (status 23 s, doctor 33 s): only a command that hangs is killed. */
const KILL_AFTER = 60_000;

const COMMANDS: Record<string, string[]> = {
  status: ['status', '--env', 'sandbox', '--json'],
  health: ['health', '--env', 'sandbox', '--json', '--timeout', '1s'],
  logs: ['logs', '--env', 'sandbox', '--json', '--since', '5m'],
  deploy: ['deploy', '--env', 'sandbox', '--tag', 'v2', '--json', '--timeout', '20s'],
  rollback: ['rollback', '--env', 'sandbox', '--yes', '--json', '--timeout', '20s'],
  scale: ['scale', '--env', 'sandbox', '--count', '3', '--json', '--timeout', '20s'],
  restart: ['restart', '--env', 'sandbox', '--json', '--timeout', '20s'],
  doctor: ['doctor', '--env', 'sandbox', '--json'],
};

interface World {
  fault: Fault;
  project: string;
}
const worlds = new Map<string, World>();

/** A project whose sandbox record points berth at the fault (the built-in sandbox environment, fake credentials). */
function projectFor(endpoint: string): string {
  const project = mkdtempSync(join(tmpdir(), 'berth-netfault-'));
  mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
  const port = Number(new URL(endpoint).port);
  writeFileSync(
    join(project, '.berth', 'sandbox', 'sandbox.json'),
    JSON.stringify({ endpoint, region: 'us-east-1', pid: process.pid, port, publicUrl: endpoint, startedAt: new Date().toISOString() }),
  );
  return project;
}

function env(project: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: project,
    BERTH_PROJECT_DIR: project,
    BERTH_AWS_TIMEOUT: T,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(project, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(project, 'no-aws-credentials'),
    ...extra,
  };
}

async function run(world: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  const w = worlds.get(world)!;
  return berthCli(args, env(w.project, extra), w.project, KILL_AFTER);
}

const FAULTS: Record<string, () => Promise<Fault>> = {
  silent: silentServer,
  reset: resetServer,
  refused: refusedEndpoint,
  throttled: () => cannedServer(400, 'ThrottlingException', 'Rate exceeded'),
  unavailable: () => cannedServer(503, 'ServiceUnavailableException', 'Service Unavailable'),
  denied: () =>
    cannedServer(
      400,
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/oncall/jo is not authorized to perform: ecs:DescribeServices on resource: ' +
        'arn:aws:ecs:us-east-1:123456789012:service/demo-sandbox/api because no identity-based policy allows the ' +
        'ecs:DescribeServices action',
    ),
  expired: () => cannedServer(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
  /** Throttles too, for counting the attempts of one command alone. */
  'throttled-alone': () => cannedServer(400, 'ThrottlingException', 'Rate exceeded'),
  /** A witness: no request may reach it. */
  witness: () => cannedServer(500, 'InternalFailure', 'should not be called'),
};

beforeAll(async () => {
  for (const [name, make] of Object.entries(FAULTS)) {
    const fault = await make();
    worlds.set(name, { fault, project: projectFor(fault.endpoint) });
  }
});

afterAll(async () => {
  for (const w of worlds.values()) {
    await w.fault.stop();
    rmSync(w.project, { recursive: true, force: true });
  }
});

function expectNamed(r: Run, id: string, code: number, reached: boolean) {
  expect({ code: r.code, stderr: r.stderr.slice(-400) }).toMatchObject({ code });
  const error = r.json?.error;
  expect(error).toMatchObject({ code: id, exitCode: code });
  if (error.details?.reached !== undefined) expect(error.details.reached).toBe(reached);
  expect(r.stderr).not.toMatch(/internal error|This is a bug/);
}

/** Cannot reach AWS: every command, three faults. */
const UNREACHED: [string, string, number][] = [
  ['silent', 'aws.timeout', 24],
  ['reset', 'aws.unreachable', 23],
  ['refused', 'aws.unreachable', 23],
];

describe.concurrent('network faults: every command ends by itself with its documented code (cannot reach AWS)', () => {
  for (const [cmd, args] of Object.entries(COMMANDS))
    it(`${cmd}: silent -> 24 aws.timeout, reset -> 23 aws.unreachable, refused -> 23 aws.unreachable`, async () => {
      const runs = await Promise.all(UNREACHED.map(([fault]) => run(fault, args)));
      UNREACHED.forEach(([, id, code], i) => expectNamed(runs[i]!, id, code, false));
    });
});

/** AWS answered and refused: the codes differ from "cannot reach". */
const REFUSED: [string, string, number][] = [
  ['throttled', 'aws.throttled', 25],
  ['unavailable', 'aws.service-error', 26],
  ['denied', 'aws.access-denied', 22],
  ['expired', 'aws.bad-credentials', 21],
];

describe.concurrent('AWS refused: named, told apart from unreachable', () => {
  for (const [fault, id, code] of REFUSED)
    it(`${fault}: status, deploy, doctor -> ${code} ${id}`, async () => {
      const cmds = ['status', 'deploy', 'doctor'];
      const runs = await Promise.all(cmds.map((cmd) => run(fault, COMMANDS[cmd]!)));
      for (const r of runs) expectNamed(r, id, code, true);
    });

  it('access denied names the action and the resource AWS named', async () => {
    const r = await run('denied', COMMANDS.status!);
    expect(r.json.error.details).toMatchObject({
      action: 'ecs:DescribeServices',
      resource: 'arn:aws:ecs:us-east-1:123456789012:service/demo-sandbox/api',
    });
    expect(r.stderr).toContain('ecs:DescribeServices');
  });

  it('throttled beyond the budget: each call was tried exactly maxAttempts times', async () => {
    const w = worlds.get('throttled-alone')!;
    const calls = (w.fault as Awaited<ReturnType<typeof cannedServer>>).calls;
    calls.clear();
    const r = await run('throttled-alone', ['status', '--env', 'sandbox', '--json']);
    expect(r.code).toBe(25);
    expect(r.json.error.message).toContain(`after ${limits.maxAttempts} attempts`);
    // status reads the services, the scaling range and the alarms at once: the services' call,
    // which fails the command, was tried exactly maxAttempts times; none of the others more often
    // (those still retrying when the command ended were stopped).
    expect(calls.get('AmazonEC2ContainerServiceV20141113.DescribeServices')).toBe(limits.maxAttempts);
    for (const [op, n] of calls) expect(n, op).toBeLessThanOrEqual(limits.maxAttempts);
  });
});

describe.concurrent('where AWS is, and how long to wait, are input: refused before any call', () => {
  it('no credentials anywhere: 20 aws.no-credentials, nothing sent', async () => {
    const w = worlds.get('witness')!;
    const before = w.fault.hits;
    const envFile = join(w.project, 'real.json');
    writeFileSync(envFile, REAL_ENV);
    const r = await run('witness', ['status', '--env', envFile, '--json'], { BERTH_AWS_ENDPOINT_URL: w.fault.endpoint });
    expectNamed(r, 'aws.no-credentials', 20, false);
    expect(w.fault.hits).toBe(before);
  });

  it('BERTH_AWS_ENDPOINT_URL that is not a URL: exit 2, usage.env-var', async () => {
    const w = worlds.get('silent')!;
    const envFile = join(w.project, 'real.json');
    writeFileSync(envFile, REAL_ENV);
    const r = await run('silent', ['status', '--env', envFile, '--json'], { BERTH_AWS_ENDPOINT_URL: 'localhost:4566' });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'usage.env-var', exitCode: 2 });
    expect(r.json.error.message).toContain('localhost:4566');
  });

  it('BERTH_AWS_TIMEOUT that is not a number of seconds: exit 2, nothing sent', async () => {
    const w = worlds.get('witness')!;
    const before = w.fault.hits;
    const r = await run('witness', ['status', '--env', 'sandbox', '--json'], { BERTH_AWS_TIMEOUT: '0' });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'usage.env-var' });
    expect(w.fault.hits).toBe(before);
  });
});
