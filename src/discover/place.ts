/**
 * From what discovery read to an environment file: berth's schema as closely as the platform
 * allows, the resource map pinning every role to the real resource, and the notes (what could not
 * be placed, what is placed with doubt). The file is validated as `berth config validate` would;
 * a value berth refuses is left out (its default stands) and listed, so the file always validates.
 */
import type { ResourceMap, ServiceResources } from '../config/types.js';
import type { DiscoveryFacts } from './facts.js';
import { Notes, type Note } from './notes.js';
import { domainSection, edgeResources } from './place-edge.js';
import { networkResources, networkSection, tierSubnets } from './place-network.js';
import { berthServiceName, placeService } from './place-service.js';
import { placeStores, type Stores } from './place-stores.js';
import { validated } from './repair.js';

export interface Placement {
  environment: Record<string, unknown>;
  notes: Note[];
  /** Why each data store is taken to be reached. */
  reached: { database?: string[]; cache?: string[] };
}

function appName(name: string): string {
  const first = name.split('-')[0] ?? '';
  return /^[a-z][a-z0-9]{1,19}$/.test(first) ? first : name;
}

function serviceGroup(f: DiscoveryFacts, notes: Notes): string | undefined {
  const per = f.services.map((s) => s.service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []);
  const first = per[0]?.[0];
  if (per.some((g) => g.length > 1))
    notes.doubt('a service has more than one security group; resources.securityGroups.service names the first', {
      field: 'resources.securityGroups.service',
    });
  if (per.some((g) => g[0] !== first))
    notes.doubt(
      `the services run in different security groups (${[...new Set(per.map((g) => g[0]))].join(', ')}); resources.securityGroups.service names the first service's`,
      { field: 'resources.securityGroups.service' },
    );
  return first;
}

function securityGroups(f: DiscoveryFacts, stores: Stores, notes: Notes): ResourceMap['securityGroups'] {
  const albGroups = f.edge.loadBalancers[0]?.SecurityGroups ?? [];
  if (albGroups.length > 1)
    notes.doubt('the load balancer has more than one security group; resources.securityGroups.alb names the first', {
      field: 'resources.securityGroups.alb',
    });
  const service = serviceGroup(f, notes);
  return { ...(albGroups[0] ? { alb: albGroups[0] } : {}), ...(service ? { service } : {}), ...stores.resources.securityGroups };
}

function resourceMap(f: DiscoveryFacts, stores: Stores, services: Record<string, ServiceResources>, notes: Notes): ResourceMap {
  const tiers = tierSubnets(f, stores.dbSubnets, stores.cacheSubnets);
  return {
    cluster: f.cluster,
    ...networkResources(f, tiers, notes),
    securityGroups: securityGroups(f, stores, notes),
    ...edgeResources(f, notes),
    ...(stores.resources.database ? { database: stores.resources.database } : {}),
    ...(stores.resources.cache ? { cache: stores.resources.cache } : {}),
    services,
  };
}

/** The account of the services (from their ARNs). */
const accountOf = (f: DiscoveryFacts) => f.services[0]?.service.serviceArn?.split(':')[4];

export function place(f: DiscoveryFacts, name: string, when: Date): Placement {
  const notes = new Notes();
  const stores = placeStores(f, notes);
  const taken = new Set<string>();
  const services: Record<string, unknown>[] = [];
  const serviceRes: Record<string, ServiceResources> = {};
  f.services.forEach((s, i) => {
    const berthName = berthServiceName(s.service.serviceName ?? `service-${i + 1}`, taken);
    const { cfg, res } = placeService(f, s, berthName, `services[${i}]`, notes);
    services.push(cfg);
    serviceRes[berthName] = res;
  });
  const account = accountOf(f);
  const tiers = tierSubnets(f, stores.dbSubnets, stores.cacheSubnets);
  const env: Record<string, unknown> = {
    $comment: `Written by berth discover from ECS cluster ${f.cluster} (${f.region}) on ${when.toISOString().slice(0, 10)}; resources pins the real resources.`,
    name,
    app: appName(name),
    region: f.region,
    ...(account && /^\d{12}$/.test(account) ? { account } : {}),
    protected: true,
    domain: domainSection(f, notes),
    network: networkSection(f, tiers, notes),
    database: stores.database,
    cache: stores.cache,
    state: { backend: 's3', bucket: `berth-state-${account ?? 'account'}-${f.region}` },
    services,
    resources: resourceMap(f, stores, serviceRes, notes),
  };
  notes.doubt('state.bucket is a placeholder: berth keeps no terraform state for this platform until it is adopted', {
    field: 'state.bucket',
  });
  for (const u of f.unread) notes.notPlaced(`could not read ${u.what}: ${u.why}`);
  return { environment: validated(env, name, notes), notes: notes.list, reached: stores.evidence };
}
