/**
 * services[].deployment: defaults, ECS's documented limits (canaryPercent 0.1-100 in tenths,
 * stepPercent 3-100 in tenths, bake times 0-1440 whole minutes, alarm names 1-255 characters without
 * control characters), the test path's route, the derived names (alternate target group, ECS
 * infrastructure role), and the ECS request fields and traffic steps berth derives from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnvironment } from '../../src/config/load.js';
import { names, serviceNames } from '../../src/config/names.js';
import { ecsDeploymentFields } from '../../src/config/deployment-ecs.js';
import { isTenth, trafficSteps } from '../../src/config/deployment-rules.js';
import { pathPatternMatches, productionPriority, routedService, TEST_HEADER, testPriority } from '../../src/config/routes.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (n: string) => JSON.parse(readFileSync(new URL(`../../templates/environments/${n}.json`, import.meta.url), 'utf8'));

/** two-service with `deployment` set on services[i]. */
function withDeployment(deployment: object, i = 1, base = read('two-service')) {
  const e = structuredClone(base);
  e.services[i].deployment = deployment;
  return e;
}

function issues(raw: unknown): { path: string; value: unknown; expected: string }[] {
  try {
    parseEnvironment(raw, 'x.json', 'two-service');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).exitCode).toBe(2);
    return (e as ConfigError).issues;
  }
  return [];
}

describe('services[].deployment', () => {
  it('defaults to rolling, with ECS-shaped defaults for every other strategy', () => {
    const env = parseEnvironment(read('two-service'), 'x.json', 'two-service');
    expect(env.services[0]!.deployment).toEqual({
      strategy: 'rolling',
      canary: { percent: 10, bakeMinutes: 10 },
      linear: { stepPercent: 10, stepBakeMinutes: 6 },
      bakeMinutes: 5,
      alarms: [],
      thresholds: { max5xxPercent: 1, maxTargetResponseSeconds: 2 },
    });
  });

  it('accepts every strategy at the edges of the ECS ranges', () => {
    for (const strategy of ['rolling', 'blue-green', 'canary', 'linear'])
      expect(
        issues(withDeployment({ strategy, canary: { percent: 0.1, bakeMinutes: 1440 }, linear: { stepPercent: 3, stepBakeMinutes: 0 } })),
      ).toEqual([]);
    expect(issues(withDeployment({ strategy: 'canary', canary: { percent: 100, bakeMinutes: 0 }, bakeMinutes: 1440 }))).toEqual([]);
    expect(
      issues(withDeployment({ strategy: 'linear', linear: { stepPercent: 33.3 }, alarms: ['a'.repeat(255), 'api 5xx (p95)'] })),
    ).toEqual([]);
  });

  it('refuses values ECS would refuse, naming field, value and expectation', () => {
    const got = issues(
      withDeployment({
        strategy: 'bluegreen',
        canary: { percent: 0.05, bakeMinutes: 1441 },
        linear: { stepPercent: 2.9, stepBakeMinutes: 1.5 },
        bakeMinutes: -1,
        alarms: ['', 'x'.repeat(256), 'bell\u0007'],
        thresholds: { max5xxPercent: 101, maxTargetResponseSeconds: 0 },
      }),
    );
    const at = 'services[1].deployment';
    expect(got.map((i) => [i.path, i.value])).toEqual([
      [`${at}.strategy`, 'bluegreen'],
      [`${at}.canary.percent`, 0.05],
      [`${at}.canary.bakeMinutes`, 1441],
      [`${at}.linear.stepPercent`, 2.9],
      [`${at}.linear.stepBakeMinutes`, 1.5],
      [`${at}.bakeMinutes`, -1],
      [`${at}.alarms[0]`, ''],
      [`${at}.alarms[1]`, 'x'.repeat(256)],
      [`${at}.alarms[2]`, 'bell\u0007'],
      [`${at}.thresholds.max5xxPercent`, 101],
      [`${at}.thresholds.maxTargetResponseSeconds`, 0],
    ]);
    expect(got[0]!.expected).toBe('one of "rolling", "blue-green", "canary", "linear"');
    expect(got[1]!.expected).toBe('a number from 0.1 to 100');
    expect(got[2]!.expected).toBe('an integer from 0 to 1440');
    expect(got[6]!.expected).toMatch(/CloudWatch alarm name of 1 to 255 characters/);
  });

  it('percents are multiples of 0.1; an alarm is named once', () => {
    const got = issues(
      withDeployment({ strategy: 'canary', canary: { percent: 12.34 }, linear: { stepPercent: 10.05 }, alarms: ['a', 'b', 'a'] }),
    );
    expect(got).toEqual([
      { path: 'services[1].deployment.canary.percent', value: 12.34, expected: 'a multiple of 0.1 from 0.1 to 100 (ECS canaryPercent)' },
      { path: 'services[1].deployment.linear.stepPercent', value: 10.05, expected: 'a multiple of 0.1 from 3 to 100 (ECS stepPercent)' },
      { path: 'services[1].deployment.alarms[2]', value: 'a', expected: 'an alarm not already named at services[1].deployment.alarms[0]' },
    ]);
    expect([0.1, 0.3, 33.3, 99.9, 100].every(isTenth)).toBe(true);
    expect([0.05, 12.34, 10.01].some(isTenth)).toBe(false);
  });

  it('a test path must reach its own service through the test rule', () => {
    expect(issues(withDeployment({ strategy: 'canary', testPath: '/api/v1/health' }))).toEqual([]);
    const outside = issues(withDeployment({ strategy: 'canary', testPath: '/v1/health' }));
    expect(outside.map((i) => [i.path, i.value])).toEqual([['services[1].deployment.testPath', '/v1/health']]);
    expect(outside[0]!.expected).toContain('"/api/*"');
    // web takes "/*", but api's production rule (evaluated first) takes /api/...
    const captured = issues(withDeployment({ strategy: 'blue-green', testPath: '/api/ping' }, 0));
    expect(captured).toEqual([
      {
        path: 'services[0].deployment.testPath',
        value: '/api/ping',
        expected: 'a path routed to services[0]; "api" (pathPattern "/api/*") takes it first',
      },
    ]);
    expect(issues(withDeployment({ strategy: 'blue-green', testPath: '/app/ping' }, 0))).toEqual([]);
    expect(issues(withDeployment({ testPath: '/api/*' }))[0]!.path).toBe('services[1].deployment.testPath');
  });

  it('names the alternate target group of every service (32 characters, distinct) and the infrastructure role, and checks them', () => {
    const env = parseEnvironment(withDeployment({ strategy: 'canary' }), 'x.json', 'two-service');
    const sn = serviceNames(env, env.services[1]!);
    expect(sn.alternateTargetGroup).toBe('lawfirm-two-service-api-alt');
    expect(names(env).ecsInfrastructureRole).toBe('lawfirm-two-service-ecs-infrastructure');
    const long = { ...withDeployment({ strategy: 'canary' }), app: 'averyverylongapp', name: 'two-service' };
    const e2 = parseEnvironment(long, 'x.json', 'two-service');
    const [web, api] = e2.services.map((s) => serviceNames(e2, s)) as [ReturnType<typeof serviceNames>, ReturnType<typeof serviceNames>];
    expect(api.alternateTargetGroup).toMatch(/^averyverylongapp-two-[0-9a-f]{6}-alt$/);
    expect(web.alternateTargetGroup).toMatch(/^averyverylongapp-two-[0-9a-f]{6}-alt$/);
    expect(new Set([web.targetGroup, web.alternateTargetGroup, api.targetGroup, api.alternateTargetGroup]).size).toBe(4);
    // A service named "api-alt" would own the alternate's name as its primary: refused, not left to AWS.
    const clash = withDeployment({ strategy: 'canary' });
    clash.services[0].name = 'api-alt';
    expect(issues(clash).map((i) => i.expected)).toEqual([expect.stringContaining('both become "lawfirm-two-service-api-alt"')]);
  });

  it('routes: production and test rule priorities, path patterns as the ALB reads them', () => {
    const env = parseEnvironment(read('two-service'), 'x.json', 'two-service');
    const [web, api] = env.services as [never, never];
    expect([productionPriority(env.services, api), testPriority(env.services, api)]).toEqual([10, 5]);
    expect([productionPriority(env.services, web), testPriority(env.services, web)]).toEqual([50000, 49995]);
    expect(routedService(env.services, '/api/x')).toBe(api);
    expect(routedService(env.services, '/apix')).toBe(web);
    expect(TEST_HEADER).toBe('X-Berth-Test'); // the contract with deploy's smoke check and the emulator
    expect(pathPatternMatches('/v?/*', '/v1/a')).toBe(true);
    expect(pathPatternMatches('/a.b', '/aXb')).toBe(false);
  });
});

describe('what berth sends ECS, and the traffic steps', () => {
  const d = parseEnvironment(withDeployment({ strategy: 'canary', alarms: ['api-5xx'] }), 'x.json', 'two-service').services[1]!.deployment;

  it('the strategy fields of DeploymentConfiguration per strategy (deploy --strategy overrides)', () => {
    expect(ecsDeploymentFields(d)).toEqual({
      strategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 },
      alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
    });
    expect(ecsDeploymentFields(d, 'linear')).toEqual({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 5,
      linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: 6 },
      alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
    });
    expect(ecsDeploymentFields(d, 'blue-green')).toEqual({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
    });
    expect(ecsDeploymentFields({ ...d, alarms: [] }, 'rolling')).toEqual({
      strategy: 'ROLLING',
      alarms: { alarmNames: [], enable: false, rollback: false },
    });
  });

  it('traffic steps: blue-green all at once, canary in two, linear in equal steps ending at 100', () => {
    expect(trafficSteps({ ...d, strategy: 'blue-green' })).toEqual([100]);
    expect(trafficSteps(d)).toEqual([10, 100]);
    expect(trafficSteps({ ...d, strategy: 'linear', linear: { stepPercent: 30, stepBakeMinutes: 1 } })).toEqual([30, 60, 90, 100]);
    expect(trafficSteps({ ...d, strategy: 'linear', linear: { stepPercent: 33.3, stepBakeMinutes: 1 } })).toEqual([33.3, 66.6, 99.9, 100]);
    expect(trafficSteps({ ...d, strategy: 'linear', linear: { stepPercent: 25, stepBakeMinutes: 1 } })).toEqual([25, 50, 75, 100]);
  });
});

describe('config validate on a bad deployment', () => {
  it('exits 2 with the issues as data', async () => {
    const project = tempProject();
    try {
      mkdirSync(join(project.dir, 'environments'));
      const e = withDeployment({ strategy: 'canary', canary: { percent: 150 } });
      writeFileSync(join(project.dir, 'environments', 'two-service.json'), JSON.stringify(e));
      const r = await runCli(['config', 'validate', '--env', 'two-service', '--json'], { project: project.dir });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error.details.issues).toEqual([
        { path: 'services[1].deployment.canary.percent', value: 150, expected: 'a number from 0.1 to 100' },
      ]);
    } finally {
      project.cleanup();
    }
  });
});
