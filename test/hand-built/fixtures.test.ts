/**
 * The hand-built fixtures (test/fixtures/hand-built/) build what they say, on a bare emulator of
 * their own: the RAG platform of rag-backend-ecs-deployment-guide.md with its two incidents as they
 * happened (read back through plain AWS calls), the guide's fixes, an image the emulator's ECS runs,
 * and the second shape (two services on one ALB with a path rule, Aurora MySQL), and `berth discover`
 * on the second shape: it assumes nothing of the first.
 */
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { DescribeReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { readFileSync } from 'node:fs';
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
  type Clients,
  type RagPlatform,
  type ShopPlatform,
} from '../fixtures/hand-built/index.js';
import { runCli, tempProject } from '../helpers/cli.js';

let emu: BareEmulator;
let rag: RagPlatform;
let shop: ShopPlatform;
let c: Clients;

beforeAll(async () => {
  emu = await startBareEmulator();
  [rag, shop] = await Promise.all([buildRagPlatform(emu.endpoint), buildShopPlatform(emu.endpoint)]);
  c = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
});

afterAll(async () => {
  await emu?.stop();
});

async function waitService(cl: Clients, cluster: string, service: string, done: (s: Service) => boolean): Promise<Service> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = (await cl.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0]!;
    if (done(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the RAG platform as the guide built it', () => {
  test('its incidents: private subnets in no route table, the NAT route in a table nobody uses; ECS-SG egress 443 only', async () => {
    const tables = (await c.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [rag.vpcId] }] }))).RouteTables!;
    const explicit = tables.flatMap((t) => (t.Associations ?? []).filter((a) => a.SubnetId).map((a) => a.SubnetId));
    for (const s of rag.privateSubnets) expect(explicit).not.toContain(s);
    expect(explicit.sort()).toEqual([...rag.publicSubnets].sort());
    const nat = tables.find((t) => t.RouteTableId === rag.privateRouteTable)!;
    expect(nat.Routes!.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.NatGatewayId === rag.natGateway)).toBe(true);
    expect(nat.Associations ?? []).toEqual([]);
    const main = tables.find((t) => t.RouteTableId === rag.mainRouteTable)!;
    expect(main.Routes!.map((r) => r.DestinationCidrBlock)).toEqual(['10.0.0.0/16']);
    const ecsSg = (await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [rag.securityGroups.ecs] }))).SecurityGroups![0]!;
    expect(ecsSg.GroupName).toBe('ECS-SG');
    expect(ecsSg.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort])).toEqual([['tcp', 443, 443]]);
  });

  test('the guide names: service on rag-backend-task:4 behind RAG-Backend-TG, Aurora PostgreSQL 16.1, Redis 7.1, an issued certificate, the alias record', async () => {
    const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: RAG.cluster, services: [RAG.service] }))).services![0]!;
    expect(svc.taskDefinition).toMatch(/:task-definition\/rag-backend-task:4$/);
    expect(svc.loadBalancers![0]).toMatchObject({ targetGroupArn: rag.targetGroupArn, containerName: 'rag-backend', containerPort: 8001 });
    expect(rag.targetGroupArn).toContain(':targetgroup/RAG-Backend-TG/');
    expect(rag.loadBalancer.arn).toContain(':loadbalancer/app/RAG-ALB-Seoul/');
    const db = (await c.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: RAG.database }))).DBClusters![0]!;
    expect([db.Engine, db.EngineVersion, db.Port]).toEqual(['aurora-postgresql', '16.1', 5432]);
    const redis = (await c.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: RAG.cache })))
      .ReplicationGroups![0]!;
    expect(redis.TransitEncryptionEnabled).toBe(true);
    const cert = (await c.acm.send(new DescribeCertificateCommand({ CertificateArn: rag.certificateArn }))).Certificate!;
    expect([cert.DomainName, cert.Status]).toEqual([RAG.domain, 'ISSUED']);
    const records = (await c.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: rag.hostedZoneId }))).ResourceRecordSets!;
    const alias = records.find((r) => r.Name === `${RAG.domain}.` && r.Type === 'A')!;
    expect(alias.AliasTarget!.DNSName!.toLowerCase()).toContain('rag-alb-seoul');
    expect(Object.keys(rag.secrets).sort()).toEqual(
      ['anthropic', 'database', 'google-oauth', 'jwt', 'openai', 'redis'].map((k) => `rag-backend/${k}`),
    );
  });

  test("once the guide's fixes are applied, the service's image runs in the emulator's ECS and its target is healthy", async () => {
    await applyGuideFixes(emu.endpoint, rag);
    const tables = (await c.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rag.privateRouteTable] }))).RouteTables!;
    expect(tables[0]!.Associations!.map((a) => a.SubnetId).sort()).toEqual([...rag.privateSubnets].sort());
    const svc = await waitService(c, RAG.cluster, RAG.service, (s) => s.runningCount === 1);
    expect(svc.runningCount).toBe(1);
    const deadline = Date.now() + 30_000;
    let states: (string | undefined)[] = [];
    while (Date.now() < deadline) {
      const th = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: rag.targetGroupArn }));
      states = th.TargetHealthDescriptions!.map((t) => t.TargetHealth?.State);
      if (states.includes('healthy')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(states).toContain('healthy');
  });
});

describe('the second shape', () => {
  test('two services on one ALB, /api/* to orders-api by a path rule, Aurora MySQL, both services running', async () => {
    const s = clientsFor({ endpoint: emu.endpoint, region: shop.region });
    const rules = (await s.elb.send(new DescribeRulesCommand({ ListenerArn: shop.loadBalancer.httpsListener }))).Rules!;
    const api = rules.find((r) => r.RuleArn === shop.apiRule)!;
    expect(api.Conditions![0]!.PathPatternConfig?.Values ?? api.Conditions![0]!.Values).toEqual(['/api/*']);
    expect(api.Actions![0]!.TargetGroupArn).toBe(shop.api.targetGroupArn);
    expect(rules.find((r) => r.IsDefault)!.Actions![0]!.TargetGroupArn).toBe(shop.web.targetGroupArn);
    const db = (await s.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: SHOP.database }))).DBClusters![0]!;
    expect([db.Engine, db.Port]).toEqual(['aurora-mysql', 3306]);
    for (const name of [SHOP.web.service, SHOP.api.service]) {
      const svc = await waitService(s, SHOP.cluster, name, (x) => x.runningCount === 2);
      expect([name, svc.runningCount]).toEqual([name, 2]);
    }
  });
});

describe('discovery on the second shape', () => {
  test('two services of one environment, the path rule, Aurora MySQL, no cache (listed as not placed), three subnet tiers', async () => {
    const project = tempProject('berth-shop-');
    try {
      const env = emu.cliEnv(shop.region);
      const args = ['discover', '--cluster', SHOP.cluster, '--service', SHOP.web.service, '--service', SHOP.api.service, '--name', 'shop'];
      const d = await runCli([...args, '--json'], { project: project.dir, env });
      expect(d.code, d.stderr).toBe(0);
      expect((await runCli(['config', 'validate', '--env', 'shop'], { project: project.dir, env })).code).toBe(0);
      const e = JSON.parse(readFileSync(join(project.dir, 'environments', 'shop.json'), 'utf8'));
      const svc = (n: string) => e.services.find((s: { name: string }) => s.name === n);
      expect([svc('storefront-web').pathPattern, svc('storefront-web').port, svc('storefront-web').cpuArchitecture]).toEqual([
        '/*',
        3000,
        'X86_64',
      ]);
      expect([svc('orders-api').pathPattern, svc('orders-api').port, svc('orders-api').cpuArchitecture]).toEqual(['/api/*', 8080, 'ARM64']);
      expect([e.region, e.database.engine, e.network.nat]).toEqual([shop.region, 'mysql', 'per-az']);
      const r = e.resources;
      expect(r.services['orders-api']).toMatchObject({ container: 'app', targetGroup: SHOP.api.targetGroup, listenerRule: shop.apiRule });
      expect(r.services['storefront-web']).toMatchObject({
        container: 'web',
        targetGroup: SHOP.web.targetGroup,
        logGroup: SHOP.web.logGroup,
      });
      expect(r.loadBalancer.name).toBe(SHOP.loadBalancer);
      expect(r.database).toMatchObject({
        cluster: SHOP.database,
        writerInstance: SHOP.databaseWriter,
        subnetGroup: SHOP.databaseSubnetGroup,
      });
      expect(r.cache).toBeUndefined();
      expect(d.json.notPlaced.map((x: { field?: string }) => x.field)).toContain('cache');
      expect([...r.subnets.private].sort()).toEqual([...shop.appSubnets].sort());
      expect([...r.subnets.database].sort()).toEqual([...shop.databaseSubnets].sort());
      expect([...r.routeTables.private].sort()).toEqual([...shop.appRouteTables].sort());
      expect(r.routeTables.database).toEqual([shop.databaseRouteTable]);
      expect([...r.natGateways].sort()).toEqual([...shop.natGateways].sort());
      expect([r.securityGroups.alb, r.securityGroups.database]).toEqual([shop.securityGroups.alb, shop.securityGroups.db]);
      // One service group per service: the map holds one, and discovery says so.
      expect(d.json.doubts.map((x: { field?: string }) => x.field)).toContain('resources.securityGroups.service');
      expect([r.hostedZone, r.certificate]).toEqual([shop.hostedZoneId, shop.certificateArn]);
    } finally {
      project.cleanup();
    }
  });
});
