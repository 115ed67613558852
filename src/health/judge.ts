/**
 * The pure half of `berth health`: what was gathered (plain data) in, one verdict per service and
 * the report out. No I/O.
 */
import { explainTarget } from '../ecs/targets.js';
import type { TargetSnap } from '../ecs/types.js';
import type { CertificateInfo, GatheredService, HealthInput, HealthRaw, HealthReport, ServiceHealth, TargetLine } from './types.js';

/** Certificates closer to expiry than this are a warning (ACM renews at 60 days before). */
export const CERT_WARN_DAYS = 14;

const PENDING_HINT = " — check the validation CNAME and that the registrar delegates to the zone's name servers";

export function targetLines(list: TargetSnap[]): TargetLine[] {
  return list.map((t) => ({
    id: t.Target?.Id ?? '?',
    port: t.Target?.Port,
    state: t.TargetHealth?.State ?? 'unknown',
    reason: t.TargetHealth?.Reason,
    description: t.TargetHealth?.Description,
  }));
}

function targetProblems(targets: TargetLine[], healthPath: string | undefined): string[] {
  const live = targets.filter((t) => t.state !== 'draining');
  if (!live.length) return ['no targets registered in the target group: no task is serving traffic'];
  return live.filter((t) => t.state !== 'healthy').map((t) => explainTarget(t, healthPath));
}

function httpProblem(http: HealthInput['http']): string | undefined {
  if (http.ok) return undefined;
  const answer = http.status ? `HTTP ${http.status}` : (http.error ?? 'no answer');
  const why = http.status && http.status >= 200 && http.status < 300 ? ` (${http.error})` : '';
  return `${http.url}: ${answer}${why}`;
}

function certificateFindings(c: CertificateInfo, problems: string[], warnings: string[]): void {
  if (c.daysLeft < 0) problems.push(`the TLS certificate expired on ${c.notAfter}`);
  else if (c.daysLeft < CERT_WARN_DAYS)
    warnings.push(
      `the TLS certificate expires in ${c.daysLeft} days (${c.notAfter}); ` +
        'ACM renews DNS-validated certificates only while the validation CNAME is in place',
    );
  if (c.status && c.status !== 'ISSUED') {
    const hint = c.status === 'PENDING_VALIDATION' ? PENDING_HINT : '';
    problems.push(`the certificate is ${c.status}${hint}`);
  }
}

/**
 * Healthy = the service exists, at least one target and every non-draining target healthy, the URL
 * answers 2xx, the certificate is valid.
 */
export function judgeHealth(i: HealthInput): { healthy: boolean; problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!i.found) problems.push(`service ${i.service} not found (not deployed?)`);
  if (i.targets) problems.push(...targetProblems(i.targets, i.healthPath));
  const http = httpProblem(i.http);
  if (http) problems.push(http);
  if (i.certificate) certificateFindings(i.certificate, problems, warnings);
  return { healthy: problems.length === 0, problems, warnings };
}

function serviceHealth(s: GatheredService): ServiceHealth {
  const j = judgeHealth(s);
  return { service: s.service, ...j, targets: s.targets, http: { ...s.http, requestUrl: s.requestUrl }, certificate: s.certificate };
}

export function buildHealth(raw: HealthRaw): HealthReport {
  const services = raw.services.map(serviceHealth);
  return { environment: raw.environment, healthy: services.every((s) => s.healthy), services };
}
