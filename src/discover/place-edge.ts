/**
 * In front of the services, in berth's terms: the load balancer and its HTTP/HTTPS listeners, the
 * rule (and its path pattern) that forwards to each service's target group, the certificate, and
 * the domain (zone and record of the alias that points at the load balancer). Listeners, rules and
 * conditions berth's schema cannot express are listed, not dropped silently.
 */
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ResourceMap } from '../config/types.js';
import type { DiscoveryFacts } from './facts.js';
import type { Notes } from './notes.js';

/** Does the rule forward (alone or weighted) to the target group? */
export function forwardsTo(rule: Rule, tgArn: string): boolean {
  return (rule.Actions ?? []).some(
    (a) => a.TargetGroupArn === tgArn || (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === tgArn),
  );
}

export function edgeResources(f: DiscoveryFacts, notes: Notes): Partial<ResourceMap> {
  const r: Partial<ResourceMap> = {};
  const lbs = f.edge.loadBalancers;
  const lb = lbs[0];
  if (!lb) {
    notes.notPlaced('no load balancer forwards to these services', { field: 'resources.loadBalancer' });
    return r;
  }
  if (lbs.length > 1)
    notes.notPlaced(`the services are behind ${lbs.length} load balancers; berth's environment has one (kept ${lb.LoadBalancerName})`, {
      field: 'resources.loadBalancer',
      resource: lbs
        .slice(1)
        .map((x) => x.LoadBalancerName)
        .join(', '),
    });
  const mine = f.edge.listeners.filter((l) => l.LoadBalancerArn === lb.LoadBalancerArn);
  const http = mine.find((l) => l.Protocol === 'HTTP' && l.Port === 80);
  const https = mine.find((l) => l.Protocol === 'HTTPS' && l.Port === 443);
  r.loadBalancer = { name: lb.LoadBalancerName, arn: lb.LoadBalancerArn };
  if (http) r.loadBalancer.httpListener = http.ListenerArn;
  if (https) r.loadBalancer.httpsListener = https.ListenerArn;
  for (const l of mine.filter((x) => x !== http && x !== https))
    notes.notPlaced(`listener ${l.Protocol} ${l.Port}: berth's load balancer has HTTP 80 and HTTPS 443 only`, { resource: l.ListenerArn });
  if (!https)
    notes.doubt('the load balancer has no HTTPS listener on 443: berth serves HTTPS', { field: 'resources.loadBalancer.httpsListener' });
  if (http && !(http.DefaultActions ?? []).some((a) => a.Type === 'redirect'))
    notes.doubt('the HTTP listener does not redirect to HTTPS (berth redirects)', { resource: http.ListenerArn });
  if (lb.Scheme === 'internal')
    notes.doubt('the load balancer is internal; berth runs an internet-facing one', { resource: lb.LoadBalancerName });
  const cert = https?.Certificates?.[0]?.CertificateArn;
  if (cert) r.certificate = cert;
  if (f.edge.record) r.hostedZone = f.edge.record.zoneId;
  return r;
}

/** The listener (HTTPS first) whose rules route traffic to the services. */
export function routingListener(f: DiscoveryFacts) {
  const lb = f.edge.loadBalancers[0];
  const mine = f.edge.listeners.filter((l) => l.LoadBalancerArn === lb?.LoadBalancerArn);
  return mine.find((l) => l.Protocol === 'HTTPS') ?? mine.find((l) => l.Protocol === 'HTTP');
}

/** A service's route: its path pattern ('/*' for the default action) and the listener rule, with what berth cannot express. */
export function routeOf(
  f: DiscoveryFacts,
  tgArn: string | undefined,
  at: string,
  notes: Notes,
): { pathPattern?: string; ruleArn?: string } {
  const l = routingListener(f);
  if (!l || !tgArn) return {};
  const rules = f.edge.rules[l.ListenerArn!] ?? [];
  const hits = rules.filter((r) => forwardsTo(r, tgArn));
  const own = hits.find((r) => !r.IsDefault) ?? hits[0];
  if (!own) {
    notes.doubt(`no rule of listener ${l.Protocol} ${l.Port} forwards to target group ${tgArn.split('/')[1]}`, {
      field: `${at}.pathPattern`,
    });
    return {};
  }
  if (own.IsDefault) return { pathPattern: '/*' };
  const paths = own.Conditions?.flatMap((c) => (c.Field === 'path-pattern' ? (c.PathPatternConfig?.Values ?? c.Values ?? []) : [])) ?? [];
  const others = own.Conditions?.filter((c) => c.Field !== 'path-pattern').map((c) => c.Field) ?? [];
  if (others.length)
    notes.notPlaced(`rule conditions ${others.join(', ')}: berth routes by path pattern only`, {
      field: `${at}.pathPattern`,
      resource: own.RuleArn,
    });
  if (paths.length > 1)
    notes.doubt(`the rule matches ${paths.length} path patterns (${paths.join(', ')}); berth keeps the first`, {
      field: `${at}.pathPattern`,
      resource: own.RuleArn,
    });
  if (hits.length > 1) notes.doubt(`${hits.length} rules forward to this target group; berth keeps one`, { field: `${at}.pathPattern` });
  return { pathPattern: paths[0] ?? '/*', ruleArn: own.RuleArn };
}

/** The domain section: the alias record's zone and label; else the certificate's name, with doubt. */
export function domainSection(f: DiscoveryFacts, notes: Notes): Record<string, unknown> {
  const rec = f.edge.record;
  if (rec) {
    const label = rec.name === rec.zoneName ? '' : rec.name.slice(0, -(rec.zoneName.length + 1));
    if (!/^$|^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))
      notes.doubt(`the record ${rec.name} is more than one label under ${rec.zoneName}; berth keeps its first label`, {
        field: 'domain.record',
      });
    return { name: rec.zoneName, record: label.split('.')[0] ?? '', zone: 'existing', zoneId: rec.zoneId };
  }
  const host = f.edge.certificate?.DomainName?.replace(/^\*\./, '');
  notes.notPlaced('no Route 53 alias record in this account points at the load balancer', { field: 'domain' });
  if (host && host.includes('.')) {
    const [first, ...rest] = host.split('.');
    notes.doubt(`domain guessed from the certificate's name ${host}; zone "create" would make berth create a hosted zone`, {
      field: 'domain',
    });
    return rest.length > 1 ? { name: rest.join('.'), record: first, zone: 'create' } : { name: host, record: '', zone: 'create' };
  }
  notes.doubt('no domain found: domain.name is a placeholder (example.invalid)', { field: 'domain.name' });
  return { name: 'example.invalid', record: '', zone: 'create' };
}
