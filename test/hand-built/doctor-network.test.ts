/**
 * doctor on the hand-built RAG platform (test/fixtures/hand-built/: rag-backend-ecs-deployment-guide.md's
 * names, ids the emulator gave, ap-northeast-2), found through the environment's resource map: it
 * FAILs both network incidents as they happened, naming the real subnets, route tables and security
 * group, with fixes that name them; the test applies the printed fixes and doctor PASSes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssociateRouteTableCommand, AuthorizeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../src/config/load.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { checkNetwork } from '../../src/doctor/checks/network.js';
import { checkSecurityGroups } from '../../src/doctor/checks/security-groups.js';
import { gatherNetwork, gatherSecurityGroups } from '../../src/doctor/gather/groups.js';
import { Source } from '../../src/doctor/gather/source.js';
import type { Finding } from '../../src/doctor/types.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';
import { buildRagPlatform, clientsFor, RAG, startBareEmulator, type BareEmulator, type RagPlatform } from '../fixtures/hand-built/index.js';

let emu: BareEmulator;
let rag: RagPlatform;
let env: EnvironmentConfig;

/** The RAG platform as an environment of berth's: the runbooks' platform template, its names pinned by a resource map. */
function ragEnv(p: RagPlatform): EnvironmentConfig {
  const file = join(process.cwd(), 'templates/environments/platform.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return parseEnvironment(
    {
      ...raw,
      name: 'prod',
      app: 'rag',
      region: RAG.region,
      protected: false,
      resources: {
        cluster: RAG.cluster,
        vpc: p.vpcId,
        subnets: { public: p.publicSubnets, private: p.privateSubnets },
        securityGroups: {
          alb: p.securityGroups.alb,
          service: p.securityGroups.ecs,
          database: p.securityGroups.db,
          cache: p.securityGroups.db,
        },
        database: { cluster: RAG.database, subnetGroup: RAG.databaseSubnetGroup },
        cache: { replicationGroup: RAG.cache, subnetGroup: RAG.cacheSubnetGroup },
        services: {
          api: {
            service: RAG.service,
            taskFamily: RAG.family,
            container: RAG.container,
            targetGroup: RAG.targetGroup,
            logGroup: RAG.logGroup,
          },
        },
      },
    },
    file,
    'prod',
  );
}

async function doctor(): Promise<Finding[]> {
  const ctx = { region: RAG.region, endpoint: emu.endpoint, credentials: { ...FAKE_CREDENTIALS }, sandbox: false };
  const src = new Source({ ctx, env, services: env.services });
  const input = { env, services: env.services, now: new Date() };
  const [net, sg] = await Promise.all([gatherNetwork(src), gatherSecurityGroups(src)]);
  return [...checkNetwork(net, input), ...checkSecurityGroups(sg, input)];
}

const all = (fs: Finding[], check: string) => fs.filter((f) => f.check === check);
const one = (fs: Finding[], check: string) => {
  const f = all(fs, check);
  if (f.length !== 1) throw new Error(`${f.length} ${check} findings in ${fs.map((x) => x.check).join(', ')}`);
  return f[0]!;
};

const ASSOCIATE = /^aws ec2 associate-route-table --route-table-id (rtb-[0-9a-f]+) --subnet-id (subnet-[0-9a-f]+)$/;
const EGRESS =
  /^aws ec2 authorize-security-group-egress --group-id (sg-[0-9a-f]+) --ip-permissions 'IpProtocol=tcp,FromPort=(\d+),ToPort=\d+,UserIdGroupPairs=\[\{GroupId=(sg-[0-9a-f]+)\}\]'$/;

/** Run a printed fix through the SDK, as the operator would run it with the AWS CLI. */
async function apply(command: string): Promise<void> {
  const { ec2 } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const a = ASSOCIATE.exec(command);
  const e = EGRESS.exec(command);
  if (a) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: a[1], SubnetId: a[2] }));
  else if (e)
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: e[1],
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: Number(e[2]), ToPort: Number(e[2]), UserIdGroupPairs: [{ GroupId: e[3] }] }],
      }),
    );
  else throw new Error(`the test cannot apply this fix: ${command}`);
}

/** Poll the service's tasks until one matches (60 s at most). */
async function taskWhere(desiredStatus: 'RUNNING' | 'STOPPED', ok: (t: Task) => boolean): Promise<Task> {
  const { ecs } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: RAG.cluster, serviceName: RAG.service, desiredStatus }))).taskArns ?? [];
    const tasks = arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: RAG.cluster, tasks: arns }))).tasks ?? []) : [];
    const t = tasks.find(ok);
    if (t) return t;
    if (Date.now() > deadline)
      throw new Error(`no ${desiredStatus} task as expected: ${tasks.map((x) => x.stoppedReason ?? x.lastStatus).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  emu = await startBareEmulator();
  rag = await buildRagPlatform(emu.endpoint);
  env = ragEnv(rag);
});

afterAll(async () => {
  await emu?.stop();
});

describe('doctor on the hand-built RAG platform (resource map)', () => {
  it('FAILs both incidents naming the real subnets, route tables and security group, with fixes that name them; applied, they PASS and the tasks run', async () => {
    // The emulator lets the incident happen: the tasks cannot get the ECR registry auth (i/o timeout).
    const failed = await taskWhere('STOPPED', (t) => t.stopCode === 'TaskFailedToStart');
    expect(failed.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*api\.ecr\.ap-northeast-2\.amazonaws\.com.*i\/o timeout$/,
    );
    const before = await doctor();
    // Incident 1: the private subnets use the main table; the NAT route lives in a table nobody uses.
    const routes = all(before, 'network.private-route');
    expect(routes.map((f) => [f.status, f.resource])).toEqual(rag.privateSubnets.map((s) => ['FAIL', s]));
    for (const f of routes) {
      expect(f.message).toContain(rag.mainRouteTable);
      expect(f.fix?.commands).toEqual([
        `aws ec2 associate-route-table --route-table-id ${rag.privateRouteTable} --subnet-id ${f.resource}`,
      ]);
    }
    const egress = one(before, 'network.task-egress');
    expect(egress.status).toBe('FAIL');
    expect(egress.service).toBe('api');
    for (const s of rag.privateSubnets) expect(egress.message).toContain(`${s} -> ${rag.mainRouteTable} (the main table`);
    expect(egress.fix?.commands).toEqual(
      rag.privateSubnets.map((s) => `aws ec2 associate-route-table --route-table-id ${rag.privateRouteTable} --subnet-id ${s}`),
    );
    // Incident 2: ECS-SG lets out 443 only: the database and cache ports are blocked.
    for (const [check, port] of [
      ['security-groups.app-to-db', 5432],
      ['security-groups.app-to-cache', 6379],
    ] as const) {
      const f = one(before, check);
      expect([f.status, f.resource]).toEqual(['FAIL', rag.securityGroups.ecs]);
      expect(f.fix?.commands).toEqual([
        `aws ec2 authorize-security-group-egress --group-id ${rag.securityGroups.ecs} --ip-permissions 'IpProtocol=tcp,FromPort=${port},ToPort=${port},UserIdGroupPairs=[{GroupId=${rag.securityGroups.db}}]'`,
      ]);
    }

    const fixes = new Set(
      [...routes, egress, one(before, 'security-groups.app-to-db'), one(before, 'security-groups.app-to-cache')].flatMap(
        (f) => f.fix?.commands ?? [],
      ),
    );
    for (const c of fixes) await apply(c);

    const after = await doctor();
    for (const check of ['network.private-route', 'network.task-egress', 'security-groups.app-to-db', 'security-groups.app-to-cache'])
      expect(all(after, check).map((f) => [f.status, f.resource ?? ''])).toEqual(all(after, check).map((f) => ['PASS', f.resource ?? '']));
    expect(all(after, 'network.private-route')).toHaveLength(2);
    const { ecs } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
    await ecs.send(new UpdateServiceCommand({ cluster: RAG.cluster, service: RAG.service, forceNewDeployment: true }));
    expect((await taskWhere('RUNNING', (t) => t.lastStatus === 'RUNNING')).lastStatus).toBe('RUNNING');
  });
});
