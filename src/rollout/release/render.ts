/** A progressive release for people: its stages with their weights and times, the evidence, the rollback. Pure. */
import type { ReleaseReport } from './report.js';

const hms = (iso?: string) => (iso ? iso.slice(11, 19) : '…');

export function renderRelease(r: ReleaseReport): string[] {
  const lines = [`  ${r.strategy} release ${r.deploymentArn.split('/').pop()} (steps ${r.plannedSteps.map((w) => `${w}%`).join(' → ')})`];
  for (const s of r.stages)
    lines.push(
      `    ${hms(s.startedAt)}–${hms(s.endedAt)}  ${s.stage.padEnd(30)} production ${s.production.new}% new / ${s.production.old}% old` +
        (s.testToNew !== undefined ? `, test ${s.testToNew}% new` : ''),
    );
  if (r.metrics)
    lines.push(
      `  new target group: ${r.metrics.requests} requests, ${r.metrics.http5xx} 5xx${r.metrics.latencySeconds !== undefined ? `, ${r.metrics.latencySeconds.toFixed(3)} s average` : ''}`,
    );
  const rb = r.rollback;
  if (rb) {
    const who =
      rb.by === 'berth'
        ? 'berth (StopServiceDeployment ROLLBACK)'
        : rb.by === 'ecs'
          ? 'ECS (circuit breaker / alarms)'
          : 'someone outside this watch';
    const after =
      rb.trafficBackAfterFirstFailureSeconds !== undefined
        ? `, ${rb.trafficBackAfterFirstFailureSeconds}s after the first failing evidence`
        : '';
    lines.push(
      `  rollback by ${who}: ${rb.verdict}${rb.trafficBackAt ? `; traffic back on the old revision at ${hms(rb.trafficBackAt)}${after}` : ''}`,
    );
  }
  return lines;
}
