/**
 * `berth health`: the ALB's view (each target with its state and reason code), an HTTP check of
 * each service's public health URL (status, latency, certificate days left), and one verdict per
 * service. judgeHealth is pure; gatherHealth does the I/O.
 */
import type { AwsContext } from '../aws/context.js';
import { acm, elbv2 } from '../aws/clients.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { explainTarget } from '../ecs/targets.js';
import { describeService, targetHealth } from '../rollout/fetch.js';
import { locate } from '../rollout/target.js';
import type { TargetSnap } from '../rollout/types.js';
import { toMs } from '../ecs/time.js';
import { healthUrl, httpCheck, type HttpResult } from '../http/check.js';

/** Certificates closer to expiry than this are a warning (ACM renews at 60 days before). */
export const CERT_WARN_DAYS = 14;

export interface TargetLine {
  id: string;
  port?: number;
  state: string;
  reason?: string;
  description?: string;
}

export interface CertificateInfo {
  source: 'tls' | 'acm';
  notAfter: string;
  daysLeft: number;
  arn?: string;
  status?: string;
}

export interface ServiceHealth {
  service: string;
  healthy: boolean;
  problems: string[];
  warnings: string[];
  /** null: the service has no load balancer (or was not found). */
  targets: TargetLine[] | null;
  http: HttpResult & { requestUrl?: string };
  certificate?: CertificateInfo;
}

export interface HealthReport {
  environment: string;
  healthy: boolean;
  services: ServiceHealth[];
}

export function targetLines(list: TargetSnap[]): TargetLine[] {
  return list.map((t) => ({ id: t.Target?.Id ?? '?', port: t.Target?.Port, state: t.TargetHealth?.State ?? 'unknown', reason: t.TargetHealth?.Reason, description: t.TargetHealth?.Description }));
}

export interface HealthInput {
  service: string;
  found: boolean;
  targets: TargetLine[] | null;
  http: HttpResult;
  certificate?: CertificateInfo;
  healthPath?: string;
}

/** Healthy = the service exists, at least one target and every non-draining target healthy, the URL answers 2xx, the certificate is valid. */
export function judgeHealth(i: HealthInput): { healthy: boolean; problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!i.found) problems.push(`service ${i.service} not found (not deployed?)`);
  if (i.targets) {
    const live = i.targets.filter((t) => t.state !== 'draining');
    if (!live.length) problems.push('no targets registered in the target group: no task is serving traffic');
    for (const t of live) if (t.state !== 'healthy') problems.push(explainTarget(t, i.healthPath));
  }
  if (!i.http.ok) problems.push(`${i.http.url}: ${i.http.status ? `HTTP ${i.http.status}` : i.http.error ?? 'no answer'}${i.http.status && i.http.status >= 200 && i.http.status < 300 ? ` (${i.http.error})` : ''}`);
  if (i.certificate) {
    if (i.certificate.daysLeft < 0) problems.push(`the TLS certificate expired on ${i.certificate.notAfter}`);
    else if (i.certificate.daysLeft < CERT_WARN_DAYS)
      warnings.push(`the TLS certificate expires in ${i.certificate.daysLeft} days (${i.certificate.notAfter}); ACM renews DNS-validated certificates only while the validation CNAME is in place`);
    if (i.certificate.status && i.certificate.status !== 'ISSUED') problems.push(`the certificate is ${i.certificate.status}${i.certificate.status === 'PENDING_VALIDATION' ? ' — check the validation CNAME and that the registrar delegates to the zone\'s name servers' : ''}`);
  }
  return { healthy: problems.length === 0, problems, warnings };
}

/** The certificate of the load balancer's HTTPS listener. */
async function listenerCertificate(ctx: AwsContext, albName: string): Promise<string | undefined> {
  const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = await elbv2(ctx);
  const lb = (await client.send(new DescribeLoadBalancersCommand({ Names: [albName] }))).LoadBalancers?.[0];
  if (!lb?.LoadBalancerArn) return undefined;
  const ls = (await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
  return ls.find((l) => l.Port === 443)?.Certificates?.[0]?.CertificateArn;
}

/**
 * The certificate clients get (sandbox: the only source of its status and expiry): the HTTPS
 * listener's; without one, an ACM certificate for the host name.
 */
async function acmCertificate(ctx: AwsContext, fqdn: string, albName: string, now: number): Promise<CertificateInfo | undefined> {
  const { ListCertificatesCommand, DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
  const client = await acm(ctx);
  const wildcard = `*.${fqdn.split('.').slice(1).join('.')}`;
  let arn = await listenerCertificate(ctx, albName).catch(() => undefined);
  let token: string | undefined;
  while (!arn) {
    const r = await client.send(new ListCertificatesCommand({ NextToken: token }));
    arn = r.CertificateSummaryList?.find((c) => c.DomainName === fqdn || c.DomainName === wildcard || (c.SubjectAlternativeNameSummaries ?? []).includes(fqdn))?.CertificateArn;
    token = r.NextToken;
    if (!token) break;
  }
  if (!arn) return undefined;
  const d = await client.send(new DescribeCertificateCommand({ CertificateArn: arn }));
  const notAfter = toMs(d.Certificate?.NotAfter);
  if (notAfter === undefined) return { source: 'acm', notAfter: '', daysLeft: NaN, arn, status: d.Certificate?.Status };
  return { source: 'acm', notAfter: new Date(notAfter).toISOString(), daysLeft: Math.floor((notAfter - now) / 86_400_000), arn, status: d.Certificate?.Status };
}

export async function gatherHealth(ctx: AwsContext, env: EnvironmentConfig, services: ServiceConfig[], opts: { timeoutMs?: number; now?: () => number } = {}): Promise<HealthReport> {
  const now = opts.now ?? Date.now;
  let cert: CertificateInfo | undefined;
  let certDone = false;
  const out: ServiceHealth[] = [];
  for (const svc of services) {
    const loc = locate(env, svc);
    let found = true;
    let targets: TargetLine[] | null = null;
    try {
      const snap = await describeService(ctx, loc);
      const t = await targetHealth(ctx, snap);
      targets = t ? targetLines(t) : null;
    } catch (e) {
      if ((e as Error).name === 'BerthError' || (e as Error).name === 'ClusterNotFoundException') found = false;
      else throw e;
    }
    const hu = healthUrl(env, svc, ctx);
    const http = await httpCheck(hu, { timeoutMs: opts.timeoutMs });
    let certificate: CertificateInfo | undefined = http.tls ? { source: 'tls', notAfter: http.tls.validTo, daysLeft: http.tls.daysLeft } : undefined;
    if (!certificate && ctx.sandbox && hu.publicUrl.startsWith('https:')) {
      if (!certDone) {
        cert = await acmCertificate(ctx, names(env).fqdn, names(env).alb, now()).catch(() => undefined);
        certDone = true;
      }
      certificate = cert;
    }
    const j = judgeHealth({ service: svc.name, found, targets, http, certificate, healthPath: svc.healthPath });
    out.push({ service: svc.name, ...j, targets, http: { ...http, requestUrl: hu.requestUrl !== hu.publicUrl ? hu.requestUrl : undefined }, certificate });
  }
  return { environment: env.name, healthy: out.every((s) => s.healthy), services: out };
}

type Paint = (style: 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold', s: string) => string;

export function renderHealth(r: HealthReport, paint: Paint = (_s, x) => x): string {
  const lines: string[] = [];
  for (const s of r.services) {
    lines.push(`${paint('bold', s.service)}: ${s.healthy ? paint('green', 'healthy') : paint('red', 'UNHEALTHY')}`);
    if (s.targets) {
      if (!s.targets.length) lines.push('  targets: none registered');
      for (const t of s.targets) {
        const colour = t.state === 'healthy' ? 'green' : t.state === 'unhealthy' ? 'red' : 'yellow';
        lines.push(`  target ${`${t.id}${t.port ? `:${t.port}` : ''}`.padEnd(21)} ${paint(colour, t.state.padEnd(10))}${t.reason ? ` ${t.reason}` : ''}${t.description ? ` — ${t.description}` : ''}`);
      }
    } else lines.push('  targets: no load balancer');
    const h = s.http;
    lines.push(`  ${h.url}: ${h.status ? `HTTP ${h.status}` : paint('red', h.error ?? 'no answer')}${h.latencyMs !== undefined ? ` in ${h.latencyMs} ms` : ''}${h.requestUrl ? paint('dim', ` (via ${h.requestUrl})`) : ''}`);
    if (s.certificate) lines.push(`  certificate: ${Number.isNaN(s.certificate.daysLeft) ? 'expiry unknown' : `${s.certificate.daysLeft} days left`} (until ${s.certificate.notAfter || '?'}, from ${s.certificate.source === 'acm' ? 'ACM' : 'the TLS handshake'})`);
    for (const p of s.problems) lines.push(`  ${paint('red', '✗')} ${p}`);
    for (const w of s.warnings) lines.push(`  ${paint('yellow', '!')} ${w}`);
  }
  return lines.join('\n');
}
