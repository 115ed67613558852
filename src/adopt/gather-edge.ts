/**
 * Reads of the load balancer's listeners and rules, the hosted zone, the alias record and the
 * certificate (from the resource map, or the environment's domain).
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import type { EnvironmentConfig } from '../config/types.js';
import { names } from '../config/names.js';
import { orAbsent } from './absent.js';
import { missingResource } from './errors.js';
import type { Facts } from './facts.js';
import { recordId } from './import-ids.js';
import type { ResourceMap } from './resource-map.js';

async function listenerFacts(ctx: AwsContext, lbArn: string, facts: Facts): Promise<void> {
  const m = await import('../aws/sdk/elastic-load-balancing-v2.js');
  const client = await clients.elbv2(ctx);
  const ls = await client.send(new m.DescribeListenersCommand({ LoadBalancerArn: lbArn }));
  facts.listeners = (ls.Listeners ?? []).map((l) => ({ arn: l.ListenerArn!, port: l.Port ?? 0 }));
  for (const l of facts.listeners) {
    const rs = await client.send(new m.DescribeRulesCommand({ ListenerArn: l.arn }));
    for (const r of rs.Rules ?? []) {
      if (r.IsDefault) continue;
      const paths = (r.Conditions ?? []).flatMap(
        (c) => c.PathPatternConfig?.Values ?? (c.Field === 'path-pattern' ? (c.Values ?? []) : []),
      );
      facts.rules.push({ arn: r.RuleArn!, listener: l.arn, priority: r.Priority ?? '', paths });
    }
  }
}

async function zoneFacts(ctx: AwsContext, env: EnvironmentConfig, map: ResourceMap, facts: Facts): Promise<void> {
  const m = await import('../aws/sdk/route-53.js');
  const client = await clients.route53(ctx);
  const zoneId = map.hostedZone ?? env.domain.zoneId;
  if (zoneId) {
    const z = await orAbsent(client.send(new m.GetHostedZoneCommand({ Id: zoneId })));
    if (!z?.HostedZone) throw missingResource('resources.hostedZone', zoneId, 'hosted zone');
    facts.zone = zoneId.replace(/^\/hostedzone\//, '');
  } else {
    const zs = await client.send(new m.ListHostedZonesByNameCommand({ DNSName: env.domain.name, MaxItems: 1 }));
    const z = zs.HostedZones?.find((x) => x.Name?.replace(/\.$/, '') === env.domain.name && !x.Config?.PrivateZone);
    facts.zone = z?.Id?.replace(/^\/hostedzone\//, '');
  }
  if (!facts.zone) return;
  const fqdn = names(env).fqdn;
  const rs = await client.send(new m.ListResourceRecordSetsCommand({ HostedZoneId: facts.zone, StartRecordName: fqdn, MaxItems: 10 }));
  for (const r of rs.ResourceRecordSets ?? []) facts.records.push(recordId(facts.zone, r.Name ?? '', r.Type ?? ''));
}

async function certificateFacts(ctx: AwsContext, env: EnvironmentConfig, map: ResourceMap, facts: Facts): Promise<void> {
  const m = await import('../aws/sdk/acm.js');
  const client = await clients.acm(ctx);
  if (map.certificate) {
    const c = await orAbsent(client.send(new m.DescribeCertificateCommand({ CertificateArn: map.certificate })));
    if (!c?.Certificate) throw missingResource('resources.certificate', map.certificate, 'certificate');
    facts.certificate = map.certificate;
    return;
  }
  const fqdn = names(env).fqdn;
  const list = await client.send(new m.ListCertificatesCommand({ MaxItems: 100 }));
  facts.certificate = list.CertificateSummaryList?.find((c) => c.DomainName === fqdn)?.CertificateArn;
}

export async function gatherEdge(ctx: AwsContext, env: EnvironmentConfig, map: ResourceMap, facts: Facts): Promise<void> {
  const lb = Object.values(facts.named.aws_lb ?? {})[0];
  await Promise.all([
    lb ? listenerFacts(ctx, lb, facts) : Promise.resolve(),
    zoneFacts(ctx, env, map, facts),
    certificateFacts(ctx, env, map, facts),
  ]);
}
