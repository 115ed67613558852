/**
 * The plan of an adopted platform, read from a recorded terraform JSON plan (terraform 1.11, AWS
 * provider 5.100 against the emulator: the security stack of the hand-built RAG platform after
 * `berth adopt`, fixtures/plans/adopted-security.*): imports are marked, each change says why, and
 * apply refuses destroys and replacements of an adopted environment (exit 65) unless allowed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/output/exit-codes.js';
import { destructiveChanges, refuseDestructive } from '../../src/terraform/destroy-guard.js';
import { exitCodeForApply, type PlanResult } from '../../src/terraform/orchestrate.js';
import { planComment } from '../../src/terraform/plan-comment.js';
import { planDetail, type ShowJson } from '../../src/terraform/plan-detail.js';
import { parseMessages, summarizePlan } from '../../src/terraform/plan-summary.js';
import { createWhy, updateWhy } from '../../src/terraform/plan-why.js';
import { renderPlanText } from '../../src/terraform/render.js';

const DIR = new URL('./fixtures/plans/', import.meta.url);
const show = JSON.parse(readFileSync(new URL('adopted-security.show.json', DIR), 'utf8')) as ShowJson;
const messages = parseMessages(readFileSync(new URL('adopted-security.plan.jsonl', DIR), 'utf8').split('\n'));
const detail = planDetail(show);
const summary = summarizePlan(messages);

function result(): PlanResult {
  return {
    environment: 'rag',
    exitCode: 2,
    changes: true,
    totals: { add: summary.add, change: summary.change, destroy: summary.destroy },
    stacks: [
      { stack: 'rag-rag-security', kind: 'security', dependencies: [], status: 'planned', changes: true, summary, detail, durationMs: 1 },
    ],
    planDir: '/p',
    durationMs: 1,
  };
}

describe('plan of an adopted platform', () => {
  it('marks the imports, from the plan stream and from the saved plan alike', () => {
    expect(summary.imported).toContain('aws_security_group.security_app');
    expect(summary.imported).toContain('aws_vpc_security_group_egress_rule.security_app-out-https');
    expect(summary.imported).not.toContain('aws_vpc_security_group_egress_rule.security_app-out-db-5432');
    expect(detail.imports.sort()).toEqual(summary.imported);
    expect(summary.replaced).toEqual([]);
    expect(summary.destroyed).toEqual([]);
  });

  it('says why each change is made', () => {
    expect(createWhy('aws_vpc_security_group_egress_rule.security_app-out-db-5432')).toBe('egress 5432 to db added');
    expect(createWhy('aws_vpc_security_group_ingress_rule.security_cache-in-app-6379')).toBe('ingress 6379 from app added');
    expect(createWhy('aws_route_table_association.network_rta-private-0')).toBe('route table association added');
    const sg = detail.changes.find((c) => c.address === 'aws_security_group.security_app')!;
    expect(sg.importing).toBe(true);
    const whys = updateWhy(sg);
    expect(whys.find((w) => w.attribute === 'tags')?.why).toBe("berth's tags (Name, app, environment, managed-by)");
    expect(whys.find((w) => w.attribute === 'revoke_rules_on_delete')?.why).toMatch(/^terraform-only/);
    expect(
      updateWhy({
        address: 'aws_rds_cluster.data_cluster',
        action: 'update',
        forcedBy: [],
        attributes: [{ path: 'deletion_protection', before: 'false', after: 'true', forcesReplacement: false }],
      })[0]!.why,
    ).toBe('deletion protection on');
  });

  it('text and Markdown list the imports and the reasons', () => {
    const text = renderPlanText(result());
    expect(text).toMatch(/^rag: 9 existing resources imported; 4 to add, 9 to change, 0 to destroy/);
    expect(text).toContain('aws_vpc_security_group_egress_rule.security_app-out-db-5432 (create): egress 5432 to db added');
    expect(text).toContain('aws_security_group.security_app (import, then update)');
    const md = planComment(result());
    expect(md).toContain('**import**, then **update** `aws_security_group.security_app`');
    expect(md).toContain('egress 5432 to db added');
  });

  it('apply refuses a destroy or a replacement on an adopted environment unless allowed (exit 65)', () => {
    const destructive = [{ stack: 'rag-rag-data', summary: { ...summary, replaced: ['aws_rds_cluster.data_cluster'] } }];
    expect(destructiveChanges(destructive)).toEqual(['rag-rag-data: aws_rds_cluster.data_cluster (replaced)']);
    let err: { exitCode?: number; code?: string } = {};
    try {
      refuseDestructive('rag', true, false, destructive);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.exitCode).toBe(EXIT.ADOPT_DESTRUCTIVE_PLAN);
    expect(err.code).toBe('adopt.destructive-plan');
    expect(() => refuseDestructive('rag', true, true, destructive)).not.toThrow();
    expect(() => refuseDestructive('rag', false, false, destructive)).not.toThrow();
    expect(() => refuseDestructive('rag', true, false, [{ stack: 'rag-rag-security', summary }])).not.toThrow();
    const failed = { stack: 's', status: 'failed' as const, durationMs: 0, error: { message: 'm', exitCode: EXIT.ADOPT_DESTRUCTIVE_PLAN } };
    expect(exitCodeForApply([failed, { stack: 't', status: 'applied', durationMs: 0 }])).toBe(65);
  });
});
