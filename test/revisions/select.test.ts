import { describe, expect, it } from 'vitest';
import { planRevisions, type RevisionFacts } from '../../src/revisions/select.js';
import { selectRollbackTarget } from '../../src/rollout/rollback-target.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-prod-api:${n}`;
const NOW = Date.parse('2026-11-26T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const rev = (n: number, registeredDaysAgo: number, tags: Record<string, string> = {}, status = 'ACTIVE'): RevisionFacts => ({
  arn: TD(n),
  status,
  registeredAt: daysAgo(registeredDaysAgo),
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});

describe('revision pruning selection', () => {
  // 20 revisions, one registered every 3 days: 20 is newest (today), 1 is 57 days old.
  const revisions = Array.from({ length: 20 }, (_, i) => rev(i + 1, (20 - (i + 1)) * 3));

  it('keeps the running revision, the rollback target, the recent ones and the N newest; prunes the rest', () => {
    const plan = planRevisions({ revisions, running: [TD(3)], rollbackTarget: TD(5), keep: 4, keepDays: 10, now: NOW, delete: false });
    const by = (n: number) => plan.find((p) => p.revision === n)!;
    expect(by(3)).toMatchObject({ keep: true, reasons: ['running'], action: 'keep' });
    expect(by(5)).toMatchObject({ keep: true, reasons: ['rollback-target'] });
    // registered within 10 days: 20 (0 d), 19 (3 d), 18 (6 d), 17 (9 d)
    expect(by(17).reasons).toEqual(['recent', 'newest']);
    expect(by(16)).toMatchObject({ keep: false, action: 'deregister' });
    expect(plan.filter((p) => p.action === 'deregister').map((p) => p.revision)).toEqual([16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 4, 2, 1]);
  });

  it('a revision berth saw run recently is kept however old it is; one-off revisions do not count towards N', () => {
    const rs = [
      rev(10, 0, { 'berth:one-off': daysAgo(0) }),
      rev(9, 30, { 'berth:one-off': daysAgo(30) }),
      rev(8, 40),
      rev(7, 50),
      rev(6, 60, { 'berth:healthy-at': daysAgo(2) }),
    ];
    const plan = planRevisions({ revisions: rs, running: [TD(8)], keep: 1, keepDays: 7, now: NOW, delete: true });
    const by = (n: number) => plan.find((p) => p.revision === n)!;
    expect(by(10)).toMatchObject({ oneOff: true, reasons: ['recent'] });
    expect(by(9)).toMatchObject({ oneOff: true, action: 'delete' });
    expect(by(8).reasons).toEqual(['running', 'newest']);
    expect(by(7)).toMatchObject({ action: 'delete' });
    expect(by(6)).toMatchObject({ reasons: ['recent'], healthyAt: daysAgo(2) });
  });

  it('the revision terraform registered is never pruned', () => {
    const rs = [rev(3, 0), rev(2, 100), rev(1, 100, { 'berth:registered-by': 'terraform', 'berth:healthy-at': daysAgo(90) })];
    const plan = planRevisions({ revisions: rs, running: [TD(3)], keep: 1, keepDays: 1, now: NOW, delete: true });
    expect(plan.map((p) => [p.revision, p.action])).toEqual([
      [3, 'keep'],
      [2, 'delete'],
      [1, 'keep'],
    ]);
    expect(plan[2]!.reasons).toEqual(['terraform']);
  });

  it('INACTIVE revisions are left alone unless --delete', () => {
    const rs = [rev(3, 0), rev(2, 100, {}, 'INACTIVE'), rev(1, 100)];
    expect(planRevisions({ revisions: rs, running: [TD(3)], keep: 1, keepDays: 1, now: NOW, delete: false }).map((p) => p.action)).toEqual([
      'keep',
      'keep',
      'deregister',
    ]);
    expect(planRevisions({ revisions: rs, running: [TD(3)], keep: 1, keepDays: 1, now: NOW, delete: true }).map((p) => p.action)).toEqual([
      'keep',
      'delete',
      'delete',
    ]);
  });

  it('rollback never chooses a one-off revision', () => {
    const t = selectRollbackTarget({
      current: TD(9),
      deployments: [],
      revisions: [
        { arn: TD(9), revision: 9, status: 'ACTIVE' },
        {
          arn: TD(8),
          revision: 8,
          status: 'ACTIVE',
          tags: [
            { key: 'berth:one-off', value: daysAgo(0) },
            { key: 'berth:healthy-at', value: daysAgo(0) },
          ],
        },
        { arn: TD(7), revision: 7, status: 'ACTIVE' },
      ],
    });
    expect(t.arn).toBe(TD(7));
  });
});
