import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironment, ConfigError } from '../../src/config/load.js';
import { environmentSpec } from '../../src/config/schema.js';
import { docRows } from '../../src/config/spec.js';
import { subnetPlan, isNetworkAddress } from '../../src/config/network.js';
import { names, serviceNames, stackOrder, STACK_DEPENDENCIES, STACK_KINDS, publicHealthPath } from '../../src/config/names.js';

const read = (n: string) => JSON.parse(readFileSync(new URL(`../../templates/environments/${n}.json`, import.meta.url), 'utf8'));

describe('environment schema', () => {
  it('fills production-safe defaults for everything left out', () => {
    const env = parseEnvironment(
      {
        name: 'prod',
        app: 'shop',
        domain: { name: 'shop.example' },
        state: { bucket: 'tf-state' },
        services: [{ name: 'api', port: 8080 }],
      },
      'x.json',
    );
    expect(env.protected).toBe(true);
    expect(env.sandbox).toBe(false);
    expect(env.network).toEqual({ cidr: '10.0.0.0/16', azCount: 2, nat: 'per-az', flowLogRetentionDays: 30 });
    expect(env.database.deletionProtection).toBe(true);
    expect(env.database.version).toBe('16.6');
    expect(env.cache.transitEncryption && env.cache.authToken).toBe(true);
    expect(env.state.backend).toBe('s3');
    const svc = env.services[0]!;
    expect(svc.repository).toBe('shop/api');
    expect(svc.cpuArchitecture).toBe('X86_64');
    expect([svc.minCount, svc.desiredCount, svc.maxCount]).toEqual([2, 2, 4]);
    expect(svc.healthCheck).toEqual({
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      gracePeriodSeconds: 60,
    });
  });

  it('mysql gets its own default version', () => {
    const env = parseEnvironment(
      {
        name: 'pp',
        app: 'shop',
        domain: { name: 'a.io' },
        database: { engine: 'mysql' },
        state: { bucket: 'b-b' },
        services: [{ name: 'api', port: 1 }],
      },
      'x',
    );
    expect(env.database.version).toMatch(/mysql_aurora/);
  });

  it('every example environment validates', () => {
    for (const n of ['platform', 'two-service', 'sandbox']) expect(() => parseEnvironment(read(n), `${n}.json`, n)).not.toThrow();
  });

  it('collects every problem rather than stopping at the first', () => {
    try {
      parseEnvironment({ name: 'X', app: 1, services: 'no' }, 'bad.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const paths = (e as ConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['app', 'domain.name', 'name', 'services', 'state.bucket']);
      expect((e as ConfigError).exitCode).toBe(2);
    }
  });

  it('local state is refused outside the sandbox', () => {
    expect(() => parseEnvironment({ ...read('platform'), state: { backend: 'local' } }, 'p.json')).toThrow(
      /local state is for sandbox environments only/,
    );
  });

  it('documents every field, with a default or marked required', () => {
    const rows = docRows(environmentSpec);
    expect(rows.length).toBeGreaterThan(60);
    for (const r of rows) expect(r.doc.length).toBeGreaterThan(3);
    expect(rows.find((r) => r.path === 'services[].healthPath')?.default).toBe('"/health"');
    expect(rows.find((r) => r.path === 'app')?.default).toBe('(required)');
  });
});

describe('network plan and names', () => {
  it('lays subnets out as the runbooks do', () => {
    const plan = subnetPlan('10.0.0.0/16', 2);
    expect(plan.map((p) => `${p.tier}:${p.cidr}`)).toEqual([
      'public:10.0.1.0/24',
      'public:10.0.2.0/24',
      'private:10.0.10.0/24',
      'private:10.0.11.0/24',
      'database:10.0.20.0/24',
      'database:10.0.21.0/24',
    ]);
    expect(isNetworkAddress('10.0.0.0/16')).toBe(true);
    expect(isNetworkAddress('10.0.1.0/16')).toBe(false);
  });

  it('orders stacks after their dependencies', () => {
    const order = stackOrder();
    expect(order).toHaveLength(STACK_KINDS.length);
    for (const k of STACK_KINDS) for (const d of STACK_DEPENDENCIES[k]) expect(order.indexOf(d)).toBeLessThan(order.indexOf(k));
  });

  it('derives resource names within AWS limits', () => {
    const env = parseEnvironment({ ...read('two-service'), app: 'averyverylongapp', name: 'two-service' }, 'x', 'two-service');
    for (const s of env.services) expect(serviceNames(env, s).targetGroup.length).toBeLessThanOrEqual(32);
    // 20 + 1 + 11 characters of prefix: both services' target groups are cut to the same 32 characters.
    expect(() =>
      parseEnvironment({ ...read('two-service'), app: 'averyveryverylongapp', name: 'two-service' }, 'x', 'two-service'),
    ).toThrow(
      /services\[1\]\.name: found "api"; expected a name whose target group name differs from services\[0\]\.name's: both become "averyveryverylongapp-two-service"/,
    );
    expect(names(env).alb.length).toBeLessThanOrEqual(32);
    expect(names(env).fqdn).toBe('app.example.org');
  });

  it('finds the public health path under the service path pattern', () => {
    const svc = (p: string, h: string) => ({ pathPattern: p, healthPath: h }) as never;
    expect(publicHealthPath(svc('/*', '/health'))).toBe('/health');
    expect(publicHealthPath(svc('/api/*', '/api/v1/health'))).toBe('/api/v1/health');
    expect(publicHealthPath(svc('/api/*', '/health'))).toBe('/api/health');
  });
});
