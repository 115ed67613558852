// The status judge on plain data: hand-written StatusRaw values, no SDK, no fixtures, no clock.
import { describe, expect, it } from 'vitest';
import { buildStatus, deploymentStatus, lastEvents, exitCodeForStatus, statusKey } from '../../src/status/judge.js';
import type { StatusRaw } from '../../src/status/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-prod-api:12';

function settledRaw(): StatusRaw {
  return {
    environment: 'prod',
    cluster: 'shop-prod',
    images: { [TD]: 'repo/api:v12' },
    alarms: [],
    notes: [],
    services: [
      {
        name: 'api',
        range: { min: 2, max: 6 },
        snap: {
          serviceName: 'api',
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          taskDefinition: TD,
          loadBalancers: [{ targetGroupArn: 'tg' }],
          deployments: [
            {
              id: 'ecs-svc/1',
              status: 'PRIMARY',
              taskDefinition: TD,
              desiredCount: 2,
              runningCount: 2,
              rolloutState: 'COMPLETED',
              createdAt: NOW - 3_600_000,
            },
          ],
          events: [],
        },
        targets: [{ TargetHealth: { State: 'healthy' } }, { TargetHealth: { State: 'healthy' } }],
      },
    ],
  };
}

describe('status judge (plain data)', () => {
  it('a service with one completed deployment at its desired count and every target healthy is settled', () => {
    const r = buildStatus(settledRaw(), NOW);
    expect(r.at).toBe('2026-01-01T12:00:00.000Z');
    expect(r.services[0]).toMatchObject({
      found: true,
      settled: true,
      desired: 2,
      running: 2,
      autoscaling: { min: 2, max: 6 },
      targets: { total: 2, healthy: 2 },
    });
    expect(r.services[0]!.deployments[0]).toMatchObject({
      revision: 12,
      taskDefinition: 'shop-prod-api:12',
      image: 'repo/api:v12',
      ageSeconds: 3600,
    });
    expect(exitCodeForStatus(r)).toBe(0);
  });

  it('an unhealthy target, or a second deployment, is not settled', () => {
    const raw = settledRaw();
    raw.services[0]!.targets = [{ TargetHealth: { State: 'healthy' } }, { TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } }];
    expect(buildStatus(raw, NOW).services[0]).toMatchObject({
      settled: false,
      targets: { unhealthy: 1, reasons: { 'Target.Timeout': 1 } },
    });
    const two = settledRaw();
    two.services[0]!.snap!.deployments!.push({ status: 'ACTIVE', taskDefinition: TD.replace(':12', ':11'), rolloutState: 'COMPLETED' });
    expect(buildStatus(two, NOW).services[0]!.settled).toBe(false);
  });

  it('a service without a snapshot is not found (exit 1); without targets it has no load balancer tally', () => {
    const raw = settledRaw();
    raw.services.push({ name: 'worker' });
    raw.services[0]!.targets = null;
    const r = buildStatus(raw, NOW);
    expect(r.services[1]).toMatchObject({
      name: 'worker',
      found: false,
      settled: false,
      deployments: [],
      targets: null,
      autoscaling: null,
    });
    expect(r.services[0]!.targets).toBeNull();
    expect(exitCodeForStatus(r)).toBe(1);
  });

  it('alarms keep their name, state and time; unreadable times stay undefined instead of throwing', () => {
    const raw = settledRaw();
    raw.alarms = [
      { AlarmName: 'shop-prod-api-5xx', StateValue: 'ALARM', StateUpdatedTimestamp: new Date(NOW - 60_000) },
      { AlarmName: 'odd', StateValue: 'ALARM', StateUpdatedTimestamp: 'not a date' },
    ];
    expect(buildStatus(raw, NOW).alarms).toEqual([
      { name: 'shop-prod-api-5xx', state: 'ALARM', reason: undefined, since: '2026-01-01T11:59:00.000Z' },
      { name: 'odd', state: 'ALARM', reason: undefined, since: undefined },
    ]);
  });

  it('events: newest first, at most the count asked for', () => {
    const snap = { events: [1, 3, 2, 5, 4].map((n) => ({ message: `e${n}`, createdAt: NOW - (10 - n) * 1000 })) };
    expect(lastEvents(snap, 3).map((e) => e.message)).toEqual(['e5', 'e4', 'e3']);
  });

  it('a deployment with no creation time has no age; age is never negative', () => {
    expect(deploymentStatus({ taskDefinition: TD }, {}, NOW)).toMatchObject({
      revision: 12,
      ageSeconds: undefined,
      createdAt: undefined,
      image: undefined,
    });
    expect(deploymentStatus({ taskDefinition: TD, createdAt: NOW + 5000 }, {}, NOW).ageSeconds).toBe(0);
  });

  it('the watch key ignores the clock and ages, not the counts', () => {
    const a = buildStatus(settledRaw(), NOW);
    const b = buildStatus(settledRaw(), NOW + 30_000);
    expect(statusKey(a)).toBe(statusKey(b));
    const c = settledRaw();
    c.services[0]!.snap!.runningCount = 1;
    expect(statusKey(buildStatus(c, NOW))).not.toBe(statusKey(a));
  });
});
