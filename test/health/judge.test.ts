// The health judge on plain data: hand-written gathered services, no SDK, no HTTP server.
import { describe, expect, it } from 'vitest';
import { buildHealth, CERT_WARN_DAYS, judgeHealth } from '../../src/health/judge.js';
import type { GatheredService } from '../../src/health/types.js';

const ok = { url: 'https://api.example.com/health', ok: true, status: 200, latencyMs: 12 };

function svc(over: Partial<GatheredService> = {}): GatheredService {
  return { service: 'api', found: true, targets: [{ id: '10.0.1.5', port: 8080, state: 'healthy' }], http: ok, ...over };
}

describe('health judge (plain data)', () => {
  it('the report is healthy only when every service is; each service keeps its targets, HTTP result and certificate', () => {
    const cert = { source: 'tls' as const, notAfter: '2027-01-01T00:00:00.000Z', daysLeft: 300 };
    const r = buildHealth({
      environment: 'prod',
      services: [
        svc({ certificate: cert, requestUrl: 'http://127.0.0.1:9/health' }),
        svc({ service: 'web', http: { ...ok, ok: false, status: 503 } }),
      ],
    });
    expect(r.healthy).toBe(false);
    expect(r.services.map((s) => [s.service, s.healthy])).toEqual([
      ['api', true],
      ['web', false],
    ]);
    expect(r.services[0]).toMatchObject({
      certificate: cert,
      http: { status: 200, requestUrl: 'http://127.0.0.1:9/health' },
      problems: [],
      warnings: [],
    });
    expect(r.services[1]!.problems).toEqual(['https://api.example.com/health: HTTP 503']);
    expect(buildHealth({ environment: 'prod', services: [svc()] }).healthy).toBe(true);
  });

  it('a 2xx that the check refused names both the status and why', () => {
    expect(judgeHealth(svc({ http: { ...ok, ok: false, error: 'body says unhealthy' } })).problems).toEqual([
      'https://api.example.com/health: HTTP 200 (body says unhealthy)',
    ]);
    expect(judgeHealth(svc({ http: { url: ok.url, ok: false } })).problems).toEqual(['https://api.example.com/health: no answer']);
  });

  it('a certificate expiring within the warning window is a warning, not a problem; on the boundary it is fine', () => {
    const soon = judgeHealth(svc({ certificate: { source: 'acm', notAfter: 'x', daysLeft: CERT_WARN_DAYS - 1, status: 'ISSUED' } }));
    expect(soon).toMatchObject({ healthy: true, problems: [] });
    expect(soon.warnings).toHaveLength(1);
    expect(
      judgeHealth(svc({ certificate: { source: 'acm', notAfter: 'x', daysLeft: CERT_WARN_DAYS, status: 'ISSUED' } })).warnings,
    ).toEqual([]);
  });

  it('a missing service with no load balancer reports only that it is missing', () => {
    const j = judgeHealth(svc({ found: false, targets: null }));
    expect(j.healthy).toBe(false);
    expect(j.problems).toHaveLength(1);
    expect(j.problems[0]).toMatch(/^service api not found/);
  });

  it('every non-draining unhealthy target is one problem', () => {
    const targets = [
      { id: 'a', state: 'unhealthy', reason: 'Target.Timeout' },
      { id: 'b', state: 'initial', reason: 'Elb.InitialHealthChecking' },
      { id: 'c', state: 'draining' },
      { id: 'd', state: 'healthy' },
    ];
    expect(judgeHealth(svc({ targets })).problems).toHaveLength(2);
  });
});
