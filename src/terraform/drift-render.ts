/**
 * How `berth drift` reads: for a person (each drifted attribute, before -> after) and as an issue or
 * comment body (Markdown, with a marker a workflow finds to update it). Values are masked upstream
 * (plan-detail); everything still goes through redact. Pure.
 */
import { redact } from '../output/redact.js';
import type { DriftResult } from './drift.js';
import { COMMENT_LIMIT, md } from './plan-comment.js';

export function driftMarker(env: string): string {
  return `<!-- berth-drift:${env} -->`;
}

export function driftHeadline(r: DriftResult): string {
  const failed = r.stacks.filter((s) => s.status === 'failed').length;
  if (failed) return `drift check of ${r.environment} failed for ${failed} stack${failed === 1 ? '' : 's'}`;
  if (!r.drifted) return `${r.environment}: no drift; every applied stack matches its state`;
  return `${r.environment}: ${r.resources} resource${r.resources === 1 ? '' : 's'} changed outside terraform`;
}

export function renderDriftText(r: DriftResult): string {
  const lines = [driftHeadline(r), ''];
  for (const s of r.stacks) {
    const checked = s.drift.length ? `${s.drift.length} drifted` : 'no drift';
    const what = s.status === 'not-applied' ? 'not applied yet' : s.status === 'failed' ? 'failed' : checked;
    lines.push(`  ${s.stack}: ${what}`);
    for (const d of s.drift) {
      lines.push(`    ${d.action === 'destroy' ? '- deleted outside terraform:' : '~'} ${d.address}`);
      for (const a of d.attributes) lines.push(`        ${a.path}: ${a.before} -> ${a.after}`);
    }
    if (s.error) lines.push(...s.error.message.split('\n').map((l) => `    ${l}`), ...(s.error.hint ? [`    hint: ${s.error.hint}`] : []));
  }
  if (r.drifted) {
    const how = `Bring it back with \`berth plan --env ${r.environment}\` then \`berth apply\`, or adopt the change in the configuration.`;
    lines.push('', how);
  }
  return redact(lines.join('\n'));
}

export function renderDriftMarkdown(r: DriftResult, limit = COMMENT_LIMIT): string {
  const icon = r.exitCode === 0 ? '✅' : r.drifted && r.exitCode === 30 ? '⚠️' : '❌';
  const out = [driftMarker(r.environment), `### ${icon} berth drift: ${md(driftHeadline(r))}`, ''];
  for (const s of r.stacks.filter((x) => x.drift.length || x.error)) {
    out.push(`#### \`${s.stack}\``, '');
    for (const d of s.drift) {
      out.push(d.action === 'destroy' ? `- \`${md(d.address)}\` was **deleted** outside terraform` : `- \`${md(d.address)}\``);
      if (!d.attributes.length) continue;
      out.push('', '  | attribute | in state | now |', '  | --- | --- | --- |');
      out.push(...d.attributes.map((a) => `  | ${md(a.path)} | ${md(a.before)} | ${md(a.after)} |`), '');
    }
    if (s.error) out.push('```', s.error.message.replace(/```/g, "'''"), '```');
    out.push('');
  }
  out.push(`<sub>Sensitive and secret-looking values are masked. Exit code ${r.exitCode} (0 no drift, 30 drift, 1 error).</sub>`);
  const text = redact(out.join('\n')) + '\n';
  if (text.length <= limit) return text;
  const note = `\n\n**… cut at ${limit} characters.** \`berth drift --env ${r.environment} --json\` has every detail.\n`;
  return text.slice(0, limit - note.length) + note;
}
