/**
 * What the services may reach: the hosts their Secrets Manager secrets name (only `host`/`port`/
 * `url`-like keys are read out of a secret; no other value is kept), and the region's Aurora
 * clusters, ElastiCache replication groups and cache clusters with their subnet groups, bounded
 * pages each. Which of them a service reaches is decided in place-data.ts.
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import type { DataFacts, DiscoveredService, DiscoveryFacts, SecretEndpoint } from './facts.js';
import { pages, soft } from './soft.js';

/** The secret ARN of a container secret's valueFrom (its JSON key and version stripped), if it is a Secrets Manager one. */
export function secretArnOf(valueFrom: string): string | undefined {
  const parts = valueFrom.split(':');
  return parts[2] === 'secretsmanager' && parts.length >= 7 ? parts.slice(0, 7).join(':') : undefined;
}

/** A secret's name from its ARN (Secrets Manager appends "-" and six characters). */
export const secretNameOf = (arn: string) => (arn.split(':')[6] ?? arn).replace(/-[A-Za-z0-9]{6}$/, '');

function endpointOf(doc: Record<string, unknown>): { host?: string; port?: number } {
  const str = (k: string) => (typeof doc[k] === 'string' ? (doc[k] as string) : undefined);
  let host = str('host') ?? str('hostname') ?? str('endpoint') ?? str('HOST');
  let port = Number(doc.port ?? doc.PORT) || undefined;
  const url = str('url') ?? str('uri');
  if (!host && url) {
    try {
      const u = new URL(url);
      host = u.hostname;
      port ??= Number(u.port) || undefined;
    } catch {
      // not a URL: no host from it
    }
  }
  return { host: host?.toLowerCase(), port };
}

async function readSecret(ctx: AwsContext, secretArn: string): Promise<SecretEndpoint> {
  const sm = await import('../aws/sdk/secrets-manager.js');
  const c = await clients.secretsManager(ctx);
  const secretName = secretNameOf(secretArn);
  try {
    const r = await c.send(new sm.GetSecretValueCommand({ SecretId: secretArn }));
    let doc: unknown;
    try {
      doc = JSON.parse(r.SecretString ?? '');
    } catch {
      return { secretArn, secretName, unreadable: 'not a JSON secret' };
    }
    if (!doc || typeof doc !== 'object') return { secretArn, secretName, unreadable: 'not a JSON object' };
    return { secretArn, secretName, ...endpointOf(doc as Record<string, unknown>) };
  } catch (e) {
    return { secretArn, secretName, unreadable: (e as { name?: string }).name ?? 'unreadable' };
  }
}

export async function gatherData(ctx: AwsContext, services: DiscoveredService[], unread: DiscoveryFacts['unread']): Promise<DataFacts> {
  const arns = new Set<string>();
  for (const s of services)
    for (const d of s.taskDefinition?.containerDefinitions ?? [])
      for (const x of d.secrets ?? []) {
        const a = x.valueFrom ? secretArnOf(x.valueFrom) : undefined;
        if (a) arns.add(a);
      }
  const rds = await import('../aws/sdk/rds.js');
  const ec = await import('../aws/sdk/elasticache.js');
  const [r, e] = await Promise.all([clients.rds(ctx), clients.elasticache(ctx)]);
  const [secrets, dbClusters, dbSubnetGroups, replicationGroups, cacheClusters, cacheSubnetGroups] = await Promise.all([
    Promise.all([...arns].slice(0, 50).map((a) => readSecret(ctx, a))),
    soft(
      unread,
      'Aurora clusters',
      () => pages((Marker) => r.send(new rds.DescribeDBClustersCommand({ Marker })).then((x) => ({ items: x.DBClusters, next: x.Marker }))),
      [],
    ),
    soft(
      unread,
      'DB subnet groups',
      () =>
        pages((Marker) =>
          r.send(new rds.DescribeDBSubnetGroupsCommand({ Marker })).then((x) => ({ items: x.DBSubnetGroups, next: x.Marker })),
        ),
      [],
    ),
    soft(
      unread,
      'ElastiCache replication groups',
      () =>
        pages((Marker) =>
          e.send(new ec.DescribeReplicationGroupsCommand({ Marker })).then((x) => ({ items: x.ReplicationGroups, next: x.Marker })),
        ),
      [],
    ),
    soft(
      unread,
      'ElastiCache clusters',
      () =>
        pages((Marker) =>
          e
            .send(new ec.DescribeCacheClustersCommand({ Marker, ShowCacheNodeInfo: true }))
            .then((x) => ({ items: x.CacheClusters, next: x.Marker })),
        ),
      [],
    ),
    soft(
      unread,
      'cache subnet groups',
      () =>
        pages((Marker) =>
          e.send(new ec.DescribeCacheSubnetGroupsCommand({ Marker })).then((x) => ({ items: x.CacheSubnetGroups, next: x.Marker })),
        ),
      [],
    ),
  ]);
  return { secrets, dbClusters, dbSubnetGroups, replicationGroups, cacheClusters, cacheSubnetGroups };
}
