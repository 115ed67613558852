/**
 * Which Aurora cluster and which Redis replication group the services reach, and how we know: a
 * secret (or a plain environment variable) of theirs names its endpoint, and/or its security group
 * lets their group in on its port. Every reason is kept; a candidate with none is not theirs; two
 * candidates are a doubt, the one with the most reasons kept.
 */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { CacheCluster, ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { DBCluster } from '@aws-sdk/client-rds';
import type { DiscoveryFacts } from './facts.js';

export interface Reached<T> {
  item: T;
  reasons: string[];
  /** The secret whose host is this endpoint, if one is. */
  secret?: string;
}

/** Hosts the services name in plain environment variables. */
function envHosts(f: DiscoveryFacts): string[] {
  return f.services.flatMap((s) =>
    (s.taskDefinition?.containerDefinitions ?? []).flatMap((d) => (d.environment ?? []).map((e) => (e.value ?? '').toLowerCase())),
  );
}

function serviceGroups(f: DiscoveryFacts): string[] {
  return [...new Set(f.services.flatMap((s) => s.service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []))];
}

/** Ingress rules of `groups` that let one of `from` in on `port`, as "sg-a <- sg-b tcp 5432". */
function sgReasons(groups: string[], port: number | undefined, from: string[], all: SecurityGroup[]): string[] {
  const out: string[] = [];
  for (const g of all.filter((x) => groups.includes(x.GroupId ?? ''))) {
    for (const p of g.IpPermissions ?? []) {
      const covers = p.IpProtocol === '-1' || (port !== undefined && (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535));
      if (!covers) continue;
      for (const pair of p.UserIdGroupPairs ?? [])
        if (pair.GroupId && from.includes(pair.GroupId)) out.push(`security group ${g.GroupId} lets ${pair.GroupId} in on ${port}`);
    }
  }
  return out;
}

function byEndpoint(f: DiscoveryFacts, hosts: string[]): { reasons: string[]; secret?: string } {
  const want = hosts.filter(Boolean).map((h) => h.toLowerCase());
  const reasons: string[] = [];
  let secret: string | undefined;
  for (const s of f.data.secrets)
    if (s.host && want.includes(s.host)) {
      reasons.push(`secret ${s.secretName} names its endpoint`);
      secret ??= s.secretName;
    }
  if (envHosts(f).some((v) => want.some((h) => v.includes(h)))) reasons.push('an environment variable names its endpoint');
  return { reasons, secret };
}

const best = <T>(xs: Reached<T>[]) => xs.filter((x) => x.reasons.length).sort((a, b) => b.reasons.length - a.reasons.length);

export function reachedDatabases(f: DiscoveryFacts): Reached<DBCluster>[] {
  const from = serviceGroups(f);
  return best(
    f.data.dbClusters
      .filter((c) => (c.Engine ?? '').startsWith('aurora'))
      .map((c) => {
        const e = byEndpoint(f, [c.Endpoint ?? '', c.ReaderEndpoint ?? '']);
        const groups = (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '');
        return { item: c, reasons: [...e.reasons, ...sgReasons(groups, c.Port, from, f.network.securityGroups)], secret: e.secret };
      }),
  );
}

/** The member cache clusters of a replication group. */
export function membersOf(rg: ReplicationGroup, all: CacheCluster[]): CacheCluster[] {
  return all.filter((c) => c.ReplicationGroupId === rg.ReplicationGroupId || (rg.MemberClusters ?? []).includes(c.CacheClusterId ?? ''));
}

export function reachedCaches(f: DiscoveryFacts): Reached<ReplicationGroup>[] {
  const from = serviceGroups(f);
  return best(
    f.data.replicationGroups.map((rg) => {
      const members = membersOf(rg, f.data.cacheClusters);
      const hosts = [
        rg.NodeGroups?.[0]?.PrimaryEndpoint?.Address,
        rg.NodeGroups?.[0]?.ReaderEndpoint?.Address,
        rg.ConfigurationEndpoint?.Address,
        ...members.flatMap((m) => m.CacheNodes?.map((n) => n.Endpoint?.Address) ?? []),
      ].filter((h): h is string => Boolean(h));
      const e = byEndpoint(f, hosts);
      const port = rg.NodeGroups?.[0]?.PrimaryEndpoint?.Port ?? rg.ConfigurationEndpoint?.Port ?? 6379;
      const groups = [...new Set(members.flatMap((m) => m.SecurityGroups?.map((g) => g.SecurityGroupId ?? '') ?? []))];
      return { item: rg, reasons: [...e.reasons, ...sgReasons(groups, port, from, f.network.securityGroups)], secret: e.secret };
    }),
  );
}
