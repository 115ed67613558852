/** The ECS core's small pure pieces: ids, the target tally, the settled predicate, log stream names. */
import { describe, expect, it } from 'vitest';
import { revisionOf, shortTd, taskId, tdFamily } from '../../src/ecs/ids.js';
import { logStreamName } from '../../src/ecs/logs.js';
import { isSettled, isSettledWithTasks } from '../../src/ecs/settled.js';
import { tallyDescriptions, tallyTargets } from '../../src/ecs/targets.js';
import type { ServiceSnap } from '../../src/ecs/types.js';

describe('ecs: ids', () => {
  it('task definition and task ids from ARNs', () => {
    expect(shortTd('arn:aws:ecs:us-east-1:1:task-definition/api:7')).toBe('api:7');
    expect(revisionOf('arn:aws:ecs:us-east-1:1:task-definition/api:7')).toBe(7);
    expect(tdFamily('arn:aws:ecs:us-east-1:1:task-definition/api:7')).toBe('api');
    expect(taskId('arn:aws:ecs:us-east-1:1:task/c/0123abcd')).toBe('0123abcd');
    expect(taskId('0123abcd')).toBe('0123abcd');
    expect(logStreamName('ecs', 'api', '0123abcd')).toBe('ecs/api/0123abcd');
  });
});

describe('ecs: target tally', () => {
  it('counts target states and reasons', () => {
    expect(
      tallyDescriptions([
        { TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } },
        { TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' } },
        { TargetHealth: { State: 'healthy' } },
      ]),
    ).toEqual({
      total: 3,
      healthy: 1,
      unhealthy: 1,
      initial: 0,
      draining: 0,
      other: 1,
      reasons: { 'Target.Timeout': 1, 'Target.NotInUse': 1 },
    });
    expect(tallyTargets([{ state: 'initial' }, { state: 'draining', reason: 'Target.DeregistrationInProgress' }])).toMatchObject({
      total: 2,
      initial: 1,
      draining: 1,
      reasons: { 'Target.DeregistrationInProgress': 1 },
    });
  });
});

describe('ecs: settled', () => {
  const svc = (over: Partial<ServiceSnap> = {}, dep: Record<string, unknown> = {}): ServiceSnap => ({
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, ...dep }],
    ...over,
  });
  const tally = (healthy: number, total = healthy) => ({ tally: { ...tallyTargets([]), healthy, total }, groups: 1 });

  it('one COMPLETED deployment running its desired count, every target healthy', () => {
    expect(isSettled(svc())).toBe(true);
    expect(isSettled(svc(), tally(2))).toBe(true);
    expect(isSettled(svc(), tally(1))).toBe(false);
    expect(isSettled(svc(), tally(2, 3))).toBe(false);
  });

  it('not while a deployment is in progress, two deployments run, tasks are missing, or the service is gone', () => {
    expect(isSettled(svc({}, { rolloutState: 'IN_PROGRESS' }))).toBe(false);
    expect(isSettled(svc({}, { runningCount: 1 }))).toBe(false);
    expect(isSettled(svc({ deployments: [...svc().deployments!, { id: 'ecs-svc/0', status: 'ACTIVE' }] }))).toBe(false);
    expect(isSettled(svc({ status: 'DRAINING' }))).toBe(false);
    expect(isSettled(undefined)).toBe(false);
  });

  it('scaled to zero is settled, but proves no revision', () => {
    const zero = svc({ desiredCount: 0, runningCount: 0 }, { desiredCount: 0, runningCount: 0 });
    expect(isSettled(zero)).toBe(true);
    expect(isSettledWithTasks(zero)).toBe(false);
    expect(isSettledWithTasks(svc())).toBe(true);
  });
});
