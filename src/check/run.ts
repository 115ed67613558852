/**
 * `berth check`: run every rule over every resource of every synthesized stack, then apply the
 * environment's waivers (a waiver names a rule, optionally one resource, and always a reason).
 * `checkStacks` is pure; `checkEnvironment` synthesizes first (into a scratch folder, so the
 * working folders of plan/apply are left alone) and reads the cdk.tf.json files.
 */
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { paths, projectDir } from '../config/paths.js';
import type { EnvironmentConfig } from '../config/types.js';
import { EXIT } from '../output/exit-codes.js';
import { RULES, type Rule, type Severity } from './rules.js';
import { parseStack, type TfJson, type TfStack } from './tfjson.js';

export interface Waiver {
  rule: string;
  resource?: string;
  reason: string;
}

export interface Finding {
  rule: string;
  title: string;
  severity: Severity;
  stack: string;
  /** The resource address within its stack, e.g. `aws_lb.edge_alb`. */
  resource: string;
  message: string;
  fix: string;
  /** Why the rule matters (what AWS does without it, or the public control it follows). */
  reason?: string;
  /** Set when a waiver in the environment config accepts this finding. */
  waived?: { reason: string };
}

export interface CheckReport {
  environment: string;
  ok: boolean;
  /** 0 no unwaived finding, 1 otherwise. */
  exitCode: number;
  stacks: number;
  resources: number;
  rules: { id: string; title: string; severity: Severity }[];
  findings: Finding[];
  waived: Finding[];
  /** Waivers that matched nothing (a fixed problem, or a typo in the rule id or resource). */
  unusedWaivers: Waiver[];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Does this waiver cover this finding? `resource` is `<stack>/<address>` or just `<address>`. */
export function waiverMatches(w: Waiver, f: Pick<Finding, 'rule' | 'stack' | 'resource'>): boolean {
  if (w.rule !== f.rule) return false;
  if (!w.resource) return true;
  return w.resource === `${f.stack}/${f.resource}` || w.resource === f.resource;
}

/** Run the rules over parsed stacks. Pure. */
export function checkStacks(
  environment: string,
  stacks: { name: string; json: TfJson }[],
  opts: { sandbox: boolean; waivers?: Waiver[]; rules?: readonly Rule[] },
): CheckReport {
  const rules = opts.rules ?? RULES;
  const parsed: TfStack[] = stacks.map((s) => parseStack(s.name, s.json));
  const ctx = { sandbox: opts.sandbox, stacks: parsed };
  const all: Finding[] = [];
  for (const st of parsed) {
    for (const r of st.resources) {
      const key = r.mode === 'data' ? `data.${r.type}` : r.type;
      for (const rule of rules) {
        if (!rule.types.includes(key)) continue;
        for (const message of rule.check(r, ctx))
          all.push({
            ...{ rule: rule.id, title: rule.title, severity: rule.severity, stack: st.name, resource: r.address, message, fix: rule.fix },
            ...(rule.reason ? { reason: rule.reason } : {}),
          });
      }
    }
  }
  const waivers = opts.waivers ?? [];
  const used = new Set<Waiver>();
  for (const f of all) {
    const w = waivers.find((x) => waiverMatches(x, f));
    if (w) {
      f.waived = { reason: w.reason };
      used.add(w);
    }
  }
  const order = (a: Finding, b: Finding) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.rule.localeCompare(b.rule) ||
    a.stack.localeCompare(b.stack) ||
    a.resource.localeCompare(b.resource);
  const findings = all.filter((f) => !f.waived).sort(order);
  const waived = all.filter((f) => f.waived).sort(order);
  const ok = findings.length === 0;
  return {
    environment,
    ok,
    exitCode: ok ? EXIT.OK : EXIT.FAILED,
    stacks: parsed.length,
    resources: parsed.reduce((n, s) => n + s.resources.length, 0),
    rules: rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity })),
    findings,
    waived,
    unusedWaivers: waivers.filter((w) => !used.has(w)),
  };
}

export type SynthFn = (env: EnvironmentConfig, opts: { outdir?: string }) => Promise<{ outdir: string; stacks: { name: string }[] }>;

/** Synthesize the environment into a scratch folder and check it. */
export async function checkEnvironment(env: EnvironmentConfig, opts: { synth?: SynthFn; project?: string } = {}): Promise<CheckReport> {
  const synth: SynthFn =
    opts.synth ??
    (async (e, o) => {
      const { synthEnvironment } = await import('../../stacks/synth.js');
      return synthEnvironment(e, o);
    });
  const work = paths.workDir(env.name, opts.project ?? projectDir());
  mkdirSync(work, { recursive: true });
  const scratch = mkdtempSync(join(work, 'check-'));
  try {
    const res = await synth(env, { outdir: scratch });
    const manifest = JSON.parse(readFileSync(join(res.outdir, 'manifest.json'), 'utf8')) as {
      stacks?: Record<string, { synthesizedStackPath?: string }>;
    };
    const stacks = Object.entries(manifest.stacks ?? {}).map(([name, s]) => ({
      name,
      json: JSON.parse(readFileSync(join(res.outdir, s.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json')), 'utf8')) as TfJson,
    }));
    return checkStacks(env.name, stacks, { sandbox: env.sandbox, waivers: env.waivers });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function renderCheckText(r: CheckReport): string {
  const lines: string[] = [];
  const head = r.ok
    ? `${r.environment}: no findings (${r.rules.length} rules over ${r.resources} resources in ${r.stacks} stacks${r.waived.length ? `; ${r.waived.length} waived` : ''})`
    : `${r.environment}: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${r.rules.length} rules over ${r.resources} resources in ${r.stacks} stacks)`;
  lines.push(head);
  for (const f of r.findings) {
    lines.push('', `${f.severity.toUpperCase()} ${f.rule} ${f.title}`, `  ${f.stack} / ${f.resource}: ${f.message}`, `  fix: ${f.fix}`);
    if (f.reason) lines.push(`  why: ${f.reason}`);
  }
  if (r.waived.length) {
    lines.push('', 'Waived:');
    for (const f of r.waived) lines.push(`  ${f.rule} ${f.stack} / ${f.resource}: ${f.message} (waived: ${f.waived!.reason})`);
  }
  for (const w of r.unusedWaivers)
    lines.push(
      '',
      `note: the waiver of ${w.rule}${w.resource ? ` for ${w.resource}` : ''} matches no finding; remove it if the problem is fixed.`,
    );
  return lines.join('\n');
}
