/** deploy, rollback, restart and scale for people: any OpResult as text (JSON is the result itself). Pure. */
import { shortTd } from '../ecs/ids.js';
import type { OpResult } from './op-types.js';
import { renderRelease } from './release/render.js';

/** Human rendering of any OpResult. */
export function renderOp(r: OpResult): string {
  const lines: string[] = [];
  const head: Record<string, string> = {
    succeeded: 'succeeded',
    failed: 'FAILED',
    'rolled-back-by-ecs': 'FAILED (ECS rolled it back)',
    superseded: 'SUPERSEDED by another deployment',
    'timed-out': 'TIMED OUT',
    'in-progress': 'in progress',
  };
  lines.push(`${r.command} ${r.service}: ${head[r.verdict] ?? r.verdict} after ${r.durations.verdictAfterSeconds}s (exit ${r.exitCode})`);
  if (r.command === 'deploy' || r.command === 'rollback')
    lines.push(
      `  ${shortTd(r.oldRevision.arn)} (${r.oldRevision.image ?? '?'}) -> ${shortTd(r.newRevision.arn)} (${r.newRevision.image ?? '?'})`,
    );
  else
    lines.push(
      `  ${shortTd(r.newRevision.arn)} (${r.newRevision.image ?? '?'})${r.desiredCount !== undefined ? `, desired ${r.desiredCount}` : ''}`,
    );
  if (r.release) lines.push(...renderRelease(r.release));
  else if (r.deploymentId) lines.push(`  deployment ${r.deploymentId}`);
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  for (const f of r.failures) {
    if (!f.logLines?.length) continue;
    lines.push(`  last log lines of task ${f.logTaskId} (${f.kind}):`);
    for (const l of f.logLines.slice(-15)) lines.push(`    | ${l}`);
  }
  if (r.rollback && !r.release) {
    const rb = r.rollback;
    lines.push(
      `rollback by ${rb.by === 'ecs' ? 'ECS (circuit breaker)' : 'berth'} to ${shortTd(rb.to.arn)}: ` +
        `${rb.verdict} after ${rb.durationSeconds}s`,
    );
    if (rb.verdict !== 'succeeded') for (const reason of rb.reasons) lines.push(`  - ${reason}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
