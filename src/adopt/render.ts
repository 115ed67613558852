/** adopt's text report: per stack, what is imported (and from what), what is created and why, then what is left alone. Pure. */
import { stackOrder } from '../config/names.js';
import { redact } from '../output/redact.js';
import type { AdoptResult } from './run.js';

export function renderAdopt(r: AdoptResult): string {
  const out = [
    `${r.environment}: ${r.counts.imported} existing resources imported, ${r.counts.created} created, ${r.counts.leftAlone} left alone`,
    '',
  ];
  for (const kind of stackOrder()) {
    const ds = r.decisions.filter((d) => d.kind === kind);
    if (!ds.length) continue;
    out.push(`${kind}:`);
    for (const d of ds.filter((x) => x.action === 'import')) out.push(`  import  ${d.address} <- ${d.id}`);
    for (const d of ds.filter((x) => x.action === 'create')) out.push(`  create  ${d.address}: ${d.why}`);
  }
  if (r.leftAlone.length) {
    out.push('', "Left alone (exists, berth's stacks do not express it; never deleted):");
    for (const x of r.leftAlone) out.push(`  ${x.kind}: ${x.resource}: ${x.why}`);
  }
  out.push(
    '',
    `Import ids written to ${r.file}. Next: \`berth plan --env ${r.environment}\` shows the imports and every change berth would make.`,
  );
  return redact(out.join('\n')) + '\n';
}
