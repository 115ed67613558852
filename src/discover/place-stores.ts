/**
 * The database and cache sections of the environment, and their roles in the resource map, from
 * the Aurora cluster and Redis replication group the services reach (place-data.ts). What the
 * schema cannot say (an engine version berth refuses, a provisioned writer) is a doubt; a store the
 * services do not reach is "not placed": the section keeps berth's defaults.
 */
import type { ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { DBCluster } from '@aws-sdk/client-rds';
import { auroraVersionProblem } from '../config/aws-rules.js';
import type { ResourceMap } from '../config/types.js';
import type { DiscoveryFacts } from './facts.js';
import type { Notes } from './notes.js';
import { membersOf, reachedCaches, reachedDatabases } from './place-data.js';

export interface Stores {
  database: Record<string, unknown>;
  cache: Record<string, unknown>;
  resources: Partial<ResourceMap>;
  dbSubnets: string[];
  cacheSubnets: string[];
  /** How each store was found to be reached (secrets naming its endpoint, security-group rules). */
  evidence: { database?: string[]; cache?: string[] };
}

function chooseOne<T, R extends { item: T; reasons: string[] }>(
  xs: R[],
  name: (t: T) => string,
  what: string,
  field: string,
  notes: Notes,
) {
  if (xs.length > 1)
    notes.doubt(
      `${xs.length} ${what}s are reached (${xs.map((x) => name(x.item)).join(', ')}); berth's environment has one, kept ${name(xs[0]!.item)}`,
      {
        field,
        resource: xs
          .slice(1)
          .map((x) => name(x.item))
          .join(', '),
      },
    );
  return xs[0];
}

function databasePart(f: DiscoveryFacts, notes: Notes, out: Stores): void {
  const hit = chooseOne(
    reachedDatabases(f),
    (c: DBCluster) => c.DBClusterIdentifier ?? '?',
    'Aurora cluster',
    'resources.database.cluster',
    notes,
  );
  if (!hit) {
    notes.notPlaced('no Aurora cluster is reached by these services (no secret names one, no security group lets them in)', {
      field: 'database',
    });
    return;
  }
  const c = hit.item;
  const engine = c.Engine === 'aurora-mysql' ? 'mysql' : 'postgresql';
  const d: Record<string, unknown> = { engine, deletionProtection: Boolean(c.DeletionProtection) };
  const version = c.EngineVersion ?? '';
  const problem = auroraVersionProblem(engine, version);
  if (!problem) d.version = version;
  else
    notes.doubt(`engine version ${version}: berth expected ${problem}; database.version left at its default`, {
      field: 'database.version',
      resource: c.DBClusterIdentifier,
    });
  if (c.DatabaseName && /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(c.DatabaseName)) d.databaseName = c.DatabaseName;
  if (c.MasterUsername && /^[a-zA-Z][a-zA-Z0-9_]{0,15}$/.test(c.MasterUsername)) d.masterUsername = c.MasterUsername;
  if (c.BackupRetentionPeriod && c.BackupRetentionPeriod <= 35) d.backupRetentionDays = c.BackupRetentionPeriod;
  const sv2 = c.ServerlessV2ScalingConfiguration;
  if (sv2?.MinCapacity !== undefined && sv2.MaxCapacity !== undefined && sv2.MaxCapacity >= 1)
    Object.assign(d, { minCapacity: sv2.MinCapacity, maxCapacity: sv2.MaxCapacity });
  else
    notes.doubt("the cluster is not Aurora Serverless v2 (berth runs Serverless v2); capacity left at berth's defaults", {
      field: 'database.minCapacity',
      resource: c.DBClusterIdentifier,
    });
  const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
  out.resources.database = {
    cluster: c.DBClusterIdentifier,
    ...(c.DBSubnetGroup ? { subnetGroup: c.DBSubnetGroup } : {}),
    ...(writer ? { writerInstance: writer } : {}),
    ...(hit.secret ? { secret: hit.secret } : {}),
  };
  const groups = (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!).filter(Boolean);
  if (groups[0]) out.resources.securityGroups = { ...out.resources.securityGroups, database: groups[0] };
  out.dbSubnets =
    f.data.dbSubnetGroups
      .find((g) => g.DBSubnetGroupName === c.DBSubnetGroup)
      ?.Subnets?.map((s) => s.SubnetIdentifier!)
      .filter(Boolean) ?? [];
  out.database = d;
  out.evidence.database = hit.reasons;
  if (!hit.reasons.some((r) => r.includes('names its endpoint')))
    notes.doubt(`database ${c.DBClusterIdentifier} is placed by a security-group rule only (${hit.reasons.join('; ')})`, {
      resource: c.DBClusterIdentifier,
      field: 'resources.database.cluster',
    });
}

function cachePart(f: DiscoveryFacts, notes: Notes, out: Stores): void {
  const hit = chooseOne(
    reachedCaches(f),
    (g: ReplicationGroup) => g.ReplicationGroupId ?? '?',
    'Redis replication group',
    'resources.cache.replicationGroup',
    notes,
  );
  if (!hit) {
    notes.notPlaced('no ElastiCache replication group is reached by these services', { field: 'cache' });
    return;
  }
  const rg = hit.item;
  const members = membersOf(rg, f.data.cacheClusters);
  const m0 = members[0];
  const c: Record<string, unknown> = {
    transitEncryption: Boolean(rg.TransitEncryptionEnabled),
    authToken: Boolean(rg.AuthTokenEnabled) && Boolean(rg.TransitEncryptionEnabled),
    replicas: Math.min(5, Math.max(0, members.length - 1)),
  };
  if (rg.CacheNodeType && /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(rg.CacheNodeType)) c.nodeType = rg.CacheNodeType;
  const v = /^(\d+\.\d+)/.exec(m0?.EngineVersion ?? '')?.[1];
  if (v) c.engineVersion = v;
  if (rg.SnapshotRetentionLimit !== undefined && rg.SnapshotRetentionLimit <= 35) c.snapshotRetentionDays = rg.SnapshotRetentionLimit;
  const subnetGroup = m0?.CacheSubnetGroupName;
  out.resources.cache = {
    replicationGroup: rg.ReplicationGroupId,
    ...(subnetGroup ? { subnetGroup } : {}),
    ...(hit.secret ? { secret: hit.secret } : {}),
  };
  const group = m0?.SecurityGroups?.[0]?.SecurityGroupId;
  if (group) out.resources.securityGroups = { ...out.resources.securityGroups, cache: group };
  out.cacheSubnets =
    f.data.cacheSubnetGroups
      .find((g) => g.CacheSubnetGroupName === subnetGroup)
      ?.Subnets?.map((s) => s.SubnetIdentifier!)
      .filter(Boolean) ?? [];
  out.cache = c;
  out.evidence.cache = hit.reasons;
  if (!hit.reasons.some((r) => r.includes('names its endpoint')))
    notes.doubt(`cache ${rg.ReplicationGroupId} is placed by a security-group rule only (${hit.reasons.join('; ')})`, {
      resource: rg.ReplicationGroupId,
      field: 'resources.cache.replicationGroup',
    });
}

export function placeStores(f: DiscoveryFacts, notes: Notes): Stores {
  const out: Stores = { database: {}, cache: {}, resources: {}, dbSubnets: [], cacheSubnets: [], evidence: {} };
  databasePart(f, notes, out);
  cachePart(f, notes, out);
  return out;
}
