/**
 * The review of an adopted stack's plan in `berth plan --json` (`detail.review`): each import, then
 * each change berth's secure defaults make, attribute by attribute, with why. Read from the recorded
 * plan of the hand-built RAG platform's security stack after `berth adopt` (terraform 1.11, AWS
 * provider 5.100 on the emulator: test/terraform/fixtures/plans/adopted-security.show.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planDetail, type ShowJson } from '../../src/terraform/plan-detail.js';
import { reviewOf } from '../../src/terraform/plan-why.js';

const show = JSON.parse(
  readFileSync(new URL('../terraform/fixtures/plans/adopted-security.show.json', import.meta.url), 'utf8'),
) as ShowJson;

describe('the review of an adopted plan', () => {
  const detail = planDetail(show);
  const review = detail.review!;

  it('lists every resource of the plan: what is created with why, what is imported then changed, attribute by attribute', () => {
    expect([...new Set(review.map((l) => l.address))].sort()).toEqual(detail.changes.map((c) => c.address).sort());
    const created = review.filter((l) => l.action === 'create').map((l) => `${l.address}: ${l.why}`);
    expect(created.sort()).toEqual([
      'aws_security_group.security_cache: security group added',
      'aws_vpc_security_group_egress_rule.security_app-out-cache-6379: egress 6379 to cache added',
      'aws_vpc_security_group_egress_rule.security_app-out-db-5432: egress 5432 to db added',
      'aws_vpc_security_group_ingress_rule.security_cache-in-app-6379: ingress 6379 from app added',
    ]);
    const app = review.filter((l) => l.address === 'aws_security_group.security_app');
    expect(app.every((l) => l.action === 'import+update' && l.why.length > 0)).toBe(true);
    expect(app.map((l) => l.attribute)).toContain('tags');
    // An attribute that changes carries its before and after (masked where secret).
    for (const l of review.filter((x) => x.action === 'import+update' && x.attribute !== 'tags'))
      expect([typeof l.before, typeof l.after], `${l.address} ${l.attribute}`).toEqual(['string', 'string']);
    expect(review.some((l) => l.action === 'replace' || l.action === 'destroy')).toBe(false);
  });

  it('an import without change, a replacement and a destroy each say so; a plan importing nothing has no review', () => {
    const lines = reviewOf(
      [
        { address: 'aws_subnet.network_subnet-private-0', action: 'replace', forcedBy: ['cidr_block'], attributes: [] },
        {
          address: 'aws_flow_log.network_flow-log',
          action: 'destroy',
          reason: 'delete_because_no_resource_config',
          forcedBy: [],
          attributes: [],
        },
      ],
      ['aws_vpc.network_vpc'],
    );
    expect(lines).toEqual([
      { address: 'aws_vpc.network_vpc', action: 'import', why: 'exists: imported as it is' },
      { address: 'aws_subnet.network_subnet-private-0', action: 'replace', why: 'cidr_block cannot change in place' },
      { address: 'aws_flow_log.network_flow-log', action: 'destroy', why: 'delete_because_no_resource_config' },
    ]);
    expect(
      planDetail({
        ...show,
        resource_changes: show.resource_changes?.map((r) => ({ ...r, change: { ...r.change, importing: undefined } })),
      }).review,
    ).toBeUndefined();
  });
});
