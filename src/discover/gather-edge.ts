/**
 * In front of the services: their target groups, the load balancer(s) those forward from, every
 * listener and its rules, the HTTPS listener's ACM certificate, and the Route 53 alias record that
 * points at the load balancer (searched in the account's hosted zones, a bounded number of pages).
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import type { DiscoveredService, DiscoveryFacts, EdgeFacts } from './facts.js';
import { pages, soft } from './soft.js';

/** Zones searched for the record, at most. */
const MAX_ZONES = 20;

export async function gatherEdge(ctx: AwsContext, services: DiscoveredService[], unread: DiscoveryFacts['unread']): Promise<EdgeFacts> {
  const elb = await import('../aws/sdk/elastic-load-balancing-v2.js');
  const c = await clients.elbv2(ctx);
  const tgArns = [...new Set(services.flatMap((s) => (s.service.loadBalancers ?? []).map((l) => l.targetGroupArn ?? '')).filter(Boolean))];
  const targetGroups = tgArns.length
    ? ((await c.send(new elb.DescribeTargetGroupsCommand({ TargetGroupArns: tgArns }))).TargetGroups ?? [])
    : [];
  const lbArns = [...new Set(targetGroups.flatMap((t) => t.LoadBalancerArns ?? []))];
  const loadBalancers = lbArns.length
    ? ((await c.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerArns: lbArns.slice(0, 20) }))).LoadBalancers ?? [])
    : [];
  const listeners = (
    await Promise.all(
      loadBalancers.map((lb) =>
        pages((Marker) =>
          c
            .send(new elb.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker }))
            .then((r) => ({ items: r.Listeners, next: r.NextMarker })),
        ),
      ),
    )
  ).flat();
  const rules: Record<string, NonNullable<EdgeFacts['rules'][string]>> = {};
  await Promise.all(
    listeners.map(async (l) => {
      rules[l.ListenerArn!] = await pages((Marker) =>
        c.send(new elb.DescribeRulesCommand({ ListenerArn: l.ListenerArn, Marker })).then((r) => ({ items: r.Rules, next: r.NextMarker })),
      );
    }),
  );
  const certArn = listeners.find((l) => l.Protocol === 'HTTPS')?.Certificates?.[0]?.CertificateArn;
  const [certificate, record] = await Promise.all([
    certArn ? soft(unread, `certificate ${certArn}`, () => describeCertificate(ctx, certArn), undefined) : undefined,
    loadBalancers[0]?.DNSName
      ? soft(unread, 'Route 53 hosted zones', () => aliasRecordFor(ctx, loadBalancers[0]!.DNSName!), undefined)
      : undefined,
  ]);
  return { targetGroups, loadBalancers, listeners, rules, certificate, record };
}

async function describeCertificate(ctx: AwsContext, arn: string) {
  const { DescribeCertificateCommand } = await import('../aws/sdk/acm.js');
  return (await (await clients.acm(ctx)).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
}

const bare = (s: string) =>
  s
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^dualstack\./, '');

/** The first A/AAAA alias record, in the account's public zones, whose target is the load balancer's DNS name. */
async function aliasRecordFor(ctx: AwsContext, dnsName: string): Promise<EdgeFacts['record']> {
  const r53 = await import('../aws/sdk/route-53.js');
  const c = await clients.route53(ctx);
  const zones = await pages((Marker) =>
    c.send(new r53.ListHostedZonesCommand({ Marker })).then((r) => ({ items: r.HostedZones, next: r.NextMarker })),
  );
  const want = bare(dnsName);
  for (const z of zones.filter((x) => !x.Config?.PrivateZone).slice(0, MAX_ZONES)) {
    const zoneId = z.Id!.replace(/^\/hostedzone\//, '');
    const sets = await pages<import('@aws-sdk/client-route-53').ResourceRecordSet>(async (token) => {
      const [StartRecordName, StartRecordType] = token ? JSON.parse(token) : [undefined, undefined];
      const r = await c.send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName, StartRecordType }));
      return { items: r.ResourceRecordSets, next: r.IsTruncated ? JSON.stringify([r.NextRecordName, r.NextRecordType]) : undefined };
    });
    const hit = sets.find((s) => (s.Type === 'A' || s.Type === 'AAAA') && s.AliasTarget?.DNSName && bare(s.AliasTarget.DNSName) === want);
    if (hit) return { zoneId, zoneName: bare(z.Name ?? ''), name: bare(hit.Name ?? '') };
  }
  return undefined;
}
