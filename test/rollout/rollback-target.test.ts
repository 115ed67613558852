import { describe, expect, it } from 'vitest';
import { selectRollbackTarget, type RevisionInfo } from '../../src/rollout/rollback-target.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-sandbox-api:${n}`;
const rev = (n: number, tags: Record<string, string> = {}, status = 'ACTIVE'): RevisionInfo => ({
  arn: TD(n),
  revision: n,
  status,
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v${n}`,
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});

describe('rollback target', () => {
  it('prefers the revision that last ran healthy over current-1', () => {
    // 9 is current; 8 was registered but failed; 7 is the last one berth saw healthy.
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD(9), rolloutState: 'COMPLETED' }],
      revisions: [
        rev(9),
        rev(8, { 'berth:failed-at': '2025-05-01T09:00:00Z' }),
        rev(7, { 'berth:healthy-at': '2025-05-01T08:00:00Z' }),
        rev(6, { 'berth:healthy-at': '2025-04-20T08:00:00Z' }),
      ],
    });
    expect(t).toMatchObject({ arn: TD(7), revision: 7, source: 'berth-tag' });
    expect(t.warning).toBeUndefined();
  });

  it('uses a completed older deployment still listed by the service (mid-rollout)', () => {
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD(9), rolloutState: 'IN_PROGRESS', createdAt: '2025-05-01T10:00:00Z' },
        { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD(5), rolloutState: 'COMPLETED', updatedAt: '2025-05-01T09:59:00Z' },
      ],
      revisions: [rev(9), rev(8), rev(7, { 'berth:healthy-at': '2025-04-01T08:00:00Z' }), rev(5)],
    });
    expect(t).toMatchObject({ arn: TD(5), source: 'active-deployment' });
  });

  it("uses ECS's deployment history when it answers, the most recent success wins", () => {
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [],
      history: [
        { taskDefinition: TD(9), status: 'SUCCESSFUL', finishedAt: '2025-05-01T10:00:00Z' },
        { taskDefinition: TD(6), status: 'SUCCESSFUL', finishedAt: '2025-05-01T07:00:00Z' },
        { taskDefinition: TD(8), status: 'ROLLBACK_SUCCESSFUL', finishedAt: '2025-05-01T09:00:00Z' },
      ],
      revisions: [rev(9), rev(8), rev(7, { 'berth:healthy-at': '2025-04-30T08:00:00Z' }), rev(6)],
    });
    expect(t).toMatchObject({ arn: TD(6), source: 'ecs-history' });
  });

  it('skips a revision marked failed after it was last healthy, and deregistered ones', () => {
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [],
      revisions: [
        rev(9),
        rev(8, { 'berth:healthy-at': '2025-05-01T08:00:00Z', 'berth:failed-at': '2025-05-01T09:00:00Z' }),
        rev(7, { 'berth:healthy-at': '2025-05-01T07:00:00Z' }, 'INACTIVE'),
        rev(6, { 'berth:healthy-at': '2025-05-01T06:00:00Z' }),
      ],
    });
    expect(t.arn).toBe(TD(6));
  });

  it('falls back to the newest lower revision not marked failed, with a warning', () => {
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [],
      history: undefined,
      revisions: [rev(9), rev(8, { 'berth:failed-at': '2025-05-01T09:00:00Z' }), rev(7), rev(6)],
    });
    expect(t).toMatchObject({ arn: TD(7), source: 'previous-revision' });
    expect(t.warning).toMatch(/no record shows demo-sandbox-api:7 ever ran healthy/);
  });

  it('never picks the current revision, and says so when there is nothing else', () => {
    expect(() =>
      selectRollbackTarget({
        current: TD(1),
        deployments: [{ status: 'ACTIVE', taskDefinition: TD(1), rolloutState: 'COMPLETED' }],
        revisions: [rev(1, { 'berth:healthy-at': '2025-05-01T00:00:00Z' })],
      }),
    ).toThrow(/nothing to roll back to/);
  });
});
