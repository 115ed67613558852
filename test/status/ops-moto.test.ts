/**
 * The operation commands against a real moto_server. Plain moto records services and task
 * definitions but never runs tasks, and a new revision never gets its own deployment: so here we
 * check what it can show — the revision berth registers, the UpdateService calls, status output,
 * usage errors that change nothing — and a restart, which moto does complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { READ_ONLY_FIELDS } from '../../src/rollout/taskdef.js';
import { berth, seedService, startSandbox, type MotoSandbox, type Seeded } from '../rollout/sandbox-helper.js';

let sb: MotoSandbox;
let seeded: Seeded;
let ecs: ECSClient;
/** The sandbox's stand-in for the public URL (the ALB): answers the health path. */
let publicSite: Server;
let healthAnswer = 200;
const hosts: string[] = [];

const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'demo-sandbox', services: ['api'] }))).services![0]!;
const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'demo-sandbox-api' }))).taskDefinitionArns!;
const td = async (rev: number) =>
  ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `demo-sandbox-api:${rev}`, include: ['TAGS'] }));

beforeAll(async () => {
  publicSite = createServer((req, res) => {
    hosts.push(String(req.headers.host));
    res.writeHead(req.url === '/health' ? healthAnswer : 404, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
  });
  await new Promise<void>((r) => publicSite.listen(0, '127.0.0.1', r));
  // Moto reports the service's deployment with 2 running tasks (it runs none); ACM issues at once.
  sb = await startSandbox({
    env: { MOTO_ECS_SERVICE_RUNNING: '2', MOTO_ACM_VALIDATION_WAIT: '0' },
    publicUrl: `http://127.0.0.1:${(publicSite.address() as AddressInfo).port}`,
  });
  seeded = await seedService(sb, { alarm: true });
  ecs = new ECSClient(sb.cfg);
  await new ACMClient(sb.cfg).send(new RequestCertificateCommand({ DomainName: 'api.berth.test', ValidationMethod: 'DNS' }));
});

afterAll(async () => {
  await sb?.stop();
  publicSite?.closeAllConnections();
  await new Promise((r) => publicSite?.close(r));
});

describe('operations on the emulator', () => {
  it('status --json: desired/running, deployments with revision and image, autoscaling range, alarms in ALARM', async () => {
    const r = await berth('status', '--env', 'sandbox', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ environment: 'sandbox', cluster: 'demo-sandbox' });
    expect(s.services).toHaveLength(1);
    expect(s.services[0]).toMatchObject({
      name: 'api',
      found: true,
      desired: 2,
      running: 2,
      autoscaling: { min: 1, max: 4 },
      targets: null,
    });
    expect(s.services[0].deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        revision: 1,
        image: `${seeded.repositoryUri}:v1`,
        rolloutState: 'COMPLETED',
        running: 2,
        desired: 2,
      }),
    ]);
    expect(s.alarms.map((a: { name: string }) => a.name)).toEqual(['demo-sandbox-api-cpu-high']);
  });

  it('status for people', async () => {
    const r = await berth('status', '--env', 'sandbox');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('api: 2/2 running  (autoscaling 1..4)');
    expect(r.stdout).toMatch(/PRIMARY\s+rev 1\s+COMPLETED/);
    expect(r.stdout).toContain('alarms in ALARM (1):');
  });

  it('status --watch: one block per change in plain mode, stops after --for; --watch --json is a usage error', async () => {
    const r = await berth('status', '--env', 'sandbox', '--watch', '--interval', '300ms', '--for', '1500ms');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^sandbox \(cluster demo-sandbox\)/gm)).toHaveLength(1);
    expect((await berth('status', '--env', 'sandbox', '--watch', '--json')).code).toBe(2);
  });

  it('health: the public health URL through the sandbox stand-in (real Host header), certificate days from ACM; exit 0, then 1 on a 503', async () => {
    const r = await berth('health', '--env', 'sandbox', '--json');
    const h = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(h.healthy).toBe(true);
    expect(h.services[0]).toMatchObject({
      service: 'api',
      healthy: true,
      targets: null,
      http: { url: 'https://api.berth.test/health', ok: true, status: 200 },
      certificate: { source: 'acm' },
    });
    expect(h.services[0].certificate.daysLeft).toBeGreaterThan(300);
    expect(hosts.at(-1)).toBe('api.berth.test');
    healthAnswer = 503;
    try {
      const bad = await berth('health', '--env', 'sandbox');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('api: UNHEALTHY');
      expect(bad.stdout).toContain('https://api.berth.test/health: HTTP 503');
    } finally {
      healthAnswer = 200;
    }
  });

  it('deploy with a bad --image, an unknown --service, a bad --timeout, or both --image and --tag: exit 2, nothing registered', async () => {
    const before = await revisions();
    const cases = [
      ['deploy', '--env', 'sandbox', '--image', 'Not An Image'],
      ['deploy', '--env', 'sandbox', '--image', `${seeded.repositoryUri}`],
      ['deploy', '--env', 'sandbox', '--service', 'web', '--tag', 'v2'],
      ['deploy', '--env', 'sandbox', '--tag', 'v2', '--timeout', 'soon'],
      ['deploy', '--env', 'sandbox', '--tag', 'v2', '--image', `${seeded.repositoryUri}:v2`],
      ['deploy', '--env', 'sandbox'],
      ['deploy', '--env', 'sandbox', '--tag', 'v9'], // not pushed
    ];
    for (const args of cases) {
      const r = await berth(...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const unknown = await berth('deploy', '--env', 'sandbox', '--service', 'web', '--tag', 'v2', '--json');
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'usage.unknown-name', exitCode: 2, details: { valid: ['api'] } });
    const missing = await berth('deploy', '--env', 'sandbox', '--tag', 'v9', '--json');
    expect(JSON.parse(missing.stdout).error.message).toMatch(/demo\/api:v9 is not in ECR: nothing was changed/);
    expect(await revisions()).toEqual(before);
    expect((await service()).taskDefinition).toMatch(/:1$/);
  });

  it('deploy --tag: registers a copy with only the image changed, updates the service, and (moto never rolls out) times out: exit 13 with --no-rollback', async () => {
    const r = await berth('deploy', '--env', 'sandbox', '--tag', 'v2', '--no-rollback', '--no-smoke', '--timeout', '3s', '--json');
    expect(r.code).toBe(13);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({
      command: 'deploy',
      verdict: 'timed-out',
      exitCode: 13,
      image: `${seeded.repositoryUri}:v2`,
      oldRevision: { revision: 1, image: `${seeded.repositoryUri}:v1` },
      newRevision: { revision: 2, image: `${seeded.repositoryUri}:v2` },
      rollback: null,
    });
    expect(res.reasons[0]).toMatch(/^not done after 3s; still waiting for: ECS to start the deployment of demo-sandbox-api:2/);
    expect(res.durations.verdictAfterSeconds).toBeGreaterThanOrEqual(3);
    // only the image changed between rev 1 and rev 2
    const strip = (d: Record<string, unknown>) => {
      const c = structuredClone(d);
      for (const f of READ_ONLY_FIELDS) delete c[f];
      return c;
    };
    const [one, two] = [await td(1), await td(2)];
    const expected = strip(one.taskDefinition as Record<string, unknown>);
    (expected.containerDefinitions as { image: string }[])[0]!.image = `${seeded.repositoryUri}:v2`;
    expect(strip(two.taskDefinition as Record<string, unknown>)).toEqual(expected);
    expect(two.tags).toEqual(expect.arrayContaining([{ key: 'app', value: 'demo' }, expect.objectContaining({ key: 'berth:failed-at' })]));
    // rev 1 ran settled before the deploy: berth marked it healthy
    expect(one.tags).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'berth:healthy-at' })]));
    expect((await service()).taskDefinition).toMatch(/demo-sandbox-api:2$/);
    expect(r.stderr).toMatch(/registered demo-sandbox-api:2/);
  });

  it('rollback without --yes and without a terminal, or --to a revision that does not exist: exit 2, nothing changed', async () => {
    const r = await berth('rollback', '--env', 'sandbox');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    const json = await berth('rollback', '--env', 'sandbox', '--json');
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'usage.not-confirmed', exitCode: 2 });
    const missing = await berth('rollback', '--env', 'sandbox', '--yes', '--to', '99');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/task definition demo-sandbox-api:99 not found/);
    expect((await service()).taskDefinition).toMatch(/:2$/);
  });

  it('rollback --yes picks the revision berth saw healthy (rev 1, not a failed one) and updates the service', async () => {
    const r = await berth('rollback', '--env', 'sandbox', '--yes', '--no-smoke', '--timeout', '2s', '--json');
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({
      command: 'rollback',
      oldRevision: { revision: 2 },
      newRevision: { revision: 1, image: `${seeded.repositoryUri}:v1` },
    });
    expect(res.reasons[0]).toMatch(/^target chosen: berth saw demo-sandbox-api:1 run healthy at .* \(berth-tag\)$/);
    // moto never rolls out a new revision: the rollback times out (13), but the service points at rev 1
    expect(r.code).toBe(13);
    expect((await service()).taskDefinition).toMatch(/demo-sandbox-api:1$/);
  });

  it('deploy with rollback: after the failed (timed-out) deploy berth moves the service back to the old revision', async () => {
    const r = await berth('deploy', '--env', 'sandbox', '--image', `${seeded.repositoryUri}:v2`, '--no-smoke', '--timeout', '2s', '--json');
    const res = JSON.parse(r.stdout);
    expect(res.rollback).toMatchObject({ by: 'berth', to: { revision: 1 } });
    // the rollback itself cannot complete on moto either: "failed, rollback failed"
    expect(r.code).toBe(11);
    expect(res.durations.rollbackSeconds).toBeGreaterThanOrEqual(2);
    expect((await service()).taskDefinition).toMatch(/demo-sandbox-api:1$/);
  });

  it('restart: a new deployment of the same revision, watched to success (exit 0)', async () => {
    const before = (await service()).deployments![0]!.id;
    const r = await berth('restart', '--env', 'sandbox', '--no-smoke', '--timeout', '20s', '--json');
    const res = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(res).toMatchObject({ command: 'restart', verdict: 'succeeded', ok: true, newRevision: { revision: 1 } });
    expect(res.deploymentId).not.toBe(before);
    expect(res.deploymentId).toBe((await service()).deployments![0]!.id);
  });

  it('scale: outside the autoscaling range is a usage error; --update-range moves the range and sets the count', async () => {
    const out = await berth('scale', '--env', 'sandbox', '--count', '6');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--count 6 is outside the autoscaling range 1\.\.4 of api/);
    expect((await service()).desiredCount).toBe(2);
    const r = await berth('scale', '--env', 'sandbox', '--count', '6', '--update-range', '--no-smoke', '--timeout', '2s', '--json');
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ command: 'scale', desiredCount: 6, range: { min: 1, max: 6, updated: true } });
    // moto updates the service's count but not its deployment's running count: the watch times out.
    expect(r.code).toBe(13);
    expect(res.reasons[0]).toMatch(/still waiting for: 2\/6 tasks running/);
    expect((await service()).desiredCount).toBe(6);
    const aas = new ApplicationAutoScalingClient(sb.cfg);
    const t = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: ['service/demo-sandbox/api'] }));
    expect(t.ScalableTargets![0]).toMatchObject({ MinCapacity: 1, MaxCapacity: 6 });
    const bad = await berth('scale', '--env', 'sandbox', '--count', 'many');
    expect(bad.code).toBe(2);
  });
});
