/** Printing runbooks: a list, or one runbook with its steps and the check ids / commands that do them. */
import type { Runbook } from './catalog.js';

type Paint = (style: 'dim' | 'bold' | 'cyan', s: string) => string;

export function renderList(books: readonly Runbook[], paint: Paint): string {
  const lines = [paint('bold', 'Runbooks (berth runbook <name>):'), ''];
  for (const kind of ['incident', 'checklist'] as const) {
    lines.push(paint('bold', kind === 'incident' ? 'Incidents' : 'Checklists'));
    for (const r of books.filter((b) => b.kind === kind)) lines.push(`  ${r.name.padEnd(24)} ${r.title}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

export function renderRunbook(r: Runbook, paint: Paint): string {
  const lines = [paint('bold', `${r.title}`), paint('dim', `${r.kind} · berth runbook ${r.name}`), '', r.summary];
  if (r.symptoms?.length) {
    lines.push('', paint('bold', 'Symptoms'));
    for (const s of r.symptoms) lines.push(`  - ${s}`);
  }
  if (r.cause) lines.push('', paint('bold', 'Cause'), `  ${r.cause}`);
  lines.push('', paint('bold', 'Steps'));
  r.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.text}`);
    if (s.checks?.length) lines.push(`     ${paint('dim', 'doctor:')} ${s.checks.join(', ')}`);
    if (s.command) lines.push(`     ${paint('dim', 'run:')} ${paint('cyan', s.command)}`);
  });
  if (r.fix?.length) {
    lines.push('', paint('bold', 'Fix'));
    for (const f of r.fix) lines.push(`  ${f}`);
  }
  if (r.doctor) lines.push('', `${paint('bold', 'All at once:')} ${paint('cyan', r.doctor)}`);
  return lines.join('\n');
}
