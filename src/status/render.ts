/** `berth status` for people: the report as text (JSON is the report itself). Pure. */
import type { TargetTally } from '../ecs/targets.js';
import type { DeploymentStatus, ReleaseRevision, ReleaseStatus, ServiceStatus, StatusReport } from './types.js';

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

export function age(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function deploymentLines(d: DeploymentStatus, paint: Paint): string[] {
  const state = d.rolloutState ?? d.status ?? '?';
  const colour = state === 'FAILED' ? 'red' : state === 'COMPLETED' ? 'green' : 'yellow';
  const pending = d.pending ? ` ${d.pending} pending` : '';
  const failed = d.failedTasks ? paint('red', ` ${d.failedTasks} failed`) : '';
  const counts = `${d.running}/${d.desired} running${pending}${failed}`;
  const lines = [
    `  ${(d.status ?? '').padEnd(8)} rev ${String(d.revision ?? '?').padEnd(4)} ${paint(colour, state.padEnd(11))} ` +
      `${counts}  age ${age(d.ageSeconds)}  ${d.image ?? ''}`,
  ];
  if (d.rolloutState === 'FAILED' && d.rolloutStateReason) lines.push(`           ${paint('red', d.rolloutStateReason)}`);
  return lines;
}

function targetsLine(t: TargetTally | null, paint: Paint): string {
  if (!t) return '  targets: no load balancer';
  const parts = [`${t.healthy} healthy`];
  if (t.unhealthy) parts.push(paint('red', `${t.unhealthy} unhealthy`));
  if (t.initial) parts.push(`${t.initial} initial`);
  if (t.draining) parts.push(`${t.draining} draining`);
  if (t.other) parts.push(`${t.other} other`);
  const reasons = Object.entries(t.reasons).map(([k, v]) => `${k} x${v}`);
  return `  targets: ${parts.join(', ')} of ${t.total}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
}

function revisionLine(label: string, r: ReleaseRevision): string {
  const w = r.productionWeight !== undefined ? `${r.productionWeight}%` : '?';
  return `    ${label} rev ${String(r.revision ?? '?').padEnd(4)} ${w.padStart(6)} of production  ${r.running}/${r.requested} running  ${r.image ?? ''}`;
}

function releaseLines(r: ReleaseStatus, paint: Paint): string[] {
  const stage = (r.stage ?? r.status ?? '?').toLowerCase().replace(/_/g, ' ');
  const colour = /ROLLBACK/.test(r.status ?? '') ? 'red' : 'yellow';
  return [
    `  ${paint(colour, `${(r.strategy ?? 'release').toLowerCase().replace('_', '-')} release ${r.status ?? ''}`)}: ${stage}, ` +
      `production ${r.production.new}% new / ${r.production.old}% old`,
    ...(r.new ? [revisionLine('new', r.new)] : []),
    ...r.old.map((o) => revisionLine('old', o)),
  ];
}

function serviceLines(s: ServiceStatus, paint: Paint): string[] {
  if (!s.found) return [`${paint('bold', s.name)}: ${paint('red', 'not found')} (not deployed?)`];
  const counts = `${s.running}/${s.desired} running${s.pending ? `, ${s.pending} pending` : ''}`;
  const range = s.autoscaling ? `  (autoscaling ${s.autoscaling.min}..${s.autoscaling.max})` : '';
  const lines = [`${paint('bold', s.name)}: ${paint(s.settled ? 'green' : 'yellow', counts)}${range}`];
  if (s.release) lines.push(...releaseLines(s.release, paint));
  for (const d of s.deployments) lines.push(...deploymentLines(d, paint));
  lines.push(targetsLine(s.targets, paint));
  if (s.events.length) {
    lines.push('  events:');
    for (const e of s.events) lines.push(`    ${paint('dim', e.at ?? '')} ${e.message}`);
  }
  return lines;
}

function alarmLines(r: StatusReport, paint: Paint): string[] {
  if (!r.alarms.length) return [paint('green', 'alarms: none in ALARM')];
  return [
    paint('red', `alarms in ALARM (${r.alarms.length}):`),
    ...r.alarms.map((a) => `  ${a.name}${a.since ? ` since ${a.since}` : ''}${a.reason ? `: ${a.reason}` : ''}`),
  ];
}

export function renderStatus(r: StatusReport, paint: Paint = (_s, x) => x): string {
  const lines: string[] = [`${r.environment} (cluster ${r.cluster}) at ${r.at}`];
  for (const s of r.services) lines.push('', ...serviceLines(s, paint));
  lines.push('', ...alarmLines(r, paint));
  for (const n of r.notes) lines.push(paint('dim', `note: ${n}`));
  return lines.join('\n');
}
