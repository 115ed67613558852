/**
 * The import-id resolution, pure: the real synthesized resources of an environment on the RAG
 * platform's resource map, against facts as adopt reads them (no AWS). Ids, formats and what is
 * created or left alone are asserted by address and id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type Facts, type SynthResource } from '../../src/adopt/facts.js';
import { adoptionOf, resolveAdoption, type Adoption } from '../../src/adopt/resolve.js';
import { synthResources } from '../../src/adopt/run.js';
import type { ResourceMap } from '../../src/adopt/resource-map.js';
import { defaultSynth } from '../../src/terraform/workspace.js';
import { ragEnvironment } from './rag-env.js';

const map: ResourceMap = {
  cluster: 'rag-cluster',
  vpc: 'vpc-00000000000000001',
  subnets: {
    public: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    private: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
  },
  routeTables: { public: ['rtb-0000000000000000a'], private: ['rtb-0000000000000000b'] },
  natGateways: ['nat-0000000000000000a'],
  securityGroups: {
    alb: 'sg-0000000000000000a',
    service: 'sg-0000000000000000b',
    database: 'sg-0000000000000000c',
    cache: 'sg-0000000000000000c',
  },
  loadBalancer: { name: 'RAG-ALB-Seoul' },
  hostedZone: 'Z0000000000000000000A',
  services: { backend: { service: 'rag-backend-service', targetGroup: 'RAG-Backend-TG', logGroup: '/ecs/rag-backend' } },
};
const LB = 'arn:aws:elasticloadbalancing:ap-northeast-2:868651351239:loadbalancer/app/RAG-ALB-Seoul/1';
const HTTPS = 'arn:aws:elasticloadbalancing:ap-northeast-2:868651351239:listener/app/RAG-ALB-Seoul/1/443';

/** The platform with the runbook's incidents: private subnets in no table, the app group lets out 443 only. */
function facts(): Facts {
  const f = emptyFacts();
  Object.assign(f, {
    vpc: map.vpc,
    defaultSecurityGroup: 'sg-0000000000000000d',
    subnets: map.subnets,
    routeTables: map.routeTables,
    associations: { 'subnet-0000000000000000a': 'rtb-0000000000000000a', 'subnet-0000000000000000b': 'rtb-0000000000000000a' },
    routes: { 'rtb-0000000000000000a': ['0.0.0.0/0'], 'rtb-0000000000000000b': ['0.0.0.0/0'] },
    internetGateway: 'igw-0000000000000000a',
    natGateways: [{ id: 'nat-0000000000000000a', allocationId: 'eipalloc-0000000000000000a' }],
    securityGroups: map.securityGroups,
    sgRules: [
      { id: 'sgr-00000000000000001', group: 'sg-0000000000000000b', egress: true, protocol: 'tcp', from: 443, to: 443, cidr: '0.0.0.0/0' },
      {
        id: 'sgr-00000000000000002',
        group: 'sg-0000000000000000b',
        egress: false,
        protocol: 'tcp',
        from: 8001,
        to: 8001,
        peer: 'sg-0000000000000000a',
      },
      { id: 'sgr-00000000000000003', group: 'sg-0000000000000000c', egress: true, protocol: '-1', cidr: '0.0.0.0/0' },
    ],
    named: {
      aws_lb: { 'RAG-ALB-Seoul': LB },
      aws_ecs_cluster: { 'rag-cluster': 'rag-cluster' },
      aws_ecs_service: { 'rag-backend-service': 'rag-cluster/rag-backend-service' },
      aws_cloudwatch_log_group: { '/ecs/rag-backend': '/ecs/rag-backend' },
    },
    listeners: [
      { arn: HTTPS, port: 443 },
      { arn: `${HTTPS}-8443`, port: 8443 },
    ],
    rules: [{ arn: `${HTTPS}/rule/9`, listener: HTTPS, priority: '9', paths: ['/admin/*'] }],
    zone: 'Z0000000000000000000A',
    records: ['Z0000000000000000000A_api.snapagent.store_A'],
    scalableTargets: ['service/rag-cluster/rag-backend-service'],
    scalingPolicies: ['service/rag-cluster/rag-backend-service/rag-rag-backend-cpu-target'],
  });
  return f;
}

let resources: SynthResource[];
let a: Adoption;
const dir = mkdtempSync(join(tmpdir(), 'berth-adopt-resolve-'));
const decision = (address: string) => a.decisions.find((d) => d.address === address)!;

beforeAll(async () => {
  const env = ragEnvironment(map);
  resources = synthResources(env, await defaultSynth(env, { outdir: join(dir, 'out'), adoption: null }));
  a = resolveAdoption(resources, facts());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import ids', () => {
  it('decides every synthesized resource exactly once', () => {
    expect(a.decisions.map((d) => d.address).sort()).toEqual(resources.map((r) => r.address).sort());
  });

  it('network: ids from the map, composite ids in the provider formats', () => {
    expect(decision('aws_vpc.network_vpc').id).toBe('vpc-00000000000000001');
    expect(decision('aws_subnet.network_subnet-private-1').id).toBe('subnet-0000000000000000d');
    expect(decision('aws_route_table.network_rt-private-0').id).toBe('rtb-0000000000000000b');
    expect(decision('aws_route.network_rt-private-0-default').id).toBe('rtb-0000000000000000b_0.0.0.0/0');
    expect(decision('aws_route_table_association.network_rta-public-1').id).toBe('subnet-0000000000000000b/rtb-0000000000000000a');
    expect(decision('aws_eip.network_nat-eip-0').id).toBe('eipalloc-0000000000000000a');
    expect(decision('aws_default_security_group.network_default-security-group').id).toBe('sg-0000000000000000d');
  });

  it('the incident: a private subnet with no association gets one created, saying so', () => {
    const d = decision('aws_route_table_association.network_rta-private-0');
    expect(d.action).toBe('create');
    expect(d.why).toMatch(/^route table association added: subnet-0000000000000000c has none/);
    // The map names one private table: both private subnets are associated with it, no second table is created.
    expect(
      a.decisions
        .filter((x) => x.type === 'aws_route_table')
        .map((x) => `${x.address} ${x.action} ${x.id}`)
        .sort(),
    ).toEqual([
      'aws_route_table.network_rt-private-0 import rtb-0000000000000000b',
      'aws_route_table.network_rt-public import rtb-0000000000000000a',
    ]);
    // The map names no database subnets (the data stores share the private ones): no database subnet is created.
    expect(a.decisions.filter((x) => x.type === 'aws_subnet' && x.action === 'create')).toEqual([]);
  });

  it('security: existing rules imported by sgr id, the missing egress added, one group imported once', () => {
    expect(decision('aws_vpc_security_group_egress_rule.security_app-out-https').id).toBe('sgr-00000000000000001');
    expect(decision('aws_vpc_security_group_ingress_rule.security_app-in-alb-8001').id).toBe('sgr-00000000000000002');
    const db = decision('aws_vpc_security_group_egress_rule.security_app-out-db-5432');
    expect(db.action).toBe('create');
    expect(db.why).toBe('egress 5432 to db added to sg-0000000000000000b');
    expect(decision('aws_security_group.security_db').id).toBe('sg-0000000000000000c');
    // One group for the database and the cache in the map: both keep it, the Redis rule is added to it.
    expect(a.decisions.filter((d) => d.type === 'aws_security_group' && d.action === 'create')).toEqual([]);
    const redis = decision('aws_vpc_security_group_ingress_rule.security_cache-in-app-6379');
    expect([redis.action, redis.why]).toEqual(['create', 'ingress 6379 from app added to sg-0000000000000000c']);
    expect(a.leftAlone.map((x) => x.resource)).toContain('sgr-00000000000000003');
  });

  it('edge and service: ARNs and composite ids; task definitions registered anew; extras left alone', () => {
    expect(decision('aws_lb.edge_alb').id).toBe(LB);
    expect(decision('aws_lb_listener.edge_https').id).toBe(HTTPS);
    expect(decision('aws_lb_listener.edge_http').action).toBe('create');
    expect(decision('aws_route53_record.edge_alias').id).toBe('Z0000000000000000000A_api.snapagent.store_A');
    expect(decision('aws_ecs_service.service_backend-service').id).toBe('rag-cluster/rag-backend-service');
    expect(decision('aws_appautoscaling_target.service_backend-scaling-target').id).toBe(
      'ecs/service/rag-cluster/rag-backend-service/ecs:service:DesiredCount',
    );
    expect(decision('aws_appautoscaling_policy.service_backend-scaling-cpu').id).toBe(
      'ecs/service/rag-cluster/rag-backend-service/ecs:service:DesiredCount/rag-rag-backend-cpu-target',
    );
    expect(decision('aws_appautoscaling_policy.service_backend-scaling-memory').action).toBe('create');
    expect(decision('aws_cloudwatch_log_group.service_backend-logs').id).toBe('/ecs/rag-backend');
    expect(decision('aws_ecs_task_definition.service_backend-task-definition').action).toBe('create');
    expect(a.leftAlone.map((x) => x.resource)).toEqual(expect.arrayContaining([`${HTTPS}-8443`, `${HTTPS}/rule/9`]));
  });

  it('the adoption file: imports per stack, with the attributes each keeps', () => {
    const f = adoptionOf('rag', a);
    expect(f.stacks.network!.imports['aws_subnet.network_subnet-public-0']).toBe('subnet-0000000000000000a');
    expect(f.stacks.network!.keep['aws_subnet.network_subnet-public-0']).toEqual(['cidr_block', 'availability_zone', 'vpc_id']);
    expect(f.stacks.security!.keep['aws_security_group.security_app']).toEqual(['name', 'description', 'vpc_id']);
    expect(f.stacks.service!.imports['aws_ecs_task_definition.service_backend-task-definition']).toBeUndefined();
  });
});
