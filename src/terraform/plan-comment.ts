/**
 * The pull-request comment of a plan (`berth plan --markdown FILE`), in the manner of tfcmt and
 * Atlantis: a one-line total first, then per stack each resource with its action, the attributes
 * that change (before -> after, sensitive and secret-looking values masked by plan-detail), what
 * forces each replacement, what changed outside terraform, terraform's warnings, and the whole plan
 * folded below. It fits GitHub's comment limit (65,536 characters): when it would not, it drops
 * detail in steps (the folded plan first, then attribute tables) and says so. Pure.
 */
import { redact } from '../output/redact.js';
import type { PlanResult, StackPlan } from './orchestrate.js';
import { UNKNOWN, SIGN, type AttributeChange, type ResourceDetail } from './plan-detail.js';
import { countsLine } from './plan-summary.js';
import { createWhy, updateWhy } from './plan-why.js';

/** GitHub refuses comments over 65,536 characters; the plan workflow appends a little (check findings). */
export const COMMENT_LIMIT = 60_000;

/** How much detail a rendering keeps: 0 everything ... 3 addresses only. */
type Level = 0 | 1 | 2 | 3;

const MD_ESCAPES: Record<string, string> = { '|': '\\|', '`': "'", '<': '&lt;', '>': '&gt;', '\\': '\\\\', '\n': ' ' };
/** Text safe inside a Markdown table cell or paragraph. */
export const md = (s: string) => s.replace(/[|`<>\\\n]/g, (c) => MD_ESCAPES[c]!);
const fence = (s: string) => s.replace(/```/g, "'''");
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function planMarker(env: string): string {
  return `<!-- berth-plan:${env} -->`;
}

/** "prod: 3 to add, 1 to change, 2 to destroy; 1 replaced; 1 resource changed outside terraform" */
export function totalLine(r: PlanResult): string {
  const failed = r.stacks.filter((x) => x.status === 'failed').length;
  if (failed) return `${r.environment}: plan failed for ${plural(failed, 'stack')}`;
  const replaced = r.stacks.reduce((n, p) => n + (p.summary?.replaced.length ?? 0), 0);
  const drifted = r.stacks.reduce((n, p) => n + (p.detail?.drift.length ?? 0), 0);
  const waiting = r.stacks.filter((x) => x.status === 'waiting').length;
  const parts = [r.changes || drifted ? countsLine(r.totals) : 'no changes'];
  if (replaced) parts.push(`${replaced} replaced`);
  if (drifted) parts.push(`${plural(drifted, 'resource')} changed outside terraform`);
  if (waiting) parts.push(`${plural(waiting, 'stack')} planned during apply`);
  return `${r.environment}: ${parts.join('; ')}`;
}

function attributeTable(attrs: AttributeChange[], cap: number): string[] {
  if (!attrs.length || cap === 0) return [];
  const shown = attrs.slice(0, cap);
  const forces = (a: AttributeChange) => (a.forcesReplacement ? ' **(forces replacement)**' : '');
  const rows = shown.map((a) => `  | ${md(a.path)}${forces(a)} | ${md(a.before)} | ${md(a.after)} |`);
  const more = attrs.length > cap ? [`  | … ${attrs.length - cap} more | | |`] : [];
  return ['', '  | attribute | before | after |', '  | --- | --- | --- |', ...rows, ...more, ''];
}

/** What a reader needs of a replacement: the attributes that force it, and those that change, not the computed ones. */
function summaryAttributes(r: ResourceDetail): AttributeChange[] {
  if (r.action === 'update') return r.attributes;
  if (r.action === 'replace') return r.attributes.filter((a) => a.forcesReplacement || a.after !== UNKNOWN);
  return [];
}

function resourceLines(r: ResourceDetail, level: Level, adopting = false): string[] {
  const forced = r.forcedBy.length ? ` — forced by ${r.forcedBy.map((f) => `\`${md(f)}\``).join(', ')}` : '';
  const why = r.reason === 'delete_because_no_resource_config' ? ' — removed from the configuration' : '';
  const imp = r.importing ? '**import**, then ' : '';
  const because = adopting && r.action === 'create' ? ` — ${md(createWhy(r.address))}` : '';
  const head = `- \`${SIGN[r.action]}\` ${imp}**${r.action}** \`${md(r.address)}\`${forced}${why}${because}`;
  const cap = level === 0 || level === 1 ? 25 : level === 2 ? 3 : 0;
  const whys = r.importing && r.action === 'update' ? [...new Set(updateWhy(r).map((w) => w.why))] : [];
  return [head, ...(whys.length ? [`  - why: ${md(whys.join('; '))}`] : []), ...attributeTable(summaryAttributes(r), cap)];
}

function driftLines(r: ResourceDetail, level: Level): string[] {
  const what = r.action === 'destroy' ? 'was **deleted**' : 'changed';
  const head = `- \`${md(r.address)}\` ${what} outside terraform`;
  return [head, ...attributeTable(r.attributes, level <= 1 ? 25 : level === 2 ? 3 : 0)];
}

function stackSection(p: StackPlan, level: Level): string[] {
  const d = p.detail;
  if (!d || (!d.changes.length && !d.drift.length && !p.warnings?.length && !d.imports.length)) return [];
  const out = [`#### \`${p.stack}\` — ${p.summary ? countsLine(p.summary) : ''}`, ''];
  const changed = new Set(d.changes.map((c) => c.address));
  for (const a of d.imports.filter((x) => !changed.has(x))) out.push(`- \`<=\` **import** \`${md(a)}\` (no change)`);
  for (const r of d.changes) out.push(...resourceLines(r, level, d.imports.length > 0));
  if (d.drift.length) {
    out.push('', '**Changed outside terraform** (the plan takes these into account):', '');
    out.push(...d.drift.flatMap((r) => driftLines(r, level)));
  }
  const outputs = d.outputs.filter((o) => !o.name.startsWith('cross-stack-output-'));
  const output = (o: (typeof outputs)[number]) => `\`${md(o.name)}\` (${o.action}${o.sensitive ? ', sensitive' : ''})`;
  if (outputs.length) out.push('', `Outputs: ${outputs.map(output).join(', ')}`);
  return [...out, ''];
}

function warningLines(r: PlanResult): string[] {
  const line = (stack: string, w: NonNullable<StackPlan['warnings']>[number]) => {
    const at = w.address ? ` \`${md(w.address)}\`` : '';
    return `- \`${stack}\`${at}: ${md(w.summary)}${w.detail ? ` — ${md(w.detail.slice(0, 300))}` : ''}`;
  };
  const ws = r.stacks.flatMap((p) => (p.warnings ?? []).map((w) => line(p.stack, w)));
  return ws.length ? ['', '**⚠️ Warnings**', '', ...ws] : [];
}

/** The whole plan, every attribute of every change, as a diff block per stack. */
export function fullPlanText(r: PlanResult): string {
  const out: string[] = [];
  for (const p of r.stacks.filter((x) => x.detail?.changes.length)) {
    out.push(`# ${p.stack}`);
    for (const c of p.detail!.changes) {
      const sign = c.action === 'create' ? '+' : c.action === 'destroy' ? '-' : c.action === 'replace' ? '!' : '~';
      out.push(`${sign} ${c.address} (${c.action}${c.forcedBy.length ? `, forced by ${c.forcedBy.join(', ')}` : ''})`);
      for (const a of c.attributes) {
        const value = c.action === 'create' ? a.after : `${a.before} -> ${a.after}`;
        out.push(`${sign}     ${a.path}: ${value}${a.forcesReplacement ? '  # forces replacement' : ''}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** A stack's state in a word or two (also the text output's column). */
export function stackStatus(p: StackPlan): string {
  switch (p.status) {
    case 'planned': {
      if (!p.changes) return 'no changes';
      const s = p.summary!;
      return countsLine(s) + (s.outputsChanged.length && !(s.add + s.change + s.destroy) ? ' (outputs change)' : '');
    }
    case 'waiting':
      return `waits on ${p.waitsOn!.join(', ')}: planned once that is applied`;
    case 'blocked':
      return `not planned: ${p.blockedBy!.join(', ')} failed`;
    case 'failed':
      return 'plan failed';
  }
}

/** Without the detail (no `terraform show`): the addresses the plan's summary names. */
function summarySection(p: StackPlan): string[] {
  const s = p.summary;
  if (!s || !p.changes || p.detail) return [];
  const out = [`#### \`${p.stack}\` — ${countsLine(s)}`, ''];
  const group = (sign: string, action: string, xs: string[]) => xs.forEach((a) => out.push(`- \`${sign}\` **${action}** \`${md(a)}\``));
  group('+', 'create', s.created);
  group('~', 'update', s.updated);
  group('-/+', 'replace', s.replaced);
  group('-', 'destroy', s.destroyed);
  group('<=', 'import', s.imported);
  return [...out, ''];
}

/** Replacements and destructions, named up front: what a reviewer must not miss. */
function alarmLines(r: PlanResult): string[] {
  const forced = (p: StackPlan, a: string) => {
    const f = p.detail?.changes.find((c) => c.address === a)?.forcedBy ?? [];
    return f.length ? ` (forced by ${f.map((x) => `\`${md(x)}\``).join(', ')})` : '';
  };
  const replaced = r.stacks.flatMap((p) => (p.summary?.replaced ?? []).map((a) => `- \`${p.stack}\`: \`${md(a)}\`${forced(p, a)}`));
  const destroyed = r.stacks.flatMap((p) => (p.summary?.destroyed ?? []).map((a) => `- \`${p.stack}\`: \`${md(a)}\``));
  const out: string[] = [];
  if (replaced.length) out.push('**⚠️ Replaced** (destroyed and created again):', ...replaced, '');
  if (destroyed.length) out.push('**⚠️ Destroyed:**', ...destroyed, '');
  return out;
}

function render(r: PlanResult, level: Level, title: string, cost?: string): string {
  const icon = r.exitCode === 0 ? '✅' : r.exitCode === 2 ? '📝' : '❌';
  const out = [planMarker(r.environment), `### ${icon} ${title}: ${md(totalLine(r))}`, ''];
  out.push('| stack | add | change | destroy | status |', '| --- | ---: | ---: | ---: | --- |');
  for (const p of r.stacks) {
    const n = (k: 'add' | 'change' | 'destroy') => (p.status === 'planned' && p.summary ? String(p.summary[k]) : '–');
    out.push(`| \`${p.stack}\` | ${n('add')} | ${n('change')} | ${n('destroy')} | ${md(stackStatus(p))} |`);
  }
  if (cost) out.push('', cost); // the monthly estimate and what this change moves (src/cost/plan-line.ts)
  out.push('', ...alarmLines(r));
  for (const p of r.stacks) out.push(...stackSection(p, level), ...summarySection(p));
  out.push(...warningLines(r));
  for (const p of r.stacks.filter((x) => x.error)) out.push('', `**${p.stack}** failed:`, '', '```', fence(p.error!.message), '```');
  const full = fullPlanText(r);
  if (full && level === 0) out.push('', '<details><summary>Full plan</summary>', '', '```diff', fence(full), '```', '</details>');
  if (full && level > 0) {
    const left = level === 1 ? 'the full plan' : 'the full plan and attribute tables';
    const all = `\`berth plan --env ${r.environment} --json\` has every detail`;
    out.push('', `<sub>Shortened to fit a pull-request comment (${left} left out): ${all}.</sub>`);
  }
  out.push('', `<sub>Sensitive and secret-looking values are masked. Exit code ${r.exitCode} (0 no changes, 2 changes, 1 error).</sub>`);
  return redact(out.join('\n')) + '\n';
}

/** The comment, at the most detail that fits `limit` characters. */
export function planComment(r: PlanResult, opts: { title?: string; limit?: number; cost?: string } = {}): string {
  const limit = opts.limit ?? COMMENT_LIMIT;
  for (const level of [0, 1, 2, 3] as const) {
    const text = render(r, level, opts.title ?? 'berth plan', opts.cost);
    if (text.length <= limit) return text;
  }
  const text = render(r, 3, opts.title ?? 'berth plan', opts.cost);
  const note = `\n\n**… cut at ${limit} characters.** \`berth plan --env ${r.environment} --json\` has every detail.\n`;
  return text.slice(0, limit - note.length) + note;
}
