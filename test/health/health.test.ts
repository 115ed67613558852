import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeHealth, targetLines } from '../../src/health/judge.js';
import { renderHealth } from '../../src/health/render.js';
import type { HealthReport } from '../../src/health/types.js';
import { healthUrl, httpCheck } from '../../src/http/check.js';
import { awsContext } from '../../src/aws/context.js';
import { parseEnvironment } from '../../src/config/load.js';
import { readFileSync } from 'node:fs';

const ok = { url: 'https://api.berth.test/health', ok: true, status: 200, latencyMs: 12 };
const healthy = (id: string) => ({ id, port: 8001, state: 'healthy' });

describe('health verdict', () => {
  it('healthy only with targets all healthy, a 2xx and a valid certificate', () => {
    expect(
      judgeHealth({
        service: 'api',
        found: true,
        targets: [healthy('10.0.10.5'), healthy('10.0.11.6')],
        http: ok,
        certificate: { source: 'acm', notAfter: '2026-01-01T00:00:00.000Z', daysLeft: 200 },
      }),
    ).toEqual({ healthy: true, problems: [], warnings: [] });
  });

  it('an unhealthy target is named with its reason code', () => {
    const j = judgeHealth({
      service: 'api',
      found: true,
      targets: [
        healthy('10.0.10.5'),
        { id: '10.0.11.6', port: 8001, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' },
      ],
      http: ok,
      healthPath: '/health',
    });
    expect(j.healthy).toBe(false);
    expect(j.problems[0]).toMatch(/^target 10\.0\.11\.6:8001 unhealthy \(Target\.Timeout: Request timed out\) — no answer in time/);
  });

  it('draining targets are ignored, but no live target at all is a problem', () => {
    expect(judgeHealth({ service: 'api', found: true, targets: [healthy('a'), { id: 'b', state: 'draining' }], http: ok }).healthy).toBe(
      true,
    );
    expect(judgeHealth({ service: 'api', found: true, targets: [], http: ok }).problems).toEqual([
      'no targets registered in the target group: no task is serving traffic',
    ]);
  });

  it('an HTTP error, an expired certificate, a pending certificate, a missing service', () => {
    expect(
      judgeHealth({ service: 'api', found: true, targets: null, http: { url: 'https://x/health', ok: false, status: 503 } }).problems,
    ).toEqual(['https://x/health: HTTP 503']);
    expect(
      judgeHealth({
        service: 'api',
        found: true,
        targets: null,
        http: { url: 'https://x/health', ok: false, error: 'ECONNREFUSED: connect ECONNREFUSED' },
      }).problems[0],
    ).toMatch(/ECONNREFUSED/);
    expect(
      judgeHealth({
        service: 'api',
        found: true,
        targets: null,
        http: ok,
        certificate: { source: 'tls', notAfter: '2025-01-01T00:00:00.000Z', daysLeft: -3 },
      }).problems[0],
    ).toMatch(/expired/);
    const soon = judgeHealth({
      service: 'api',
      found: true,
      targets: null,
      http: ok,
      certificate: { source: 'tls', notAfter: '2025-05-10T00:00:00.000Z', daysLeft: 9 },
    });
    expect(soon.healthy).toBe(true);
    expect(soon.warnings[0]).toMatch(/expires in 9 days/);
    expect(
      judgeHealth({
        service: 'api',
        found: true,
        targets: null,
        http: ok,
        certificate: { source: 'acm', notAfter: '', daysLeft: NaN, status: 'PENDING_VALIDATION' },
      }).problems[0],
    ).toMatch(/PENDING_VALIDATION — check the validation CNAME/);
    expect(judgeHealth({ service: 'web', found: false, targets: null, http: ok }).problems[0]).toMatch(/service web not found/);
  });

  it('renders targets with reason codes and the URL check', () => {
    const report: HealthReport = {
      environment: 'sandbox',
      healthy: false,
      services: [
        {
          service: 'api',
          healthy: false,
          problems: ['x'],
          warnings: [],
          targets: targetLines([
            {
              Target: { Id: '10.0.10.5', Port: 8001 },
              TargetHealth: {
                State: 'unhealthy',
                Reason: 'Target.ResponseCodeMismatch',
                Description: 'Health checks failed with these codes: [502]',
              },
            },
          ]),
          http: { url: 'https://api.berth.test/health', ok: false, status: 502, latencyMs: 8, requestUrl: 'http://127.0.0.1:9999/health' },
          certificate: { source: 'acm', notAfter: '2026-05-01T00:00:00.000Z', daysLeft: 365 },
        },
      ],
    };
    const text = renderHealth(report);
    expect(text).toContain('api: UNHEALTHY');
    expect(text).toMatch(
      /target 10\.0\.10\.5:8001\s+unhealthy\s+Target\.ResponseCodeMismatch — Health checks failed with these codes: \[502\]/,
    );
    expect(text).toContain('https://api.berth.test/health: HTTP 502 in 8 ms (via http://127.0.0.1:9999/health)');
    expect(text).toContain('certificate: 365 days left (until 2026-05-01T00:00:00.000Z, from ACM)');
  });
});

describe('HTTP check', () => {
  let server: Server;
  let base: string;
  const seen: { host?: string; path?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      if (req.url === '/health')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy","db":"ok"}');
      if (req.url === '/sick') return void res.writeHead(200).end('{"status": "unhealthy"}');
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
      res.writeHead(503).end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the public host name in the Host header in the sandbox and reports status and latency', async () => {
    const env = parseEnvironment(
      JSON.parse(readFileSync(new URL('../../templates/environments/sandbox.json', import.meta.url), 'utf8')),
      'sandbox.json',
      'sandbox',
    );
    const u = healthUrl(env, env.services[0]!, { publicUrlOverride: base });
    expect(u).toEqual({ publicUrl: 'https://api.berth.test/health', requestUrl: `${base}/health`, host: 'api.berth.test' });
    // AWS calls to an emulator: its public URL stand-in from BERTH_PUBLIC_URL; none known, no request at all.
    const onEmulator = { ...env, sandbox: false };
    expect(
      healthUrl(
        onEmulator,
        env.services[0]!,
        awsContext(onEmulator, { BERTH_AWS_ENDPOINT_URL: 'http://127.0.0.1:9', BERTH_PUBLIC_URL: base }),
      ),
    ).toEqual(u);
    expect(healthUrl(onEmulator, env.services[0]!, awsContext(onEmulator, { BERTH_AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }))).toMatchObject(
      {
        requestUrl: '',
        unavailable: expect.stringContaining('BERTH_PUBLIC_URL'),
      },
    );
    const r = await httpCheck(u);
    expect(r).toMatchObject({ url: 'https://api.berth.test/health', ok: true, status: 200 });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toEqual({ host: 'api.berth.test', path: '/health' });
  });

  it('a 2xx whose body says unhealthy, a 503, a timeout, a refused connection are all not ok', async () => {
    expect(await httpCheck({ publicUrl: 'p', requestUrl: `${base}/sick` })).toMatchObject({
      ok: false,
      status: 200,
      error: 'the body reports unhealthy',
    });
    expect(await httpCheck({ publicUrl: 'p', requestUrl: `${base}/nope` })).toMatchObject({ ok: false, status: 503 });
    expect((await httpCheck({ publicUrl: 'p', requestUrl: `${base}/slow` }, { timeoutMs: 200 })).error).toMatch(/no answer within 200 ms/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await httpCheck({ publicUrl: 'p', requestUrl: `http://127.0.0.1:${port}/health` })).error).toMatch(/ECONNREFUSED/);
  });
});
