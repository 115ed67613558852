import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/doctor/catalog.js';
import { Source } from '../../src/doctor/gather/source.js';
import { parseSelection, runDoctor } from '../../src/doctor/run.js';
import { GROUP_NAMES } from '../../src/doctor/types.js';
import { UsageError } from '../../src/output/errors.js';
import { runCli } from '../helpers/cli.js';
import { platformEnv } from './fixtures/world.js';

describe('doctor selection', () => {
  it('groups, check ids, and the usage error listing the valid groups', () => {
    expect(parseSelection([]).groups).toEqual([...GROUP_NAMES]);
    expect(parseSelection(['redis', 'network'])).toEqual({ groups: ['network', 'redis'], checks: [] });
    expect(parseSelection(['certificate.expiry'])).toEqual({ groups: ['certificate'], checks: ['certificate.expiry'] });
    expect(() => parseSelection(['network', 'dns'])).toThrow(UsageError);
    expect(() => parseSelection(['dns'])).toThrow(
      /valid groups: network, security-groups, task-start, health, database, redis, certificate, iam/,
    );
  });

  it('every check id belongs to a group and is unique', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) expect(GROUP_NAMES).toContain(c.group);
  });
});

describe('doctor CLI without an account', () => {
  it('--list prints every check id; no --env is a usage error; an unknown group exits 2 before reading the environment', async () => {
    const l = await runCli(['doctor', '--list']);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('network.private-route');
    expect(l.stdout).toContain('certificate.delegation');
    expect((await runCli(['doctor'])).code).toBe(2);
    const bad = await runCli(['doctor', '--env', 'no-such-env', 'bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown check group bogus');
  });
});

describe('doctor when the account cannot be read', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    // Every AWS call is refused: the doctor must fail each group with the reason, not crash or pass.
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('each group FAILs with `<group>.gather`; the run exits with the named failure (22 aws.access-denied)', async () => {
    const env = platformEnv();
    const r = await runDoctor({
      env,
      ctx: { region: env.region, endpoint, credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }, sandbox: false },
      select: ['network', 'redis', 'iam'],
    });
    expect(r.exitCode).toBe(22);
    expect(r.error).toMatchObject({ code: 'aws.access-denied', exitCode: 22 });
    expect(r.ok).toBe(false);
    for (const g of ['network', 'redis', 'iam']) {
      const f = r.findings.find((x) => x.check === `${g}.gather`);
      expect(f?.status, g).toBe('FAIL');
      expect(f?.fix?.note).toContain('aws sts get-caller-identity');
    }
    expect(r.groups.every((g) => g.error)).toBe(true);
  });
});

describe('doctor gatherers without AWS calls', () => {
  const env = platformEnv();
  const zone = {
    id: 'Z1',
    name: 'example.com.',
    nameServers: ['ns-1.awsdns-01.org'],
    records: [{ Name: 'example.com.', Type: 'NS' as const, ResourceRecords: [{ Value: 'ns-9.registrar.example.' }] }],
  };

  it('a real account asks public DNS for the delegation (node:dns, or the injected resolver)', async () => {
    const asked: string[] = [];
    const src = new Source({
      ctx: { region: env.region, sandbox: false },
      env,
      services: env.services,
      resolveNs: async (d) => (asked.push(d), ['ns-1.awsdns-01.org']),
    });
    expect(await src.delegation(zone)).toEqual({ source: 'dns', nameServers: ['ns-1.awsdns-01.org'] });
    expect(asked).toEqual(['example.com']);
    const failing = new Source({
      ctx: { region: env.region, sandbox: false },
      env,
      services: env.services,
      resolveNs: async () => Promise.reject(Object.assign(new Error('queryNs ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    expect(await failing.delegation(zone)).toEqual({ source: 'dns', nameServers: [], error: 'ENOTFOUND' });
  });

  it("an emulator stands the zone's own NS record set in for public DNS", async () => {
    const src = new Source({ ctx: { region: env.region, endpoint: 'http://127.0.0.1:1', sandbox: true }, env, services: env.services });
    expect(await src.delegation(zone)).toEqual({ source: 'zone-ns-record', nameServers: ['ns-9.registrar.example.'] });
  });

  it('the health probe: the public URL for a real account, the local stand-in in the sandbox, skipped on a bare emulator', async () => {
    const urls: string[] = [];
    const fake = (async (u: string) => (
      urls.push(u),
      new Response('{"status":"healthy","password":"hunter2hunter2"}', { status: 200 })
    )) as unknown as typeof fetch;
    const real = new Source({ ctx: { region: env.region, sandbox: false }, env, services: env.services, fetch: fake });
    const p = await real.probe(env.services[0]!);
    expect(p).toMatchObject({ url: 'https://api.example.com/health', status: 200 });
    expect(p.body).not.toContain('hunter2hunter2');
    const sandbox = new Source({
      ctx: { region: env.region, endpoint: 'http://127.0.0.1:1', sandbox: true, publicUrlOverride: 'http://127.0.0.1:9/' },
      env,
      services: env.services,
      fetch: fake,
    });
    expect((await sandbox.probe(env.services[0]!)).url).toBe('http://127.0.0.1:9/health');
    const bare = new Source({
      ctx: { region: env.region, endpoint: 'http://127.0.0.1:1', sandbox: false },
      env,
      services: env.services,
      fetch: fake,
    });
    expect((await bare.probe(env.services[0]!)).skipped).toMatch(/emulator/);
    expect(urls).toEqual(['https://api.example.com/health', 'http://127.0.0.1:9/health']);
  });
});
