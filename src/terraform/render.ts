/**
 * How plan, apply, destroy and outputs results read: for a person (text), for a pull-request
 * comment (Markdown) and for a script (the result objects themselves, through Reporter.result).
 * Pure. Summaries carry addresses and names only; every text still goes through redact on output.
 */
import { redact } from '../output/redact.js';
import type { ApplyResult, DestroyResult, OutputsResult, PlanResult } from './orchestrate.js';
import { planComment, stackStatus } from './plan-comment.js';
import { SIGN, UNKNOWN, type AttributeChange } from './plan-detail.js';
import { countsLine } from './plan-summary.js';
import { createWhy, updateWhy } from './plan-why.js';

export function planHeadline(r: PlanResult): string {
  const waiting = r.stacks.filter((x) => x.status === 'waiting').length;
  const failed = r.stacks.filter((x) => x.status === 'failed').length;
  if (failed) return `plan of ${r.environment} failed for ${failed} stack${failed === 1 ? '' : 's'}`;
  if (!r.changes) return `${r.environment}: no changes; the infrastructure matches the configuration`;
  const imported = r.stacks.reduce((n, p) => n + (p.summary?.imported.length ?? 0), 0);
  return `${r.environment}: ${imported ? `${imported} existing resource${imported === 1 ? '' : 's'} imported; ` : ''}${countsLine(r.totals)}${waiting ? `; ${waiting} stack${waiting === 1 ? '' : 's'} wait${waiting === 1 ? 's' : ''} on others and will be planned during apply` : ''}`;
}

/** What changes, attribute by attribute (from the plan detail; values already masked), for a terminal. */
function detailLines(r: PlanResult, cap = 10): string[] {
  const out: string[] = [];
  const attrs = (xs: AttributeChange[]) => [
    ...xs.slice(0, cap).map((a) => `        ${a.path}: ${a.before} -> ${a.after}${a.forcesReplacement ? '  (forces replacement)' : ''}`),
    ...(xs.length > cap ? [`        ... ${xs.length - cap} more (--json has them all)`] : []),
  ];
  for (const p of r.stacks.filter((x) => x.detail?.changes.length || x.detail?.drift.length || x.detail?.imports.length)) {
    out.push('', `${p.stack}:`);
    const d = p.detail!;
    const changed = new Set(d.changes.map((c) => c.address));
    // An adopted stack (it imports): every change says why berth makes it.
    const adopting = d.imports.length > 0;
    for (const a of d.imports.filter((x) => !changed.has(x))) out.push(`  <=  ${a} (import, no change)`);
    for (const c of d.changes) {
      const imp = c.importing ? 'import, then ' : '';
      const why = adopting && c.action === 'create' ? `: ${createWhy(c.address)}` : '';
      out.push(`  ${SIGN[c.action].padEnd(3)} ${c.address} (${imp}${c.action})${why}`);
      if (c.action === 'update' && c.importing) out.push(...whyLines(updateWhy(c), cap));
      else if (c.action === 'update' || c.action === 'replace')
        out.push(...attrs(c.attributes.filter((a) => a.forcesReplacement || a.after !== UNKNOWN)));
    }
    for (const x of d.drift) out.push(`  !   ${x.address} (changed outside terraform)`, ...attrs(x.attributes));
  }
  return out;
}

/** An adopted resource's changes: each attribute with why berth changes it. */
function whyLines(xs: ReturnType<typeof updateWhy>, cap: number): string[] {
  return [
    ...xs.slice(0, cap).map((w) => `        ${w.attribute}${w.before !== undefined ? `: ${w.before} -> ${w.after}` : ''}  (${w.why})`),
    ...(xs.length > cap ? [`        ... ${xs.length - cap} more (--json has them all)`] : []),
  ];
}

export function renderPlanText(r: PlanResult): string {
  const width = Math.max(...r.stacks.map((x) => x.stack.length), 5);
  const lines = [planHeadline(r), ''];
  for (const p of r.stacks) lines.push(`  ${p.stack.padEnd(width)}  ${stackStatus(p)}`);
  const replaced = r.stacks.flatMap((p) => (p.summary?.replaced ?? []).map((a) => `${p.stack}: ${a}`));
  const destroyed = r.stacks.flatMap((p) => (p.summary?.destroyed ?? []).map((a) => `${p.stack}: ${a}`));
  if (replaced.length) lines.push('', 'Replaced (destroyed and created again):', ...replaced.map((x) => `  -/+ ${x}`));
  if (destroyed.length) lines.push('', 'Destroyed:', ...destroyed.map((x) => `  - ${x}`));
  lines.push(...detailLines(r));
  for (const p of r.stacks.filter((x) => x.error)) {
    lines.push('', `${p.stack}:`, ...p.error!.message.split('\n').map((l) => `  ${l}`));
    if (p.error!.hint) lines.push(`  hint: ${p.error!.hint}`);
  }
  if (r.changes && r.exitCode === 2)
    lines.push('', `Saved in ${r.planDir}. Apply exactly this with \`berth apply --env ${r.environment}\`.`);
  return redact(lines.join('\n'));
}

/** A pull-request comment (see plan-comment.ts). The first line is a marker a workflow finds to update its comment. */
export function renderPlanMarkdown(r: PlanResult, opts: { title?: string; limit?: number; cost?: string } = {}): string {
  return planComment(r, opts);
}

export function renderApplyText(r: ApplyResult): string {
  const width = Math.max(...r.stacks.map((x) => x.stack.length), 5);
  const lines: string[] = [];
  const applied = r.stacks.filter((x) => x.status === 'applied').length;
  const head =
    r.exitCode === 0
      ? applied
        ? `${r.environment}: applied ${applied} stack${applied === 1 ? '' : 's'}`
        : `${r.environment}: nothing to apply`
      : r.stacks.some((x) => x.status === 'failed')
        ? `${r.environment}: apply failed`
        : `${r.environment}: not everything was applied`;
  lines.push(head, '');
  for (const x of r.stacks) {
    const what =
      x.status === 'blocked'
        ? `not applied: waits on ${x.blockedBy!.join(', ')}`
        : x.status === 'pending'
          ? `planned during apply, waits for approval${x.summary ? ` (${countsLine(x.summary)})` : ''}`
          : x.status === 'declined'
            ? 'not applied (declined)'
            : x.status === 'applied' && x.summary
              ? `applied (${countsLine(x.summary)})`
              : x.status;
    lines.push(`  ${x.stack.padEnd(width)}  ${what}`);
  }
  for (const x of r.stacks.filter((s) => s.error)) {
    lines.push('', `${x.stack}:`, ...x.error!.message.split('\n').map((l) => `  ${l}`));
    if (x.error!.hint) lines.push(`  hint: ${x.error!.hint}`);
  }
  if (r.stacks.some((x) => x.status === 'pending'))
    lines.push(
      '',
      `The plans made during this apply are saved: review them above and run \`berth apply --env ${r.environment}\` again, or pass --yes.`,
    );
  return redact(lines.join('\n'));
}

export function renderDestroyText(r: DestroyResult): string {
  const width = Math.max(...r.stacks.map((x) => x.stack.length), 5);
  const lines = [r.ok ? `${r.environment}: destroyed` : `${r.environment}: destroy did not finish`, ''];
  for (const x of r.stacks)
    lines.push(
      `  ${x.stack.padEnd(width)}  ${x.status === 'blocked' ? `kept: ${x.blockedBy!.join(', ')} still reads it` : x.status === 'empty' ? 'nothing to destroy' : x.status}`,
    );
  for (const x of r.stacks.filter((s) => s.error)) {
    lines.push('', `${x.stack}:`, ...x.error!.message.split('\n').map((l) => `  ${l}`));
    if (x.error!.hint) lines.push(`  hint: ${x.error!.hint}`);
  }
  return redact(lines.join('\n'));
}

export function renderOutputsText(r: OutputsResult): string {
  const keys = Object.keys(r.outputs).sort();
  if (!keys.length)
    return `${r.environment}: no outputs yet${r.notApplied.length ? ' (not applied: ' + r.notApplied.join(', ') + ')' : ''}.`;
  const width = Math.max(...keys.map((k) => k.length));
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const lines = keys.map((k) => {
    const o = r.outputs[k]!;
    return `${k.padEnd(width)}  ${o.sensitive ? '(sensitive)' : show(o.value)}`;
  });
  if (r.notApplied.length) lines.push('', `Not applied yet: ${r.notApplied.join(', ')}.`);
  return redact(lines.join('\n'));
}
