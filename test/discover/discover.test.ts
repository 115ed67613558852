/**
 * `berth discover` on hand-built platforms in a bare emulator (plain emulator state, no berth
 * stacks): the RAG platform of rag-backend-ecs-deployment-guide.md with its two incidents, and a
 * second shape (two services on one ALB by path rule, Aurora MySQL, no Redis). The written file
 * validates, its resource map names the real resources, and what it could not place is listed.
 */
import { AuthorizeSecurityGroupEgressCommand, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  applyGuideFixes,
  buildRagPlatform,
  buildShopPlatform,
  clientsFor,
  RAG,
  SHOP,
  startBareEmulator,
  type BareEmulator,
  type RagPlatform,
  type ShopPlatform,
  VPC_CIDR,
} from '../fixtures/hand-built/index.js';
import { runCli, tempProject } from '../helpers/cli.js';

let emu: BareEmulator;
let rag: RagPlatform;
let shop: ShopPlatform;
let project: { dir: string; cleanup: () => void };

beforeAll(async () => {
  emu = await startBareEmulator();
  [rag, shop] = await Promise.all([buildRagPlatform(emu.endpoint), buildShopPlatform(emu.endpoint)]);
  project = tempProject();
}, 120_000);

afterAll(async () => {
  await emu?.stop();
  project?.cleanup();
});

const run = (args: string[], region: string = RAG.region) => runCli(args, { project: project.dir, env: emu.cliEnv(region) });
const envFile = (name: string) => join(project.dir, 'environments', `${name}.json`);

describe('the RAG platform', () => {
  let doc: any;
  let report: any;
  beforeAll(async () => {
    const r = await run(['discover', '--cluster', RAG.cluster, '--service', RAG.service, '--name', 'rag', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    report = r.json;
    doc = JSON.parse(readFileSync(envFile('rag'), 'utf8'));
  }, 120_000);

  test('writes an environment that config validate accepts', async () => {
    expect(report.file).toBe(envFile('rag'));
    const v = await runCli(['config', 'validate', '--env', 'rag'], { project: project.dir });
    expect(v.code, v.stderr).toBe(0);
    expect([doc.name, doc.region, doc.account]).toEqual(['rag', 'ap-northeast-2', emu.accountId]);
  });

  test('its resource map names the real cluster, service, target group, ALB, groups, subnets, database, cache, zone and certificate', () => {
    const r = doc.resources;
    expect(r.cluster).toBe(RAG.cluster);
    expect(r.vpc).toBe(rag.vpcId);
    expect(r.services['rag-backend']).toMatchObject({
      service: RAG.service,
      taskFamily: RAG.family,
      container: RAG.container,
      targetGroup: RAG.targetGroup,
      logGroup: RAG.logGroup,
      logStreamPrefix: 'ecs',
      executionRole: RAG.executionRole,
    });
    expect(r.loadBalancer).toMatchObject({
      name: RAG.loadBalancer,
      arn: rag.loadBalancer.arn,
      httpListener: rag.loadBalancer.httpListener,
      httpsListener: rag.loadBalancer.httpsListener,
    });
    expect(r.securityGroups).toEqual({
      alb: rag.securityGroups.alb,
      service: rag.securityGroups.ecs,
      database: rag.securityGroups.db,
      cache: rag.securityGroups.db,
    });
    expect(new Set(r.subnets.public)).toEqual(new Set(rag.publicSubnets));
    expect(new Set(r.subnets.private)).toEqual(new Set(rag.privateSubnets));
    // Aurora and Redis live in the private subnets: a two-tier platform, no database tier of its own.
    expect(r.subnets.database).toBeUndefined();
    expect(r.routeTables.database).toBeUndefined();
    expect(r.internetGateway).toBe(rag.internetGateway);
    expect(r.natGateways).toEqual([rag.natGateway]);
    expect(r.database).toMatchObject({
      cluster: RAG.database,
      subnetGroup: RAG.databaseSubnetGroup,
      writerInstance: RAG.databaseWriter,
      secret: 'rag-backend/database',
    });
    expect(r.cache).toMatchObject({ replicationGroup: RAG.cache, subnetGroup: RAG.cacheSubnetGroup, secret: 'rag-backend/redis' });
    expect([r.hostedZone, r.certificate]).toEqual([rag.hostedZoneId, rag.certificateArn]);
    expect(doc.domain).toEqual({ name: RAG.zone, record: 'api', zone: 'existing', zoneId: rag.hostedZoneId });
  });

  test("the private subnets' EFFECTIVE route table is the main one (the incident), and the report says they have none of their own", () => {
    expect(doc.resources.routeTables.private).toEqual([rag.mainRouteTable]);
    expect(doc.resources.routeTables.public).toEqual([rag.publicRouteTable]);
    const d = report.doubts.find((n: any) => n.field === 'resources.routeTables.private');
    expect(d.resource.split(', ').sort()).toEqual([...rag.privateSubnets].sort());
  });

  test('the service in berth terms: port, size, architecture, health check, secrets by name, the database and cache reached through both secrets and group rules', () => {
    const s = doc.services[0];
    expect(s).toMatchObject({
      name: 'rag-backend',
      port: RAG.port,
      cpu: 1024,
      memory: 2048,
      cpuArchitecture: 'X86_64',
      repository: RAG.repository,
      imageTag: 'latest',
      healthPath: '/health',
      pathPattern: '/*',
    });
    expect(s.secrets).toMatchObject({
      DATABASE_HOST: 'rag-backend/database:host',
      REDIS_PASSWORD: 'rag-backend/redis:password',
      OPENAI_API_KEY: 'rag-backend/openai:api_key',
    });
    expect(doc.database).toMatchObject({ engine: 'postgresql', version: '16.1', databaseName: RAG.databaseName });
    expect(doc.cache).toMatchObject({ transitEncryption: true, authToken: true });
    expect(report.reached.database).toEqual(
      expect.arrayContaining([
        'secret rag-backend/database names its endpoint',
        `security group ${rag.securityGroups.db} lets ${rag.securityGroups.ecs} in on 5432`,
      ]),
    );
    expect(report.reached.cache).toEqual(expect.arrayContaining(['secret rag-backend/redis names its endpoint']));
  });

  test('no secret value is written or printed', async () => {
    const sm = clientsFor({ endpoint: emu.endpoint, region: RAG.region }).sm;
    const text = readFileSync(envFile('rag'), 'utf8') + JSON.stringify(report);
    for (const arn of Object.values(rag.secrets)) {
      const value = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!);
      for (const k of ['password', 'api_key', 'secret_key', 'client_secret']) if (value[k]) expect(text).not.toContain(String(value[k]));
    }
  });

  test('a second discover replaces its own file; a file berth did not write is refused (exit 2) and left as is', async () => {
    expect((await run(['discover', '--cluster', RAG.cluster, '--service', RAG.service, '--name', 'rag'])).code).toBe(0);
    writeFileSync(envFile('mine'), '{"hand": "written"}\n');
    const r = await run(['discover', '--cluster', RAG.cluster, '--service', RAG.service, '--name', 'mine', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('output.not-owned');
    expect(readFileSync(envFile('mine'), 'utf8')).toBe('{"hand": "written"}\n');
  });
});

describe('discover input and failures', () => {
  test('bad input is refused before any AWS call (no endpoint, no credentials needed), exit 2, nothing written', async () => {
    const cases: [string[], string][] = [
      [['discover', '--service', 'x', '--region', 'eu-west-1'], '--cluster'],
      [['discover', '--cluster', 'c', '--region', 'eu-west-1'], '--service'],
      [['discover', '--cluster', 'bad name!', '--service', 'x', '--region', 'eu-west-1'], 'bad name!'],
      [['discover', '--cluster', 'c', '--service', 'x', '--region', 'mars-north-1'], 'mars-north-1'],
      [['discover', '--cluster', 'c', '--service', 'x', '--service', 'x', '--region', 'eu-west-1'], 'twice'],
      [['discover', '--cluster', 'c', '--service', 'x', '--region', 'eu-west-1', '--name', 'Prod_1'], 'Prod_1'],
      [['discover', '--cluster', '1', '--service', 'x', '--region', 'eu-west-1'], '--name'],
    ];
    for (const [args, needle] of cases) {
      const r = await runCli([...args, '--json'], {
        project: project.dir,
        env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, BERTH_AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
      });
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.json.error.message).toContain(needle);
    }
    expect(existsSync(envFile('c'))).toBe(false);
  });

  test('a service or cluster that does not exist: discover.not-found, exit 60, nothing written', async () => {
    const r = await run(['discover', '--cluster', RAG.cluster, '--service', 'no-such-service', '--name', 'ghost', '--json']);
    expect([r.code, r.json.error.code, r.json.error.details.missing]).toEqual([60, 'discover.not-found', ['no-such-service']]);
    const c = await run(['discover', '--cluster', 'no-such-cluster', '--service', 'x', '--name', 'ghost', '--json']);
    expect([c.code, c.json.error.code]).toEqual([60, 'discover.not-found']);
    expect(existsSync(envFile('ghost'))).toBe(false);
  });
});

describe('the second shape: two services on one ALB by path rule, Aurora MySQL, no Redis', () => {
  let doc: any;
  let report: any;
  beforeAll(async () => {
    mkdirSync(join(project.dir, 'environments'), { recursive: true });
    const r = await run(
      ['discover', '--cluster', SHOP.cluster, '--service', SHOP.web.service, '--service', SHOP.api.service, '--json'],
      shop.region,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    report = r.json;
    doc = JSON.parse(readFileSync(envFile('shop-prod'), 'utf8'));
  }, 120_000);

  test('one environment with both services, their path patterns, architectures and ports; it validates', async () => {
    expect((await runCli(['config', 'validate', '--env', 'shop-prod'], { project: project.dir })).code).toBe(0);
    const [web, api] = doc.services;
    expect(web).toMatchObject({
      name: 'storefront-web',
      port: 3000,
      pathPattern: '/*',
      cpuArchitecture: 'X86_64',
      healthPath: '/healthz',
      repository: 'shop/storefront',
      imageTag: '2024.11.3',
    });
    expect(api).toMatchObject({
      name: 'orders-api',
      port: 8080,
      pathPattern: '/api/*',
      cpuArchitecture: 'ARM64',
      healthPath: '/api/health',
    });
    expect(api.secrets).toEqual({
      DB_HOST: `${SHOP.dbSecret}:host`,
      DB_USER: `${SHOP.dbSecret}:username`,
      DB_PASSWORD: `${SHOP.dbSecret}:password`,
    });
    expect(doc.resources.services['orders-api']).toMatchObject({
      targetGroup: SHOP.api.targetGroup,
      listenerRule: shop.apiRule,
      container: 'app',
      logStreamPrefix: 'shop',
      logGroup: SHOP.api.logGroup,
    });
    expect(doc.resources.services['storefront-web'].listenerRule).toBeUndefined();
    expect(doc.database).toMatchObject({ engine: 'mysql', version: '8.0.mysql_aurora.3.05.2' });
    expect(doc.resources.database).toMatchObject({ cluster: SHOP.database, secret: SHOP.dbSecret });
    expect(doc.resources.loadBalancer.name).toBe(SHOP.loadBalancer);
    expect(doc.domain).toMatchObject({ name: SHOP.zone, record: 'www', zoneId: shop.hostedZoneId });
  });

  test('what it could not place or places with doubt is listed: no Redis, a provisioned cluster, one group per service', () => {
    expect(report.notPlaced.map((n: any) => n.field)).toContain('cache');
    expect(doc.resources.cache).toBeUndefined();
    expect(report.doubts.map((n: any) => n.field)).toEqual(
      expect.arrayContaining(['database.minCapacity', 'resources.securityGroups.service']),
    );
    expect(new Set(doc.resources.subnets.database)).toEqual(new Set(shop.databaseSubnets));
  });
});

describe('operating and diagnosing the discovered platforms without terraform (names unlike berth conventions)', () => {
  const findings = (r: any, check: string) => r.json.findings.filter((f: any) => f.check === check);

  test('status and logs find the real service, task family and log group', async () => {
    const s = await run(['status', '--env', 'rag', '--json']);
    expect(s.json.services[0]).toMatchObject({ name: 'rag-backend', found: true, desired: 1 });
    expect(s.json.services[0].taskDefinition).toContain(`task-definition/${RAG.family}:4`);
    const l = await run(['logs', '--env', 'rag', '--since', '1h', '--json']);
    expect(l.code, l.stderr).toBe(0);
  });

  test("doctor FAILs both incidents naming the real subnets, route table and groups, and no fix names berth's conventional names", async () => {
    const r = await run(['doctor', '--env', 'rag', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.platform).toBe('discovered');
    const routes = findings(r, 'network.private-route');
    expect(routes.map((f: any) => [f.status, f.resource]).sort()).toEqual(rag.privateSubnets.map((s) => ['FAIL', s]).sort());
    for (const f of routes)
      expect(f.fix.commands).toEqual([`aws ec2 associate-route-table --route-table-id ${rag.privateRouteTable} --subnet-id ${f.resource}`]);
    const db = findings(r, 'security-groups.app-to-db')[0];
    expect(db.status).toBe('FAIL');
    expect(db.fix.commands[0]).toContain(`authorize-security-group-egress --group-id ${rag.securityGroups.ecs}`);
    expect(db.fix.commands[0]).toContain(`GroupId=${rag.securityGroups.db}`);
    expect(findings(r, 'security-groups.found')[0].status).toBe('PASS');
    // The service is found by its real name (its tasks cannot start: that is the incident's symptom).
    expect(JSON.stringify(findings(r, 'task-start.service')[0])).toContain(RAG.service);
    const text = JSON.stringify(r.json);
    expect(text).not.toContain('rag-rag-'); // berth's names for app "rag", environment "rag"
    expect(text).not.toMatch(/"berth apply --env rag"/);
  });

  test("reachability to Aurora and Redis follows AWS's rules: the unrouted subnets do not block it (the VPC's local route), ECS-SG's 443-only egress does", async () => {
    const ecs = rag.securityGroups.ecs;
    const before = await run(['doctor', '--env', 'rag', 'database', 'redis', '--json']);
    for (const check of ['database.reachability', 'redis.reachability']) {
      const [f] = findings(before, check);
      expect([check, f.status, f.resource, f.evidence.blockers]).toEqual([check, 'FAIL', ecs, [`sg-egress: ${ecs}`]]);
      expect(f.fix.commands[0]).toContain(`authorize-security-group-egress --group-id ${ecs}`);
    }
    // Only the groups' half of the guide's fixes: the private subnets still use the main table, which has no route out.
    const { ec2 } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
    const perms = [5432, 6379].map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, IpRanges: [{ CidrIp: VPC_CIDR }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: ecs, IpPermissions: perms }));
    try {
      const after = await run(['doctor', '--env', 'rag', 'network', 'database', 'redis', '--json']);
      for (const check of ['database.reachability', 'redis.reachability'])
        expect([check, findings(after, check).map((f: any) => [f.status, f.evidence.via])]).toEqual([check, [['PASS', 'local']]]);
      expect(findings(after, 'network.private-route').map((f: any) => f.status)).toEqual(rag.privateSubnets.map(() => 'FAIL'));
    } finally {
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: ecs, IpPermissions: perms }));
    }
  });

  test("after the guide's own fixes, the incidents' checks PASS", async () => {
    await applyGuideFixes(emu.endpoint, rag);
    const r = await run(['doctor', '--env', 'rag', 'network', 'security-groups', 'database', 'redis', '--json']);
    for (const check of [
      'network.private-route',
      'security-groups.app-to-db',
      'security-groups.app-to-cache',
      'database.reachability',
      'redis.reachability',
    ])
      expect([check, findings(r, check).map((f: any) => f.status)]).toEqual([check, findings(r, check).map(() => 'PASS')]);
    expect(findings(r, 'redis.url')[0]).toMatchObject({ status: 'PASS', resource: rag.secrets['rag-backend/redis'] });
  });

  test('the second shape: an isolated database tier and no Redis are not failures; groups found by their pinned ids', async () => {
    const r = await run(['doctor', '--env', 'shop-prod', 'network', 'security-groups', 'database', 'redis', '--json'], shop.region);
    expect(findings(r, 'network.database-route').map((f: any) => f.status)).toEqual(['PASS', 'PASS']);
    expect(findings(r, 'security-groups.found')[0].status).toBe('PASS');
    expect(findings(r, 'security-groups.app-to-cache')).toEqual([]);
    expect(findings(r, 'redis.replication-group')[0].status).toBe('WARN');
    expect(findings(r, 'database.reachability').map((f: any) => [f.service, f.status])).toEqual([['orders-api', 'PASS']]);
  });
});
