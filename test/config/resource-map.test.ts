/**
 * The resource map (`resources`): validated by AWS's rules (ids, names, ARNs of the right service,
 * region and account), and THE resolver (names/serviceNames) takes it first and berth's convention
 * otherwise, saying whether it returns an id or a name for the EC2 roles.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnvironment } from '../../src/config/load.js';
import { ec2Filter, hasResourceMap, names, refLabel, serviceNames } from '../../src/config/names.js';
import { runCli, tempProject } from '../helpers/cli.js';

const template = JSON.parse(readFileSync(new URL('../../templates/environments/platform.json', import.meta.url), 'utf8'));
const ACCT = '123456789012';
const LB = `arn:aws:elasticloadbalancing:ap-northeast-2:${ACCT}:loadbalancer/app/RAG-ALB-Seoul/0123456789abcdef`;
const LISTENER = `arn:aws:elasticloadbalancing:ap-northeast-2:${ACCT}:listener/app/RAG-ALB-Seoul/0123456789abcdef/fedcba9876543210`;
const RULE = `${LISTENER.replace(':listener/', ':listener-rule/')}/00112233445566aa`;
const CERT = `arn:aws:acm:ap-northeast-2:${ACCT}:certificate/12345678-90ab-cdef-1234-567890abcdef`;

const map = () => ({
  cluster: 'rag-cluster',
  vpc: 'vpc-0a1b2c3d4e5f67890',
  subnets: { public: ['subnet-0a1b2c3d4e5f67891', 'subnet-0a1b2c3d'], private: ['subnet-0a1b2c3d4e5f67892'] },
  routeTables: { private: ['rtb-0a1b2c3d4e5f67893'] },
  internetGateway: 'igw-0a1b2c3d4e5f67894',
  natGateways: ['nat-0a1b2c3d4e5f67895'],
  securityGroups: { alb: 'sg-0a1b2c3d4e5f67896', service: 'sg-0a1b2c3d4e5f67897' },
  loadBalancer: { name: 'RAG-ALB-Seoul', arn: LB, httpListener: LISTENER },
  certificate: CERT,
  hostedZone: 'Z1RWWTK7Y8UDDQ',
  database: { cluster: 'rag-aurora-cluster', writerInstance: 'rag-aurora-instance-1', secret: 'rag-backend/database' },
  cache: { replicationGroup: 'rag-redis', secret: 'rag-backend/redis' },
  services: {
    api: {
      service: 'rag-backend-service',
      taskFamily: 'rag-backend-task',
      container: 'rag-backend',
      targetGroup: 'RAG-Backend-TG',
      logGroup: '/ecs/rag-backend',
      logStreamPrefix: 'ecs',
      listenerRule: RULE,
      executionRole: 'ecsTaskExecutionRole',
    },
  },
});

const withMap = (m: unknown, extra: Record<string, unknown> = {}) => ({ ...structuredClone(template), ...extra, resources: m });

function issuesOf(raw: unknown): { path: string; value: unknown; expected: string }[] {
  try {
    parseEnvironment(raw, 'platform.json', 'platform');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('the resolver', () => {
  it("takes the map's names first", () => {
    const env = parseEnvironment(withMap(map()), 'platform.json', 'platform');
    const n = names(env);
    expect(hasResourceMap(env)).toBe(true);
    expect([n.cluster, n.alb, n.dbCluster, n.dbWriterInstance, n.cacheReplicationGroup, n.redisSecret, n.databaseSecret]).toEqual([
      'rag-cluster',
      'RAG-ALB-Seoul',
      'rag-aurora-cluster',
      'rag-aurora-instance-1',
      'rag-redis',
      'rag-backend/redis',
      'rag-backend/database',
    ]);
    expect([n.albArn, n.httpListenerArn, n.httpsListenerArn, n.certificateArn, n.hostedZoneId]).toEqual([
      LB,
      LISTENER,
      undefined,
      CERT,
      'Z1RWWTK7Y8UDDQ',
    ]);
    // Roles the map leaves out follow the convention.
    expect(n.dbSubnetGroup).toBe('chatbot-platform-db');
    const sn = serviceNames(env, env.services[0]!);
    expect(sn).toMatchObject({
      service: 'rag-backend-service',
      taskFamily: 'rag-backend-task',
      container: 'rag-backend',
      targetGroup: 'RAG-Backend-TG',
      logGroup: '/ecs/rag-backend',
      logStreamPrefix: 'ecs',
      listenerRuleArn: RULE,
      executionRole: 'ecsTaskExecutionRole',
      taskRole: 'chatbot-platform-api-task',
    });
  });

  it('returns ids for the EC2 roles the map pins, and says so in the filter', () => {
    const r = names(parseEnvironment(withMap(map()), 'platform.json', 'platform')).refs;
    expect(r.vpc).toEqual({ id: 'vpc-0a1b2c3d4e5f67890' });
    expect(ec2Filter(r.vpc, 'vpc-id')).toEqual({ Name: 'vpc-id', Values: ['vpc-0a1b2c3d4e5f67890'] });
    expect(r.subnets('public')).toEqual([{ id: 'subnet-0a1b2c3d4e5f67891' }, { id: 'subnet-0a1b2c3d' }]);
    expect(r.routeTables('private')).toEqual([{ id: 'rtb-0a1b2c3d4e5f67893' }]);
    expect(ec2Filter(r.securityGroup('alb'), 'group-id')).toEqual({ Name: 'group-id', Values: ['sg-0a1b2c3d4e5f67896'] });
    // Not pinned: berth's group name, found by group-name.
    expect(ec2Filter(r.securityGroup('database'), 'group-id')).toEqual({ Name: 'group-name', Values: ['chatbot-platform-db'] });
    expect(r.subnets('database').map(refLabel)).toEqual(['chatbot-platform-database-1', 'chatbot-platform-database-2']);
    expect(r.natGateways.map(refLabel)).toEqual(['nat-0a1b2c3d4e5f67895']);
  });

  it("without a map, berth's names and Name tags", () => {
    const env = parseEnvironment(structuredClone(template), 'platform.json', 'platform');
    const n = names(env);
    expect(hasResourceMap(env)).toBe(false);
    expect([n.cluster, n.alb, n.dbCluster, n.redisSecret]).toEqual([
      'chatbot-platform',
      'chatbot-platform-alb',
      'chatbot-platform-db',
      'chatbot/platform/redis',
    ]);
    expect(ec2Filter(n.refs.vpc, 'vpc-id')).toEqual({ Name: 'tag:Name', Values: ['chatbot-platform-vpc'] });
    expect(n.refs.routeTables('public').map(refLabel)).toEqual(['chatbot-platform-public']);
    expect(n.refs.routeTables('private').map(refLabel)).toEqual(['chatbot-platform-private-1', 'chatbot-platform-private-2']);
    expect(n.refs.natGateways.map(refLabel)).toEqual(['chatbot-platform-nat-1']); // nat: single
    expect(n.refs.securityGroup('service')).toEqual({ name: 'chatbot-platform-app', by: 'group-name' });
    expect(serviceNames(env, env.services[0]!)).toMatchObject({
      service: 'api',
      logStreamPrefix: 'api',
      taskFamily: 'chatbot-platform-api',
    });
  });
});

describe('validation of the map', () => {
  const cases: { name: string; patch: (m: any) => void; extra?: Record<string, unknown>; path: string; expected: RegExp }[] = [
    { name: 'an sg- id as the VPC', patch: (m) => (m.vpc = 'sg-0a1b2c3d4e5f67890'), path: 'resources.vpc', expected: /vpc-/ },
    {
      name: 'a short subnet id',
      patch: (m) => (m.subnets.private = ['subnet-123']),
      path: 'resources.subnets.private[0]',
      expected: /8 or 17 hex/,
    },
    {
      name: 'a NAT id with capitals',
      patch: (m) => (m.natGateways = ['nat-0A1B2C3D4E5F67895']),
      path: 'resources.natGateways[0]',
      expected: /nat-/,
    },
    {
      name: 'an rtb id as a security group',
      patch: (m) => (m.securityGroups.cache = 'rtb-0a1b2c3d'),
      path: 'resources.securityGroups.cache',
      expected: /sg-/,
    },
    {
      name: 'a 33-character target group',
      patch: (m) => (m.services.api.targetGroup = 'T'.repeat(33)),
      path: 'resources.services.api.targetGroup',
      expected: /32/,
    },
    {
      name: 'a target group ending in a hyphen',
      patch: (m) => (m.services.api.targetGroup = 'rag-tg-'),
      path: 'resources.services.api.targetGroup',
      expected: /hyphen/,
    },
    {
      name: '"--" in the DB cluster',
      patch: (m) => (m.database.cluster = 'rag--aurora'),
      path: 'resources.database.cluster',
      expected: /two hyphens/,
    },
    {
      name: 'a replication group starting with a digit',
      patch: (m) => (m.cache.replicationGroup = '1rag'),
      path: 'resources.cache.replicationGroup',
      expected: /starting with a letter/,
    },
    {
      name: 'an upper-case DB subnet group',
      patch: (m) => (m.database.subnetGroup = 'RAG-DB'),
      path: 'resources.database.subnetGroup',
      expected: /lowercase/,
    },
    {
      name: 'an ALB named internal-',
      patch: (m) => (m.loadBalancer.name = 'internal-rag'),
      path: 'resources.loadBalancer.name',
      expected: /internal-/,
    },
    {
      name: 'a log group under aws/',
      patch: (m) => (m.services.api.logGroup = 'aws/ecs/x'),
      path: 'resources.services.api.logGroup',
      expected: /reserved prefix/,
    },
    {
      name: 'an S3 ARN as the certificate',
      patch: (m) => (m.certificate = 'arn:aws:s3:::bucket'),
      path: 'resources.certificate',
      expected: /ACM certificate ARN/,
    },
    {
      name: 'a certificate in us-east-1',
      patch: (m) => (m.certificate = CERT.replace('ap-northeast-2', 'us-east-1')),
      path: 'resources.certificate',
      expected: /region ap-northeast-2.*us-east-1/,
    },
    {
      name: 'a listener of another account',
      patch: (m) => (m.loadBalancer.httpListener = LISTENER.replace(ACCT, '210987654321')),
      extra: { account: ACCT },
      path: 'resources.loadBalancer.httpListener',
      expected: /account 123456789012/,
    },
    {
      name: 'a listener of another load balancer',
      patch: (m) => (m.loadBalancer.httpsListener = LISTENER.replace(/RAG-ALB-Seoul/g, 'other-alb')),
      path: 'resources.loadBalancer.httpsListener',
      expected: /RAG-ALB-Seoul/,
    },
    {
      name: 'a target group ARN as a listener rule',
      patch: (m) => (m.services.api.listenerRule = `arn:aws:elasticloadbalancing:ap-northeast-2:${ACCT}:targetgroup/x/0123`),
      path: 'resources.services.api.listenerRule',
      expected: /listener-rule ARN/,
    },
    {
      name: 'a service the environment does not have',
      patch: (m) => (m.services.web = { service: 'web' }),
      path: 'resources.services.web',
      expected: /service of this environment \(api\)/,
    },
    {
      name: 'a subnet listed twice',
      patch: (m) => (m.subnets.public = ['subnet-0a1b2c3d', 'subnet-0a1b2c3d']),
      path: 'resources.subnets.public[1]',
      expected: /already listed/,
    },
    {
      name: 'a hosted zone other than domain.zoneId',
      patch: (m) => (m.hostedZone = 'ZOTHER'),
      extra: { domain: { name: 'example.com', zone: 'existing', zoneId: 'Z1RWWTK7Y8UDDQ' } },
      path: 'resources.hostedZone',
      expected: /domain.zoneId/,
    },
    { name: 'an unknown role', patch: (m) => (m.queue = 'x'), path: 'resources.queue', expected: /no such field/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, naming ${c.path}`, () => {
      const m = map();
      c.patch(m);
      const issues = issuesOf(withMap(m, c.extra));
      const hit = issues.find((i) => i.path === c.path);
      expect(hit, JSON.stringify(issues)).toBeDefined();
      expect(hit!.expected).toMatch(c.expected);
    });
  }

  it('accepts the full map', () => {
    expect(issuesOf(withMap(map()))).toEqual([]);
  });

  it('does not blame the app for a conventional name the map replaces (target groups cut to the same 32 characters)', () => {
    const two = (m: unknown) => {
      const e = withMap(m, { app: 'a'.repeat(20) });
      e.services = [
        { ...template.services[0], name: 'api-one', pathPattern: '/one/*' },
        { ...template.services[0], name: 'api-two', pathPattern: '/two/*' },
      ];
      return e;
    };
    expect(issuesOf(two(undefined)).map((i) => i.path)).toContain('services[1].name');
    const pinned = { services: { 'api-one': { targetGroup: 'one-tg' }, 'api-two': { targetGroup: 'two-tg' } } };
    expect(issuesOf(two(pinned))).toEqual([]);
  });
});

describe('berth config validate on a resource map', () => {
  let project: { dir: string; cleanup: () => void };
  beforeAll(() => {
    project = tempProject();
    mkdirSync(join(project.dir, 'environments'), { recursive: true });
    const m = map();
    m.vpc = 'vpc-XYZ';
    writeFileSync(join(project.dir, 'environments', 'platform.json'), JSON.stringify(withMap(m)));
  });
  afterAll(() => project.cleanup());

  it('exits 2 with the field, the value and what was expected (--json)', async () => {
    const r = await runCli(['config', 'validate', '--env', 'platform', '--json'], { project: project.dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.details.issues).toEqual([{ path: 'resources.vpc', value: 'vpc-XYZ', expected: expect.stringContaining('vpc-') }]);
  });
});
