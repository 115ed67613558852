/**
 * The I/O of `berth health`: the service and its targets (ECS, ELB), the HTTP check of the public
 * health URL and the certificate clients get (TLS handshake, or ACM in the sandbox), answered as
 * plain data (HealthRaw) for the judge.
 */
import type { DescribeCertificateCommandOutput } from '@aws-sdk/client-acm';
import type { AwsContext } from '../aws/context.js';
import { acm, elbv2 } from '../aws/clients.js';
import { names } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { toMs } from '../ecs/time.js';
import { describeService, targetHealth } from '../rollout/fetch.js';
import { locate } from '../rollout/target.js';
import { healthUrl, httpCheck, type HttpResult } from '../http/check.js';
import { targetLines } from './judge.js';
import type { CertificateInfo, GatheredService, HealthRaw, TargetLine } from './types.js';

/** The certificate of the load balancer's HTTPS listener. */
async function listenerCertificate(ctx: AwsContext, albName: string): Promise<string | undefined> {
  const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await import('../aws/sdk/elastic-load-balancing-v2.js');
  const client = await elbv2(ctx);
  const lb = (await client.send(new DescribeLoadBalancersCommand({ Names: [albName] }))).LoadBalancers?.[0];
  if (!lb?.LoadBalancerArn) return undefined;
  const ls = (await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
  return ls.find((l) => l.Port === 443)?.Certificates?.[0]?.CertificateArn;
}

/** The ACM certificate named for `fqdn` (or its wildcard), by listing them. */
async function certificateByName(ctx: AwsContext, fqdn: string): Promise<string | undefined> {
  const { ListCertificatesCommand } = await import('../aws/sdk/acm.js');
  const client = await acm(ctx);
  const wildcard = `*.${fqdn.split('.').slice(1).join('.')}`;
  let token: string | undefined;
  do {
    const r = await client.send(new ListCertificatesCommand({ NextToken: token }));
    const arn = r.CertificateSummaryList?.find(
      (c) => c.DomainName === fqdn || c.DomainName === wildcard || (c.SubjectAlternativeNameSummaries ?? []).includes(fqdn),
    )?.CertificateArn;
    if (arn) return arn;
    token = r.NextToken;
  } while (token);
  return undefined;
}

/**
 * The certificate clients get (sandbox: the only source of its status and expiry): the one the
 * resource map pins, else the HTTPS listener's, else an ACM certificate for the host name. The
 * listener's and the named one are looked up at once, and the named one is described as soon as it
 * is known: when it is also the listener's (the usual case), its description is already on its way,
 * one round trip sooner than describing it after the listener lookup.
 */
async function acmCertificate(ctx: AwsContext, n: ReturnType<typeof names>, now: number): Promise<CertificateInfo | undefined> {
  const { DescribeCertificateCommand } = await import('../aws/sdk/acm.js');
  const client = await acm(ctx);
  const described = new Map<string, Promise<DescribeCertificateCommandOutput>>();
  const describe = (arn: string) => {
    if (!described.has(arn)) described.set(arn, client.send(new DescribeCertificateCommand({ CertificateArn: arn })));
    return described.get(arn)!;
  };
  let arn = n.certificateArn;
  if (!arn) {
    const named = certificateByName(ctx, n.fqdn).then(
      (a) => (a && void describe(a).catch(() => undefined), a),
      () => undefined,
    );
    arn = (await listenerCertificate(ctx, n.alb).catch(() => undefined)) ?? (await named);
  }
  if (!arn) return undefined;
  const d = await describe(arn);
  const notAfter = toMs(d.Certificate?.NotAfter);
  if (notAfter === undefined) return { source: 'acm', notAfter: '', daysLeft: NaN, arn, status: d.Certificate?.Status };
  return {
    source: 'acm',
    notAfter: new Date(notAfter).toISOString(),
    daysLeft: Math.floor((notAfter - now) / 86_400_000),
    arn,
    status: d.Certificate?.Status,
  };
}

/** The service's targets (null: no load balancer); found is false when the service or its cluster does not exist. */
async function serviceTargets(
  ctx: AwsContext,
  env: EnvironmentConfig,
  svc: ServiceConfig,
): Promise<{ found: boolean; targets: TargetLine[] | null }> {
  try {
    const snap = await describeService(ctx, locate(env, svc));
    const t = await targetHealth(ctx, snap);
    return { found: true, targets: t ? targetLines(t) : null };
  } catch (e) {
    if ((e as Error).name === 'BerthError' || (e as Error).name === 'ClusterNotFoundException') return { found: false, targets: null };
    throw e;
  }
}

function handshakeCertificate(http: HttpResult): CertificateInfo | undefined {
  return http.tls ? { source: 'tls', notAfter: http.tls.validTo, daysLeft: http.tls.daysLeft } : undefined;
}

export async function gatherHealth(
  ctx: AwsContext,
  env: EnvironmentConfig,
  services: ServiceConfig[],
  opts: { timeoutMs?: number; now?: () => number } = {},
): Promise<HealthRaw> {
  const now = opts.now ?? Date.now;
  let acmCert: Promise<CertificateInfo | undefined> | undefined;
  const readAcm = () => (acmCert ??= acmCertificate(ctx, names(env), now()).catch(() => undefined));
  // The ELB client (for the targets) loads while DescribeServices is in flight.
  void elbv2(ctx).catch(() => undefined);
  // Every service at once, and for each its targets and its HTTP check at once; the list keeps the
  // environment's order.
  const out: GatheredService[] = await Promise.all(
    services.map(async (svc) => {
      const hu = healthUrl(env, svc, ctx);
      const acmNeeded = ctx.sandbox && hu.publicUrl.startsWith('https:');
      // In the sandbox the stand-in answers plain HTTP: no handshake will show a certificate, so the
      // ACM read (three round trips) starts now, beside the others, instead of after the HTTP check.
      if (acmNeeded && !hu.requestUrl.startsWith('https:')) void readAcm();
      const [{ found, targets }, http] = await Promise.all([serviceTargets(ctx, env, svc), httpCheck(hu, { timeoutMs: opts.timeoutMs })]);
      let certificate = handshakeCertificate(http);
      if (!certificate && acmNeeded) certificate = await readAcm();
      const requestUrl = hu.requestUrl !== hu.publicUrl ? hu.requestUrl : undefined;
      return { service: svc.name, found, targets, http, certificate, healthPath: svc.healthPath, requestUrl };
    }),
  );
  return { environment: env.name, services: out };
}
