/**
 * How plan, apply, destroy and outputs results read: for a person (text), for a pull-request
 * comment (Markdown) and for a script (the result objects themselves, through Reporter.result).
 * Pure. Summaries carry addresses and names only; every text still goes through redact on output.
 */
import { redact } from '../output/redact.js';
import type { ApplyResult, DestroyResult, OutputsResult, PlanResult, StackPlan } from './orchestrate.js';
import { countsLine } from './plan-summary.js';

function stackStatus(p: StackPlan): string {
  switch (p.status) {
    case 'planned':
      return p.changes ? countsLine(p.summary!) + (p.summary!.outputsChanged.length && !(p.summary!.add + p.summary!.change + p.summary!.destroy) ? ' (outputs change)' : '') : 'no changes';
    case 'waiting':
      return `waits on ${p.waitsOn!.join(', ')}: planned once that is applied`;
    case 'blocked':
      return `not planned: ${p.blockedBy!.join(', ')} failed`;
    case 'failed':
      return 'plan failed';
  }
}

export function planHeadline(r: PlanResult): string {
  const waiting = r.stacks.filter((x) => x.status === 'waiting').length;
  const failed = r.stacks.filter((x) => x.status === 'failed').length;
  if (failed) return `plan of ${r.environment} failed for ${failed} stack${failed === 1 ? '' : 's'}`;
  if (!r.changes) return `${r.environment}: no changes; the infrastructure matches the configuration`;
  return `${r.environment}: ${countsLine(r.totals)}${waiting ? `; ${waiting} stack${waiting === 1 ? '' : 's'} wait${waiting === 1 ? 's' : ''} on others and will be planned during apply` : ''}`;
}

export function renderPlanText(r: PlanResult): string {
  const width = Math.max(...r.stacks.map((x) => x.stack.length), 5);
  const lines = [planHeadline(r), ''];
  for (const p of r.stacks) lines.push(`  ${p.stack.padEnd(width)}  ${stackStatus(p)}`);
  const replaced = r.stacks.flatMap((p) => (p.summary?.replaced ?? []).map((a) => `${p.stack}: ${a}`));
  const destroyed = r.stacks.flatMap((p) => (p.summary?.destroyed ?? []).map((a) => `${p.stack}: ${a}`));
  if (replaced.length) lines.push('', 'Replaced (destroyed and created again):', ...replaced.map((x) => `  -/+ ${x}`));
  if (destroyed.length) lines.push('', 'Destroyed:', ...destroyed.map((x) => `  - ${x}`));
  for (const p of r.stacks.filter((x) => x.error)) {
    lines.push('', `${p.stack}:`, ...p.error!.message.split('\n').map((l) => `  ${l}`));
    if (p.error!.hint) lines.push(`  hint: ${p.error!.hint}`);
  }
  if (r.changes && r.exitCode === 2) lines.push('', `Saved in ${r.planDir}. Apply exactly this with \`berth apply --env ${r.environment}\`.`);
  return redact(lines.join('\n'));
}

const md = (s: string) => s.replace(/[|`<>]/g, (c) => ({ '|': '\\|', '`': "'", '<': '&lt;', '>': '&gt;' })[c]!);

/** A pull-request comment. The first line is a marker a workflow can find to update its comment. */
export function renderPlanMarkdown(r: PlanResult, opts: { title?: string } = {}): string {
  const icon = r.exitCode === 0 ? '✅' : r.exitCode === 2 ? '📝' : '❌';
  const out = [`<!-- berth-plan:${r.environment} -->`, `### ${icon} ${opts.title ?? 'berth plan'}: \`${r.environment}\``, '', `**${md(planHeadline(r))}**`, ''];
  out.push('| stack | add | change | destroy | status |', '| --- | ---: | ---: | ---: | --- |');
  for (const p of r.stacks) {
    const s = p.summary;
    const n = (k: 'add' | 'change' | 'destroy') => (p.status === 'planned' && s ? String(s[k]) : '–');
    out.push(`| \`${p.stack}\` | ${n('add')} | ${n('change')} | ${n('destroy')} | ${md(stackStatus(p))} |`);
  }
  const replaced = r.stacks.flatMap((p) => (p.summary?.replaced ?? []).map((a) => `- \`${p.stack}\`: \`${md(a)}\``));
  const destroyed = r.stacks.flatMap((p) => (p.summary?.destroyed ?? []).map((a) => `- \`${p.stack}\`: \`${md(a)}\``));
  if (replaced.length) out.push('', '**⚠️ Replaced** (destroyed and created again):', ...replaced);
  if (destroyed.length) out.push('', '**⚠️ Destroyed:**', ...destroyed);
  const detail = r.stacks.filter((p) => p.summary && p.changes);
  if (detail.length) {
    out.push('', '<details><summary>Every change</summary>', '');
    for (const p of detail) {
      const s = p.summary!;
      out.push(`**${p.stack}**`, '');
      const group = (sign: string, xs: string[]) => xs.forEach((a) => out.push(`    ${sign} ${a}`));
      group('+  ', s.created);
      group('~  ', s.updated);
      group('-/+', s.replaced);
      group('-  ', s.destroyed);
      group('<= ', s.imported.map((a) => `${a} (import)`));
      const outputs = s.outputsChanged.filter((o) => !o.startsWith('cross-stack-output-'));
      if (outputs.length) out.push(`    outputs: ${outputs.join(', ')}`);
      out.push('');
    }
    out.push('</details>');
  }
  for (const p of r.stacks.filter((x) => x.error)) out.push('', `**${p.stack}** failed:`, '', '```', p.error!.message, '```');
  out.push('', `<sub>No values are shown: names and addresses only. Exit code ${r.exitCode} (0 no changes, 2 changes, 1 error).</sub>`);
  return redact(out.join('\n')) + '\n';
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
    lines.push('', `The plans made during this apply are saved: review them above and run \`berth apply --env ${r.environment}\` again, or pass --yes.`);
  return redact(lines.join('\n'));
}

export function renderDestroyText(r: DestroyResult): string {
  const width = Math.max(...r.stacks.map((x) => x.stack.length), 5);
  const lines = [r.ok ? `${r.environment}: destroyed` : `${r.environment}: destroy did not finish`, ''];
  for (const x of r.stacks) lines.push(`  ${x.stack.padEnd(width)}  ${x.status === 'blocked' ? `kept: ${x.blockedBy!.join(', ')} still reads it` : x.status === 'empty' ? 'nothing to destroy' : x.status}`);
  for (const x of r.stacks.filter((s) => s.error)) {
    lines.push('', `${x.stack}:`, ...x.error!.message.split('\n').map((l) => `  ${l}`));
    if (x.error!.hint) lines.push(`  hint: ${x.error!.hint}`);
  }
  return redact(lines.join('\n'));
}

export function renderOutputsText(r: OutputsResult): string {
  const keys = Object.keys(r.outputs).sort();
  if (!keys.length) return `${r.environment}: no outputs yet${r.notApplied.length ? ' (not applied: ' + r.notApplied.join(', ') + ')' : ''}.`;
  const width = Math.max(...keys.map((k) => k.length));
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const lines = keys.map((k) => {
    const o = r.outputs[k]!;
    return `${k.padEnd(width)}  ${o.sensitive ? '(sensitive)' : show(o.value)}`;
  });
  if (r.notApplied.length) lines.push('', `Not applied yet: ${r.notApplied.join(', ')}.`);
  return redact(lines.join('\n'));
}
