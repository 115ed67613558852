/**
 * Test helper: an environment for the hand-built RAG platform (test/fixtures/hand-built) with the
 * resource map `berth discover` would write for it, and a synth limited to some stacks (terraform is
 * costly here: a test plans only the stacks it needs to prove something).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironment } from '../../src/config/load.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { StackKind } from '../../src/config/names.js';
import { defaultSynth, kindOf, type SynthFn } from '../../src/terraform/workspace.js';
import type { ResourceMap } from '../../src/adopt/resource-map.js';
import { RAG, type RagPlatform } from '../fixtures/hand-built/index.js';

/** The state bucket the test creates on the emulator. */
export const STATE_BUCKET = 'rag-terraform-state';

export function ragResourceMap(p: RagPlatform): ResourceMap {
  return {
    cluster: RAG.cluster,
    vpc: p.vpcId,
    subnets: { public: p.publicSubnets, private: p.privateSubnets },
    routeTables: { public: [p.publicRouteTable], private: [p.privateRouteTable] },
    internetGateway: p.internetGateway,
    natGateways: [p.natGateway],
    securityGroups: { alb: p.securityGroups.alb, service: p.securityGroups.ecs, database: p.securityGroups.db, cache: p.securityGroups.db },
    loadBalancer: { name: RAG.loadBalancer, httpListener: p.loadBalancer.httpListener, httpsListener: p.loadBalancer.httpsListener },
    certificate: p.certificateArn,
    hostedZone: p.hostedZoneId,
    database: { cluster: RAG.database, subnetGroup: RAG.databaseSubnetGroup, writerInstance: RAG.databaseWriter },
    cache: { replicationGroup: RAG.cache, subnetGroup: RAG.cacheSubnetGroup },
    services: {
      backend: {
        service: RAG.service,
        taskFamily: RAG.family,
        container: RAG.container,
        targetGroup: RAG.targetGroup,
        logGroup: RAG.logGroup,
      },
    },
  };
}

/** The environment file's content: the RAG service on its platform, the map without the zone (found by its name). */
export function ragRaw(map: ResourceMap | undefined): Record<string, unknown> {
  const resources = map ? { ...map, hostedZone: undefined } : undefined;
  return {
    name: 'rag',
    app: 'rag',
    region: RAG.region,
    protected: false,
    domain: { name: RAG.zone, record: 'api', zone: 'create' },
    network: { cidr: '10.0.0.0/16', azCount: 2, nat: 'single' },
    database: { engine: 'postgresql', version: '16.1', deletionProtection: false },
    cache: { nodeType: 'cache.t4g.micro', engineVersion: '7.1', replicas: 0 },
    state: { backend: 's3', bucket: STATE_BUCKET },
    services: [{ name: 'backend', repository: RAG.repository, port: RAG.port, healthPath: '/health', pathPattern: '/*' }],
    ...(resources ? { resources: JSON.parse(JSON.stringify(resources)) } : {}),
  };
}

export function ragEnvironment(map: ResourceMap | undefined): EnvironmentConfig {
  return parseEnvironment(ragRaw(map), 'rag.json');
}

/** The real synth, with only `kinds` left in manifest.json (what terraform then plans). */
export function synthOnly(kinds: StackKind[]): SynthFn {
  return async (env, opts) => {
    const res = await defaultSynth(env, opts);
    const file = join(res.outdir, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as { stacks: Record<string, unknown> };
    for (const name of Object.keys(m.stacks)) if (!kinds.includes(kindOf(env, name)!)) delete m.stacks[name];
    writeFileSync(file, JSON.stringify(m, null, 2));
    return { ...res, stacks: res.stacks.filter((s) => kinds.includes(kindOf(env, s.name)!)) };
  };
}
