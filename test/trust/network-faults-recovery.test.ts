/**
 * #10, the network-fault part: AWS throttles (400 ThrottlingException, 503) for a while and then
 * recovers. A fault-injecting proxy on 127.0.0.1 sits in front of the scripted ECS/ELB endpoint the
 * deploy tests replay (test/rollout/scripted-aws.ts): the deploy backs off, goes through, and reports
 * success with exit 0; status read through the same kind of window answers normally.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../rollout/load-fixture.js';
import { berth } from '../rollout/sandbox-helper.js';
import { REPO, ScriptedAws, TD } from '../rollout/scripted-aws.js';
import { throttlingProxy, type ThrottleProxy } from './fault-servers.js';

let project: string;
let aws: ScriptedAws | undefined;
let proxy: ThrottleProxy | undefined;
const saved = { project: process.env.BERTH_PROJECT_DIR, timeout: process.env.BERTH_AWS_TIMEOUT };

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'berth-throttle-'));
  process.env.BERTH_PROJECT_DIR = project;
  process.env.BERTH_AWS_TIMEOUT = '2';
});
afterEach(async () => {
  await proxy?.stop();
  await aws?.stop();
  proxy = aws = undefined;
  for (const [k, v] of [
    ['BERTH_PROJECT_DIR', saved.project],
    ['BERTH_AWS_TIMEOUT', saved.timeout],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(project, { recursive: true, force: true });
});

/** The scripted endpoint behind a proxy that faults the requests in `windows`; the public URL (smoke check) is direct. */
async function behindProxy(windows: { from: number; count: number }[]) {
  aws = await new ScriptedAws({ fixture: loadFixture('clean-rollout') }).start();
  proxy = await throttlingProxy(aws.endpoint, windows);
  mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
  const rec = {
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    pid: process.pid,
    port: 0,
    publicUrl: aws.endpoint,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(project, '.berth', 'sandbox', 'sandbox.json'), JSON.stringify(rec));
  return { aws, proxy };
}

describe('throttling for a while, then recovery', () => {
  it('deploy through two throttling periods (400 ThrottlingException and 503) completes and reports success, exit 0', async () => {
    // The first three requests (before anything changes) and three in the middle of the watch.
    const { aws: a, proxy: p } = await behindProxy([
      { from: 0, count: 3 },
      { from: 9, count: 3 },
    ]);
    const r = await berth('deploy', '--env', 'sandbox', '--image', `${REPO}:v2`, '--poll-interval', '50ms', '--json');
    const res = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(res).toMatchObject({ ok: true, verdict: 'succeeded', newRevision: { revision: 7 } });
    expect(p.faulted).toBe(6);
    expect(a.ops('ecs', 'UpdateService').map((c) => c.input.taskDefinition)).toEqual([TD(7)]);
  });

  it('status through a throttling period answers as if nothing happened, exit 0', async () => {
    const { proxy: p } = await behindProxy([{ from: 0, count: 3 }]);
    const r = await berth('status', '--env', 'sandbox', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services[0]).toMatchObject({ name: 'api', found: true });
    expect(p.faulted).toBe(3);
  });
});
