/**
 * The plan comment and the drift report, on plans recorded for real (terraform 1.11.4 and the AWS
 * provider against moto: test/terraform/fixtures/plans/record.sh): golden Markdown for create,
 * update, replace (with the attribute that forces it), destroy, drift and sensitive values; no
 * seeded secret in any rendering; GitHub's comment limit kept; the report file rule.
 * Regenerate the golden files after a deliberate change with BERTH_UPDATE_GOLDEN=1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactValue } from '../../src/output/redact.js';
import type { DriftResult } from '../../src/terraform/drift.js';
import { renderDriftMarkdown, renderDriftText } from '../../src/terraform/drift-render.js';
import type { PlanResult, StackPlan } from '../../src/terraform/orchestrate.js';
import { planComment, totalLine } from '../../src/terraform/plan-comment.js';
import { planDetail, SENSITIVE, type PlanDetail, type ShowJson } from '../../src/terraform/plan-detail.js';
import type { PlanSummary } from '../../src/terraform/plan-summary.js';
import { renderPlanText } from '../../src/terraform/render.js';

const DIR = new URL('./fixtures/plans/', import.meta.url);
const show = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as ShowJson;
const SEEDS = ['seed-secret-before-9a8b7c', 'seed-secret-after-6d5e4f', 'seed-token-before-1f2e', 'seed-token-after-3d4c'];

function golden(name: string, text: string): void {
  const file = new URL(name, DIR);
  if (process.env.BERTH_UPDATE_GOLDEN) writeFileSync(file, text);
  expect(existsSync(file), `${name} is missing: run with BERTH_UPDATE_GOLDEN=1 once`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** The summary `terraform plan -json` would give for this detail (counts as terraform counts). */
function summaryOf(d: PlanDetail): PlanSummary {
  const by = (a: string) => d.changes.filter((c) => c.action === a).map((c) => c.address);
  const [created, updated, replaced, destroyed] = [by('create'), by('update'), by('replace'), by('destroy')];
  const add = created.length + replaced.length;
  const destroy = destroyed.length + replaced.length;
  return {
    add,
    change: updated.length,
    destroy,
    created,
    updated,
    replaced,
    destroyed,
    imported: [],
    forgotten: [],
    outputsChanged: [],
    hasChanges: add + destroy + updated.length > 0,
  };
}

function stack(name: string, fixture: string): StackPlan {
  const detail = planDetail(show(fixture));
  const summary = summaryOf(detail);
  return { stack: name, dependencies: [], status: 'planned', changes: summary.hasChanges, summary, detail, durationMs: 1 };
}

function result(stacks: StackPlan[]): PlanResult {
  const totals = { add: 0, change: 0, destroy: 0 };
  for (const s of stacks) for (const k of ['add', 'change', 'destroy'] as const) totals[k] += s.summary?.[k] ?? 0;
  const changes = stacks.some((s) => s.changes);
  return { environment: 'prod', exitCode: changes ? 2 : 0, changes, totals, stacks, planDir: '/p/.berth/work/prod', durationMs: 2 };
}

const plan = result([stack('app-prod-network', 'no-changes'), stack('app-prod-data', 'changes')]);
plan.stacks[1]!.warnings = [
  { summary: 'Argument is deprecated', detail: 'Use aws_s3_bucket_versioning instead.', address: 'aws_s3_bucket.logs' },
];
const refreshed = planDetail(show('refresh-only'));
const drift: DriftResult = {
  environment: 'prod',
  exitCode: 30,
  drifted: true,
  resources: refreshed.drift.length,
  durationMs: 3,
  stacks: [
    { stack: 'app-prod-network', status: 'checked', drift: [], durationMs: 1 },
    { stack: 'app-prod-data', status: 'checked', drift: refreshed.drift, durationMs: 2 },
  ],
};

describe('the plan detail read from terraform show -json', () => {
  const d = plan.stacks[1]!.detail!;
  const by = (a: string) => d.changes.find((c) => c.address === a)!;

  it('names each action, the attribute that forces the replacement and the resource removed from the configuration', () => {
    expect(d.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'update aws_cloudwatch_log_group.app',
      'update aws_s3_bucket.logs',
      'replace aws_security_group.app',
      'create aws_sqs_queue.new',
      'destroy aws_sqs_queue.old',
      'update aws_ssm_parameter.db_password',
    ]);
    expect(by('aws_security_group.app').forcedBy).toEqual(['description']);
    expect(by('aws_security_group.app').attributes.find((a) => a.path === 'description')).toEqual({
      path: 'description',
      before: '"app v1"',
      after: '"app v2"',
      forcesReplacement: true,
    });
    expect(by('aws_sqs_queue.old').reason).toBe('delete_because_no_resource_config');
  });

  it('masks values terraform marks sensitive and secret-looking attributes, and still shows that they change', () => {
    expect(by('aws_ssm_parameter.db_password').attributes.find((a) => a.path === 'value')).toMatchObject({
      before: SENSITIVE,
      after: SENSITIVE,
    });
    expect(by('aws_s3_bucket.logs').attributes.find((a) => a.path === 'tags.api_token')).toMatchObject({
      before: SENSITIVE,
      after: SENSITIVE,
    });
    expect(by('aws_s3_bucket.logs').attributes.find((a) => a.path === 'tags.team')).toMatchObject({
      before: '"platform"',
      after: '"payments"',
    });
  });

  it('reads what changed outside terraform, without the provider noise of null vs empty tags', () => {
    expect(refreshed.drift).toEqual([
      {
        address: 'aws_cloudwatch_log_group.app',
        action: 'update',
        forcedBy: [],
        attributes: [{ path: 'retention_in_days', before: '7', after: '30', forcesReplacement: false }],
      },
    ]);
    expect(planDetail(show('no-changes'))).toEqual({ changes: [], drift: [], outputs: [], imports: [] });
  });
});

describe('the plan comment', () => {
  it('matches the golden comment (total first, per-stack changes, drift, warnings, the folded full plan)', () => {
    const text = planComment(plan);
    expect(text.split('\n')[0]).toBe('<!-- berth-plan:prod -->');
    expect(text.split('\n')[1]).toContain(totalLine(plan));
    expect(totalLine(plan)).toBe('prod: 2 to add, 3 to change, 2 to destroy; 1 replaced; 1 resource changed outside terraform');
    expect(text).toMatch(/<details><summary>Full plan<\/summary>/);
    golden('changes.comment.md', text);
  });

  it('the terminal text names each change and its attributes, and what drifted', () => {
    golden('changes.plan.txt', renderPlanText(plan) + '\n');
    expect(renderPlanText(plan)).toMatch(
      /-\/\+ aws_security_group\.app \(replace\)\n\s+description: "app v1" -> "app v2" {2}\(forces replacement\)/,
    );
  });

  it('matches the golden drift report and text', () => {
    golden('drift.report.md', renderDriftMarkdown(drift));
    golden('drift.report.txt', renderDriftText(drift) + '\n');
  });

  it('no seeded secret appears in the comment, the text, the drift report or the JSON', () => {
    const outputs = [
      planComment(plan),
      renderPlanText(plan),
      JSON.stringify(redactValue(plan)),
      renderDriftMarkdown(drift),
      renderDriftText(drift),
      JSON.stringify(redactValue(drift)),
    ];
    // The fixtures hold the seeds (terraform's own JSON): the check would catch a leak.
    expect(JSON.stringify(show('changes'))).toContain(SEEDS[0]);
    for (const out of outputs) for (const seed of SEEDS) expect(out).not.toContain(seed);
  });

  it("fits GitHub's comment limit: the folded plan goes first, then the attribute tables, and it says so", () => {
    const many = result(Array.from({ length: 120 }, (_, i) => stack(`app-prod-s${i}`, 'changes')));
    const text = planComment(many);
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(text.split('\n')[0]).toBe('<!-- berth-plan:prod -->');
    expect(text).not.toMatch(/<details><summary>Full plan/);
    expect(text).toMatch(/Shortened to fit|cut at 60000 characters/);
    const small = planComment(plan, { limit: 3000 });
    expect(small.length).toBeLessThanOrEqual(3000);
    expect(small).toContain('aws_security_group.app');
  });
});
