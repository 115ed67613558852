/** `berth health` for people: the report as text (JSON is the report itself). Pure. */
import type { HealthReport, ServiceHealth, TargetLine } from './types.js';

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

function targetLine(t: TargetLine, paint: Paint): string {
  const colour = t.state === 'healthy' ? 'green' : t.state === 'unhealthy' ? 'red' : 'yellow';
  const where = `${t.id}${t.port ? `:${t.port}` : ''}`.padEnd(21);
  const why = `${t.reason ? ` ${t.reason}` : ''}${t.description ? ` — ${t.description}` : ''}`;
  return `  target ${where} ${paint(colour, t.state.padEnd(10))}${why}`;
}

function targetsLines(targets: TargetLine[] | null, paint: Paint): string[] {
  if (!targets) return ['  targets: no load balancer'];
  if (!targets.length) return ['  targets: none registered'];
  return targets.map((t) => targetLine(t, paint));
}

function httpLine(h: ServiceHealth['http'], paint: Paint): string {
  const answer = h.status ? `HTTP ${h.status}` : paint('red', h.error ?? 'no answer');
  const latency = h.latencyMs !== undefined ? ` in ${h.latencyMs} ms` : '';
  return `  ${h.url}: ${answer}${latency}${h.requestUrl ? paint('dim', ` (via ${h.requestUrl})`) : ''}`;
}

function certificateLine(c: NonNullable<ServiceHealth['certificate']>): string {
  const left = Number.isNaN(c.daysLeft) ? 'expiry unknown' : `${c.daysLeft} days left`;
  return `  certificate: ${left} (until ${c.notAfter || '?'}, from ${c.source === 'acm' ? 'ACM' : 'the TLS handshake'})`;
}

function serviceLines(s: ServiceHealth, paint: Paint): string[] {
  const lines = [`${paint('bold', s.service)}: ${s.healthy ? paint('green', 'healthy') : paint('red', 'UNHEALTHY')}`];
  lines.push(...targetsLines(s.targets, paint), httpLine(s.http, paint));
  if (s.certificate) lines.push(certificateLine(s.certificate));
  for (const p of s.problems) lines.push(`  ${paint('red', '✗')} ${p}`);
  for (const w of s.warnings) lines.push(`  ${paint('yellow', '!')} ${w}`);
  return lines;
}

export function renderHealth(r: HealthReport, paint: Paint = (_s, x) => x): string {
  return r.services.flatMap((s) => serviceLines(s, paint)).join('\n');
}
