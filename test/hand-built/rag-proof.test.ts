/**
 * Issue #13's proof on the RAG platform of rag-backend-ecs-deployment-guide.md, built by hand in a
 * bare emulator of this file's own (test/fixtures/hand-built: plain SDK calls, the guide's names
 * and region, its two incidents as they happened), then operated through berth's real commands
 * in-process (test/helpers/cli.ts), each step on what the previous one left:
 *   discover -> config validate -> the map names the real resources;
 *   status, health and doctor see the incidents (tasks that cannot pull, no target); doctor FAILs both,
 *   naming the real subnets, route tables and security group, with fixes naming them;
 *   the printed route fixes applied: tasks start, and their logs show the database timeouts of the
 *   second incident; the printed egress fixes applied: doctor PASSes, health is OK;
 *   a deploy of a new image and a rollback, on the discovered (not adopted) environment;
 *   adopt resolves imports of the real resources and creates no second copy of any (a two-tier platform:
 *   the database shares the private subnets, the cache the database's group: src/config/adopted-tiers.ts;
 *   the private tier's route table is the NAT table the fix associated, not the main table discovery saw;
 *   each existing secret imported once or read); `berth plan` then imports the network (the stacks that
 *   read it wait for its apply) and creates none of what exists;
 *   `berth apply` (the saved plan, then the stacks that waited) succeeds in all nine stacks, replacing and
 *   destroying nothing: the subnets stay on the NAT table, the tasks run, doctor is clean;
 *   a deploy and a rollback on the adopted platform, then a plan that finds no change in any stack.
 * berth talks to the emulator as to AWS (BERTH_AWS_ENDPOINT_URL, the environment is not a sandbox
 * one) and requests the public URL at the emulator's stand-in for the ALB (BERTH_PUBLIC_URL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssociateRouteTableCommand, AuthorizeSecurityGroupEgressCommand, DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildRagPlatform,
  clientsFor,
  pushImage,
  RAG,
  startBareEmulator,
  type BareEmulator,
  type RagPlatform,
} from '../fixtures/hand-built/index.js';
import { runCli, tempProject, type CliRun } from '../helpers/cli.js';
import { STACK_KINDS } from '../../src/config/names.js';
import { EXIT } from '../../src/output/exit-codes.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';

let emu: BareEmulator;
let rag: RagPlatform;
const project = tempProject('berth-hand-built-');
const state: { doctorBefore: Finding[] } = { doctorBefore: [] };

beforeAll(async () => {
  emu = await startBareEmulator({ env: { BERTH_SANDBOX_ECS_TIME_SCALE: '0.02' } }); // ECS at 1/50 of real time
  rag = await buildRagPlatform(emu.endpoint);
});

afterAll(async () => {
  await emu?.stop();
  project.cleanup();
});

function berth(...args: string[]): Promise<CliRun> {
  return runCli(args, { project: project.dir, env: { ...emu.cliEnv(RAG.region), BERTH_PUBLIC_URL: emu.publicUrl } });
}

interface Finding {
  check: string;
  status: string;
  resource?: string;
  message: string;
  fix?: { commands?: string[] };
}

/** `berth doctor --json`: its findings. */
async function doctor(): Promise<{ code: number; findings: Finding[] }> {
  const r = await berth('doctor', '--env', 'rag', '--json');
  expect(r.json, r.stderr).toBeDefined();
  const findings: Finding[] = r.json.findings ?? r.json.groups?.flatMap((g: { findings: Finding[] }) => g.findings);
  return { code: r.code, findings };
}

const of = (fs: Finding[], check: string) => fs.filter((f) => f.check === check);

const ASSOCIATE = /^aws ec2 associate-route-table --route-table-id (rtb-[0-9a-f]+) --subnet-id (subnet-[0-9a-f]+)$/;
const EGRESS =
  /^aws ec2 authorize-security-group-egress --group-id (sg-[0-9a-f]+) --ip-permissions 'IpProtocol=tcp,FromPort=(\d+),ToPort=(\d+),UserIdGroupPairs=\[\{GroupId=(sg-[0-9a-f]+)\}\]'$/;

/** Run a fix doctor printed, through the SDK, as the operator runs it with the AWS CLI; any other command fails the test. */
async function runFix(command: string): Promise<void> {
  const { ec2 } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const a = ASSOCIATE.exec(command);
  const e = EGRESS.exec(command);
  if (a) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: a[1], SubnetId: a[2] }));
  else if (e)
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: e[1],
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: Number(e[2]), ToPort: Number(e[3]), UserIdGroupPairs: [{ GroupId: e[4] }] }],
      }),
    );
  else throw new Error(`the test cannot run this printed fix: ${command}`);
}

/** Poll until `probe` returns a value (60 s at most). */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function serviceRevision(): Promise<string | undefined> {
  const { ecs } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster: RAG.cluster, services: [RAG.service] }))).services?.[0];
  return svc?.taskDefinition?.split('/').pop();
}

async function tasks(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const { ecs } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const arns = (await ecs.send(new ListTasksCommand({ cluster: RAG.cluster, serviceName: RAG.service, desiredStatus }))).taskArns ?? [];
  return arns.length ? ((await ecs.send(new DescribeTasksCommand({ cluster: RAG.cluster, tasks: arns }))).tasks ?? []) : [];
}

const envFile = () => JSON.parse(readFileSync(join(project.dir, 'environments', 'rag.json'), 'utf8'));

describe('the RAG platform built by hand, incidents and all', () => {
  test('discover writes an environment config validate accepts, its map naming the real resources', async () => {
    const d = await berth(
      'discover',
      '--cluster',
      RAG.cluster,
      '--service',
      RAG.service,
      '--region',
      RAG.region,
      '--name',
      'rag',
      '--json',
    );
    expect(d.code, d.stderr).toBe(0);
    const v = await berth('config', 'validate', '--env', 'rag', '--json');
    expect(v.code, v.stdout).toBe(0);
    const env = envFile();
    expect([env.region, env.account, env.database.engine, env.domain.name, env.domain.record]).toEqual([
      RAG.region,
      emu.accountId,
      'postgresql',
      RAG.zone,
      'api',
    ]);
    const r = env.resources;
    expect(r.cluster).toBe(RAG.cluster);
    expect(env.services.map((s: { name: string }) => s.name)).toEqual(Object.keys(r.services));
    const svc = Object.values(r.services)[0] as Record<string, string>;
    expect([svc.service, svc.taskFamily, svc.container, svc.targetGroup, svc.logGroup]).toEqual([
      RAG.service,
      RAG.family,
      RAG.container,
      RAG.targetGroup,
      RAG.logGroup,
    ]);
    expect(r.loadBalancer).toMatchObject({
      name: RAG.loadBalancer,
      httpListener: rag.loadBalancer.httpListener,
      httpsListener: rag.loadBalancer.httpsListener,
    });
    expect(r.securityGroups).toEqual({
      alb: rag.securityGroups.alb,
      service: rag.securityGroups.ecs,
      database: rag.securityGroups.db,
      cache: rag.securityGroups.db,
    });
    expect(r.vpc).toBe(rag.vpcId);
    expect([...r.subnets.public].sort()).toEqual([...rag.publicSubnets].sort());
    expect([...r.subnets.private].sort()).toEqual([...rag.privateSubnets].sort());
    expect(r.natGateways).toEqual([rag.natGateway]);
    expect(r.database).toMatchObject({ cluster: RAG.database, writerInstance: RAG.databaseWriter, subnetGroup: RAG.databaseSubnetGroup });
    expect(r.cache).toMatchObject({ replicationGroup: RAG.cache, subnetGroup: RAG.cacheSubnetGroup });
    expect([r.hostedZone, r.certificate]).toEqual([rag.hostedZoneId, rag.certificateArn]);
    // The incident as discovery sees it: the NAT route in a table no subnet uses, listed with doubt.
    expect(d.json.doubts.map((x: { resource?: string }) => x.resource)).toContain(rag.privateRouteTable);
  });

  test('status, health and doctor show the incidents; doctor FAILs both naming the subnets, the route tables and the group, its fixes naming them', async () => {
    const failed = await until('a task that failed to start', async () =>
      (await tasks('STOPPED')).find((t) => t.stopCode === 'TaskFailedToStart'),
    );
    expect(failed.stoppedReason).toMatch(/ECR.*i\/o timeout/);
    const st = await berth('status', '--env', 'rag', '--json');
    const svc = st.json.services[0];
    expect([svc.found, svc.running, svc.taskDefinition?.split('/').pop()]).toEqual([true, 0, `${RAG.family}:4`]);
    expect(svc.deployments[0].failedTasks).toBeGreaterThan(0);
    expect(svc.events.map((e: { message: string }) => e.message).join('\n')).toMatch(/failed to launch a task .*ECR/);
    const h = await berth('health', '--env', 'rag', '--json');
    expect(h.code).not.toBe(0);
    const { code, findings } = await doctor();
    expect(code).not.toBe(0);
    const routes = of(findings, 'network.private-route');
    expect(routes.map((f) => [f.status, f.resource]).sort()).toEqual(rag.privateSubnets.map((s) => ['FAIL', s]).sort());
    for (const f of routes) {
      expect(f.message).toContain(rag.mainRouteTable);
      expect(f.fix?.commands).toEqual([
        `aws ec2 associate-route-table --route-table-id ${rag.privateRouteTable} --subnet-id ${f.resource}`,
      ]);
    }
    expect(of(findings, 'network.task-egress').map((f) => f.status)).toEqual(['FAIL']);
    for (const [check, port] of [
      ['security-groups.app-to-db', 5432],
      ['security-groups.app-to-cache', 6379],
    ] as const) {
      const [f] = of(findings, check);
      expect([f?.status, f?.resource]).toEqual(['FAIL', rag.securityGroups.ecs]);
      expect(f!.fix?.commands?.join('\n')).toContain(`--group-id ${rag.securityGroups.ecs}`);
      expect(f!.fix?.commands?.join('\n')).toContain(`FromPort=${port}`);
    }
    state.doctorBefore = findings;
  });

  test('the printed route fixes run: the tasks start, and their logs show the timeouts to the database of the second incident', async () => {
    for (const f of of(state.doctorBefore, 'network.private-route')) for (const c of f.fix?.commands ?? []) await runFix(c);
    await until('a running task', async () => (await tasks('RUNNING')).find((t) => t.lastStatus === 'RUNNING'));
    const lines = await until('a database timeout in the logs', async () => {
      const r = await berth('logs', '--env', 'rag', '--since', '10m', '--json');
      expect(r.code, r.stderr).toBe(0);
      const msgs: string[] = (r.json as { message: string }[]).map((e) => e.message);
      return msgs.some((m) => m.includes(rag.database.endpoint) && /timed out/i.test(m)) ? msgs : undefined;
    });
    expect(lines.join('\n')).toContain('5432');
  });

  test('the printed egress fixes run: doctor PASSes what it failed, the service is healthy', async () => {
    const { findings } = await doctor();
    for (const check of ['security-groups.app-to-db', 'security-groups.app-to-cache'])
      for (const f of of(findings, check)) for (const c of f.fix?.commands ?? []) await runFix(c);
    const after = (await doctor()).findings;
    for (const check of ['network.private-route', 'network.task-egress', 'security-groups.app-to-db', 'security-groups.app-to-cache']) {
      expect(of(after, check).length, check).toBeGreaterThan(0);
      expect(of(after, check).map((f) => `${check} ${f.status} ${f.message}`)).toEqual(
        of(after, check).map((f) => `${check} PASS ${f.message}`),
      );
    }
    const h = await until('health OK', async () => {
      const r = await berth('health', '--env', 'rag', '--json');
      return r.code === 0 ? r : undefined;
    });
    expect(h.code).toBe(0);
    // Once the service has settled, nothing the doctor checks fails on this platform. Health can be OK
    // before the service is steady (tasks that failed to fetch their secrets before the fix may still be
    // stopping, and doctor rightly FAILs those while the service is not steady): asked until it settles.
    let last: Awaited<ReturnType<typeof doctor>> | undefined;
    const settled = await until('a doctor run without FAIL once the service settles', async () => {
      last = await doctor();
      return last.findings.some((f) => f.status === 'FAIL') ? undefined : last;
    }).catch(() => last!);
    expect(settled.findings.filter((f) => f.status === 'FAIL').map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    expect(settled.code).toBe(0);
  });

  test('a deploy of a new image and a rollback work on the discovered platform (not adopted: see the note)', async () => {
    await pushImage(clientsFor({ endpoint: emu.endpoint, region: RAG.region }), RAG.repository, 'v2'); // what CI pushes
    const d = await berth('deploy', '--env', 'rag', '--tag', 'v2', '--json');
    expect(d.code, d.stderr).toBe(0);
    expect([d.json.verdict, d.json.oldRevision.revision, d.json.newRevision.revision]).toEqual(['succeeded', 4, 5]);
    expect(d.json.newRevision.image).toBe(`${rag.repositoryUri}:v2`);
    expect(await serviceRevision()).toBe(`${RAG.family}:5`);
    const r = await berth('rollback', '--env', 'rag', '--yes', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect([r.json.verdict, r.json.newRevision.revision, r.json.newRevision.image]).toEqual(['succeeded', 4, rag.image]);
    expect(await serviceRevision()).toBe(`${RAG.family}:4`);
  });

  test('adopt on the discovered environment resolves imports of the real resources and creates no second copy of any', async () => {
    const a = await berth('adopt', '--env', 'rag', '--json');
    expect(a.code, a.stderr).toBe(0);
    const decisions: { address: string; type: string; action: string; id?: string; why: string }[] = a.json.decisions;
    const imported = (type: string) => decisions.filter((d) => d.type === type && d.action === 'import').map((d) => d.id);
    expect(imported('aws_vpc')).toEqual([rag.vpcId]);
    expect(imported('aws_internet_gateway')).toEqual([rag.internetGateway]);
    expect(imported('aws_nat_gateway')).toEqual([rag.natGateway]);
    expect(imported('aws_lb')).toEqual([rag.loadBalancer.arn]);
    expect(imported('aws_lb_listener').sort()).toEqual([rag.loadBalancer.httpListener, rag.loadBalancer.httpsListener].sort());
    expect(imported('aws_lb_target_group')).toEqual([rag.targetGroupArn]);
    expect(imported('aws_acm_certificate')).toEqual([rag.certificateArn]);
    // The zone is `existing` in the discovered environment: read by berth, neither imported nor created.
    expect(decisions.filter((d) => d.type === 'aws_route53_zone')).toEqual([]);
    expect(imported('aws_rds_cluster')).toEqual([RAG.database]);
    expect(imported('aws_elasticache_replication_group')).toEqual([RAG.cache]);
    expect(imported('aws_ecs_service')).toEqual([`${RAG.cluster}/${RAG.service}`]);
    expect(imported('aws_security_group').sort()).toEqual([rag.securityGroups.alb, rag.securityGroups.ecs, rag.securityGroups.db].sort());
    // Each AWS object is imported at one address at most.
    const ids = decisions.flatMap((d) => (d.action === 'import' ? [`${d.type} ${d.id}`] : []));
    expect(new Set(ids).size).toBe(ids.length);
    // A two-tier platform (Aurora and Redis in the private subnets): the private subnets are imported once,
    // as berth's private tier, and no subnet, route table or other existing object is created a second time.
    expect(imported('aws_subnet').sort()).toEqual([...rag.publicSubnets, ...rag.privateSubnets].sort());
    // The private tier's table is the one its subnets use now: the NAT table doctor's fix associated them with,
    // not the main table discovery recorded before the fix (taking that would move them back, cutting the tasks off).
    expect(imported('aws_route_table').sort()).toEqual([rag.publicRouteTable, rag.privateRouteTable].sort());
    expect(decisions.find((d) => d.address === 'aws_route_table.network_rt-private-0')?.why).toContain(
      `the map names ${rag.mainRouteTable}`,
    );
    expect(decisions.filter((d) => d.type === 'aws_route_table_association' && d.action !== 'import')).toEqual([]);
    // Each existing secret is imported once (the cache's Redis secret, the four the operator fills) or, the
    // database's credentials, read by the data stack: none is created a second time.
    const secrets = decisions.filter((d) => d.type === 'aws_secretsmanager_secret');
    expect(secrets.filter((d) => d.action === 'create').map((d) => d.address)).toEqual([]);
    expect(imported('aws_secretsmanager_secret').sort()).toEqual(
      Object.entries(rag.secrets)
        .filter(([name]) => name !== `${RAG.secretPrefix}database`)
        .map(([, arn]) => arn)
        .sort(),
    );
    const created = (types: string[]) => decisions.filter((d) => types.includes(d.type) && d.action === 'create').map((d) => d.address);
    expect(created([...EXISTING, 'aws_db_subnet_group', 'aws_elasticache_subnet_group'])).toEqual([]);
    // The one target group created is the alternate one berth's deployments switch to: the platform has none.
    expect(created(['aws_lb_target_group'])).toEqual(['aws_lb_target_group.edge_tg-alt-rag-backend']);
    // The map's cache group is its database group (the guide's DB-SG): both stores keep it, with the Redis rules
    // that exist on it (the doctor's egress fix included); no group is created for the cache.
    expect(created(['aws_security_group'])).toEqual([]);
    expect(
      decisions
        .filter((d) => d.address.endsWith('-6379'))
        .map((d) => `${d.address} ${d.action}`)
        .sort(),
    ).toEqual([
      'aws_vpc_security_group_egress_rule.security_app-out-cache-6379 import',
      'aws_vpc_security_group_ingress_rule.security_cache-in-app-6379 import',
    ]);
    // What is created is listed with why (the private subnets' associations, the NAT route, flow logs...).
    for (const d of decisions.filter((x) => x.action === 'create')) expect(d.why, d.address).toMatch(/\S/);
  });

  test('plan after adopt: the network stack imports the VPC, subnets, route tables and gateways, creates none of them, replaces and destroys nothing', async () => {
    const s3 = new S3Client({ region: RAG.region, endpoint: emu.endpoint, forcePathStyle: true, credentials: { ...FAKE_CREDENTIALS } });
    // The state bucket the discovered environment names (berth keeps no state for a platform until it is adopted).
    await s3.send(
      new CreateBucketCommand({ Bucket: envFile().state.bucket, CreateBucketConfiguration: { LocationConstraint: RAG.region } }),
    );
    const p = await berth('plan', '--env', 'rag', '--parallelism', '2', '--json');
    expect(p.code, p.stderr).toBe(EXIT.PLAN_CHANGES);
    const stacks: { kind: string; status: string; summary?: Record<string, string[]> }[] = p.json.stacks;
    const net = stacks.find((x) => x.kind === 'network')!;
    expect(net.status).toBe('planned');
    expect(net.summary!.imported).toEqual(
      expect.arrayContaining([
        'aws_vpc.network_vpc',
        'aws_subnet.network_subnet-private-0',
        'aws_subnet.network_subnet-private-1',
        'aws_subnet.network_subnet-public-0',
        'aws_route_table.network_rt-private-0',
        'aws_internet_gateway.network_igw',
        'aws_nat_gateway.network_nat-0',
      ]),
    );
    // The review (plan --json): each import, then each change berth makes, with the attribute and why.
    const review: { address: string; action: string; attribute?: string; why: string }[] = (net as { detail?: { review?: [] } }).detail!
      .review!;
    // Imported as they are, or then given berth's tags; the private subnets' associations (with the NAT table) kept.
    expect(review.filter((l) => l.action.startsWith('import')).map((l) => l.address)).toEqual(
      expect.arrayContaining([
        'aws_vpc.network_vpc',
        'aws_nat_gateway.network_nat-0',
        'aws_route_table.network_rt-private-0',
        'aws_route_table_association.network_rta-private-0',
      ]),
    );
    expect(review.filter((l) => l.action === 'import+update' && l.attribute === 'route_table_id')).toEqual([]);
    expect(review.filter((l) => !l.why.trim()).map((l) => l.address)).toEqual([]);
    expect(review.filter((l) => l.action === 'replace' || l.action === 'destroy')).toEqual([]);
    expect(review.find((l) => l.address === 'aws_flow_log.network_flow-log')).toMatchObject({ action: 'create', why: 'VPC flow logs on' });
    const types = (addrs: string[]) => addrs.map((a) => a.slice(0, a.indexOf('.')));
    expect(types(net.summary!.created).filter((t) => EXISTING.includes(t))).toEqual([]);
    expect([net.summary!.replaced, net.summary!.destroyed]).toEqual([[], []]);
    for (const x of stacks.filter((y) => y.status === 'planned')) {
      expect(
        types(x.summary!.created).filter((t) => EXISTING.includes(t)),
        x.kind,
      ).toEqual([]);
      expect([x.summary!.replaced, x.summary!.destroyed], x.kind).toEqual([[], []]);
    }
  }, 600_000);

  test('apply after adopt: all nine stacks applied, nothing replaced or destroyed; the subnets stay on the NAT table, the tasks keep running, doctor stays clean', async () => {
    // 4 at once: after security, data and edge spend most of their ~75 s in the provider's fixed 30 s waits
    // (Aurora and ALB modifications); cache, dns and registry apply meanwhile instead of after them.
    const a = await berth('apply', '--env', 'rag', '--yes', '--parallelism', '4', '--json');
    expect(a.code, a.stdout.slice(-4000)).toBe(EXIT.OK);
    const stacks: { kind: string; status: string; summary?: { replaced: string[]; destroyed: string[] } }[] = a.json.stacks;
    expect(stacks.map((x) => x.kind).sort()).toEqual([...STACK_KINDS].sort());
    expect(stacks.filter((x) => x.status !== 'applied' && x.status !== 'unchanged').map((x) => `${x.kind} ${x.status}`)).toEqual([]);
    for (const x of stacks) expect([x.summary?.replaced ?? [], x.summary?.destroyed ?? []], x.kind).toEqual([[], []]);
    expect(await privateRouting()).toEqual(rag.privateSubnets.map(() => [rag.privateRouteTable, rag.natGateway]));
    expect((await tasks('RUNNING')).filter((t) => t.lastStatus === 'RUNNING').length).toBeGreaterThan(0);
    const { code, findings } = await doctor();
    expect(findings.filter((f) => f.status === 'FAIL').map((f) => `${f.check} ${f.resource}: ${f.message}`)).toEqual([]);
    expect(code).toBe(EXIT.OK);
    for (const check of ['network.private-route', 'network.task-egress'])
      expect(
        of(findings, check).map((f) => f.status),
        check,
      ).toEqual(of(findings, check).map(() => 'PASS'));
  }, 600_000);

  test('a deploy and a rollback on the adopted platform; then a plan finds no change in any stack (berth owns the running revision)', async () => {
    await pushImage(clientsFor({ endpoint: emu.endpoint, region: RAG.region }), RAG.repository, 'v3');
    const d = await berth('deploy', '--env', 'rag', '--tag', 'v3', '--json');
    expect(d.code, d.stderr).toBe(EXIT.OK);
    // The new revision is a copy of the family's latest: :6, the one terraform registered at the apply (:5 is the first deploy's).
    expect([d.json.verdict, d.json.oldRevision.revision, d.json.newRevision.image]).toEqual(['succeeded', 4, `${rag.repositoryUri}:v3`]);
    expect(d.json.newRevision.revision).toBe(7);
    expect(await serviceRevision()).toBe(`${RAG.family}:${d.json.newRevision.revision}`);
    const r = await berth('rollback', '--env', 'rag', '--yes', '--json');
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect([r.json.verdict, r.json.newRevision.revision, r.json.newRevision.image]).toEqual(['succeeded', 4, rag.image]);
    expect(await serviceRevision()).toBe(`${RAG.family}:4`);
    const p = await berth('plan', '--env', 'rag', '--parallelism', '2', '--json');
    expect(p.code, p.stdout.slice(-4000)).toBe(EXIT.PLAN_NO_CHANGES);
    const planned: { kind: string; status: string; changes?: boolean }[] = p.json.stacks;
    expect(planned.map((x) => `${x.kind} ${x.status} ${x.changes ?? false}`).sort()).toEqual(
      STACK_KINDS.map((k) => `${k} planned false`).sort(),
    );
  }, 600_000);
});

/** The route table each private subnet is explicitly associated with, and that table's default route target. */
async function privateRouting(): Promise<[string | undefined, string | undefined][]> {
  const { ec2 } = clientsFor({ endpoint: emu.endpoint, region: RAG.region });
  const r = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [rag.vpcId] }] }));
  return rag.privateSubnets.map((subnet) => {
    const t = r.RouteTables?.find((x) => x.Associations?.some((a) => a.SubnetId === subnet));
    return [t?.RouteTableId, t?.Routes?.find((x) => x.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId];
  });
}

/** Types of which the RAG platform has every object berth's stacks build: adopt must never create one. */
const EXISTING = [
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_internet_gateway',
  'aws_nat_gateway',
  'aws_lb',
  'aws_ecs_cluster',
  'aws_ecs_service',
  'aws_rds_cluster',
  'aws_elasticache_replication_group',
];
