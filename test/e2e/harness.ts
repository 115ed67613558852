/**
 * What an end-to-end test imports to use THE sandbox of the test run (one per run, brought up by
 * test/e2e/global-setup.ts, shared by every module of the e2e lane, test/e2e/lane.test.ts, run one at a time).
 *
 *   import { sandbox } from './harness.js';
 *   let sb: Sandbox;
 *   beforeAll(async () => { sb = await sandbox(); });
 *   it('...', async () => {
 *     const r = await sb.berth('status', '--env', 'sandbox', '--json');   // spawned CLI, exit code + output
 *     const s = await sb.aws('ecs', 'list-services', '--cluster', sb.cluster); // AWS CLI v1, JSON parsed
 *     const ecs = await sb.client('ecs');                                   // SDK v3 client for the emulator
 *   });
 *
 * `sandbox()` waits for `berth sandbox up` to finish (up to 12 minutes) and fails, with up's own
 * error (a missing terraform or moto_server, a stack that did not apply), if it did not succeed.
 * It sets BERTH_PROJECT_DIR in the test's process, so in-process calls (`main()`, src/ functions,
 * `environmentContext(env)`) talk to the same sandbox. Tests that change the service (deploys) should leave
 * it running its desired count, healthy (deploy a good tag last) for the files after them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { AwsContext } from '../../src/aws/context.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { SandboxRecord } from '../../src/sandbox/state.js';
import type { UpResult } from '../../src/sandbox/lifecycle.js';
import { runProcess, type ProcessResult } from '../sandbox/cli.js';
import { E2E_DIR, type E2EProvided } from './paths.js';

/** A spawned command's exit code and output; `json` is stdout parsed, when it is JSON. */
export type RunResult = ProcessResult;

export interface Sandbox {
  /** The temporary project folder (BERTH_PROJECT_DIR). */
  project: string;
  endpoint: string;
  region: string;
  /** The local stand-in for the public URL (the ALB). */
  publicUrl: string;
  record: SandboxRecord;
  /** What `berth sandbox up --json` printed. */
  up: UpResult;
  /** The sandbox environment, loaded (names(env), serviceNames(env, svc) give every resource name). */
  env: EnvironmentConfig;
  cluster: string;
  ctx: AwsContext;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Run berth (spawned: node bin/berth.js) in the sandbox's project. */
  berth(...args: string[]): Promise<RunResult>;
  /** Run the AWS CLI against the emulator (`--output json`, parsed). */
  aws(...args: string[]): Promise<RunResult>;
  /** An AWS SDK v3 client for the emulator (src/aws/clients.ts). */
  client<K extends keyof typeof import('../../src/aws/clients.js')>(kind: K): ReturnType<(typeof import('../../src/aws/clients.js'))[K]>;
}

const UP_LIMIT_MS = 12 * 60_000;
let cached: Promise<Sandbox> | undefined;

function provided(): E2EProvided {
  const p = inject('berthE2E');
  if (!p)
    throw new Error(
      'test/e2e/harness.ts: no sandbox was provided. e2e tests run in the `e2e` vitest project (vitest.config.ts), whose globalSetup brings it up.',
    );
  return p;
}

async function waitForUp(p: E2EProvided): Promise<UpResult> {
  const dir = join(p.project, E2E_DIR);
  const deadline = Date.now() + UP_LIMIT_MS;
  while (!existsSync(join(dir, 'up.exit'))) {
    if (Date.now() > deadline)
      throw new Error(`berth sandbox up did not finish within ${UP_LIMIT_MS / 60_000} minutes (see ${join(dir, 'up.err')})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const code = Number(readFileSync(join(dir, 'up.exit'), 'utf8').trim());
  const err = existsSync(join(dir, 'up.err')) ? readFileSync(join(dir, 'up.err'), 'utf8') : '';
  if (code !== 0) {
    const lines = err.split('\n').filter((l) => /error|hint|not found|FAIL/i.test(l));
    throw new Error(
      `berth sandbox up failed (exit ${code}), so no e2e test can run:\n${(lines.length ? lines : err.split('\n').slice(-20)).join('\n')}`,
    );
  }
  const out = existsSync(join(dir, 'up.json')) ? readFileSync(join(dir, 'up.json'), 'utf8') : '';
  try {
    return JSON.parse(out) as UpResult;
  } catch {
    throw new Error(`berth sandbox up --json printed no JSON document:\n${out.slice(0, 2000)}`);
  }
}

export function sandbox(): Promise<Sandbox> {
  cached ??= (async () => {
    const p = provided();
    const up = await waitForUp(p);
    process.env.BERTH_PROJECT_DIR = p.project;
    const { readSandboxRecord, FAKE_CREDENTIALS } = await import('../../src/sandbox/state.js');
    const record = readSandboxRecord(p.project);
    if (!record) throw new Error(`no sandbox record in ${p.project}/.berth/sandbox after berth sandbox up`);
    const { loadEnvironment } = await import('../../src/config/load.js');
    const { names } = await import('../../src/config/names.js');
    const { environmentContext } = await import('../../src/sandbox/context.js');
    const clients = await import('../../src/aws/clients.js');
    const env = loadEnvironment('sandbox');
    const ctx = environmentContext(env);
    const credentials = { ...FAKE_CREDENTIALS };
    const cliEnv: NodeJS.ProcessEnv = { ...process.env, BERTH_PROJECT_DIR: p.project, NO_COLOR: '1', FORCE_COLOR: '0' };
    const awsEnv: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: record.region,
      AWS_REGION: record.region,
      AWS_PAGER: '',
    };
    delete awsEnv.AWS_PROFILE;
    delete awsEnv.AWS_SESSION_TOKEN;
    return {
      project: p.project,
      endpoint: record.endpoint,
      region: record.region,
      publicUrl: record.publicUrl ?? '',
      record,
      up,
      env,
      cluster: names(env).cluster,
      ctx,
      credentials,
      berth: (...args: string[]) => runProcess(process.execPath, [p.bin, ...args], cliEnv, p.project, 10 * 60_000),
      aws: (...args: string[]) =>
        runProcess('aws', ['--endpoint-url', record.endpoint, '--output', 'json', ...args], awsEnv, p.project, 120_000),
      client: ((kind: keyof typeof clients) => (clients[kind] as (c: AwsContext) => unknown)(ctx)) as Sandbox['client'],
    };
  })();
  return cached;
}
