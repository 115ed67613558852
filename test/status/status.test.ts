import { describe, expect, it } from 'vitest';
import { buildStatus, statusKey } from '../../src/status/judge.js';
import { renderStatus } from '../../src/status/render.js';
import type { StatusRaw } from '../../src/status/types.js';
import { loadFixture } from '../rollout/load-fixture.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-sandbox-api:${n}`;

/** Mid-rollout (clean-rollout poll 3: rev 7 PRIMARY healthy, rev 6 draining) as DescribeServices etc. returned it. */
function raw(): StatusRaw {
  const f = loadFixture('clean-rollout');
  const p = f.snapshots[2]!;
  return {
    environment: 'sandbox',
    cluster: 'demo-sandbox',
    services: [
      {
        name: 'api',
        snap: p.describeServices!.services[0],
        targets: p.describeTargetHealth!.TargetHealthDescriptions,
        range: { min: 1, max: 4 },
      },
    ],
    images: {
      [TD(6)]: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v1',
      [TD(7)]: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v2',
    },
    // DescribeAlarms MetricAlarms entry
    alarms: [
      {
        AlarmName: 'demo-sandbox-api-unhealthy-hosts',
        StateValue: 'ALARM',
        StateReason:
          'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (01/05/25 09:59:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).',
        StateUpdatedTimestamp: '2025-05-01T09:59:30.000000+00:00',
      },
    ],
    notes: [],
  };
}

describe('status', () => {
  it('builds per-service counts, deployments with revision/image/state/age, autoscaling, events, targets, alarms', () => {
    const r = buildStatus(raw(), Date.parse('2025-05-01T10:01:05Z'));
    const s = r.services[0]!;
    expect(s).toMatchObject({ name: 'api', found: true, desired: 2, running: 4, pending: 0, autoscaling: { min: 1, max: 4 } });
    expect(s.deployments.map((d) => [d.status, d.revision, d.rolloutState, d.image?.split(':').pop(), d.running])).toEqual([
      ['PRIMARY', 7, 'IN_PROGRESS', 'v2', 2],
      ['ACTIVE', 6, 'COMPLETED', 'v1', 2],
    ]);
    expect(s.deployments[0]!.ageSeconds).toBe(64);
    expect(s.targets).toMatchObject({ total: 4, healthy: 2, draining: 2, reasons: { 'Target.DeregistrationInProgress': 2 } });
    expect(s.events[0]!.message).toMatch(/registered 2 targets/);
    expect(s.events.length).toBeLessThanOrEqual(5);
    expect(r.alarms).toEqual([
      {
        name: 'demo-sandbox-api-unhealthy-hosts',
        state: 'ALARM',
        reason: expect.stringMatching(/^Threshold Crossed/),
        since: '2025-05-01T09:59:30.000Z',
      },
    ]);
  });

  it('renders it for people', () => {
    const text = renderStatus(buildStatus(raw(), Date.parse('2025-05-01T10:01:05Z')));
    const lines = text.split('\n');
    expect(lines[0]).toBe('sandbox (cluster demo-sandbox) at 2025-05-01T10:01:05.000Z');
    expect(text).toContain('api: 4/2 running  (autoscaling 1..4)');
    expect(lines.find((l) => l.includes('rev 7'))).toMatch(
      /PRIMARY\s+rev 7\s+IN_PROGRESS\s+2\/2 running\s+age 64s\s+123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/demo\/api:v2/,
    );
    expect(text).toContain('targets: 2 healthy, 2 draining of 4 (Target.DeregistrationInProgress x2)');
    expect(text).toContain('alarms in ALARM (1):');
    expect(text).toContain('  demo-sandbox-api-unhealthy-hosts since 2025-05-01T09:59:30.000Z: Threshold Crossed');
  });

  it('a failed rollout shows its reason; a missing service says so', () => {
    const f = loadFixture('circuit-breaker');
    const r = raw();
    r.services = [
      { name: 'api', snap: f.snapshots[1]!.describeServices!.services[0], targets: [] },
      { name: 'web', snap: undefined },
    ];
    const text = renderStatus(buildStatus(r, Date.parse('2025-05-01T10:03:00Z')));
    expect(text).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect(text).toMatch(/3 failed/);
    expect(text).toContain('web: not found (not deployed?)');
  });

  it('the change key ignores the clock', () => {
    const a = buildStatus(raw(), Date.parse('2025-05-01T10:01:05Z'));
    const b = buildStatus(raw(), Date.parse('2025-05-01T10:01:09Z'));
    expect(statusKey(a)).toBe(statusKey(b));
    const c = raw();
    c.services[0]!.snap = { ...c.services[0]!.snap!, runningCount: 3 };
    expect(statusKey(buildStatus(c, 0))).not.toBe(statusKey(a));
  });
});
