/**
 * The doctor against a real emulator: moto_server (src/sandbox/emulator.ts) on 127.0.0.1 at a free
 * port, provisioned through the AWS API the way berth's stacks build the sandbox environment; the
 * doctor runs in-process through the CLI (`main`). Then each runbook fault is injected through the
 * AWS API, must FAIL naming the resource and the fix, and must PASS again once undone.
 */
import * as ACM from '@aws-sdk/client-acm';
import * as EC2 from '@aws-sdk/client-ec2';
import * as ECR from '@aws-sdk/client-ecr';
import * as ECS from '@aws-sdk/client-ecs';
import * as ELB from '@aws-sdk/client-elastic-load-balancing-v2';
import * as IAM from '@aws-sdk/client-iam';
import * as R53 from '@aws-sdk/client-route-53';
import * as SM from '@aws-sdk/client-secrets-manager';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/run.js';
import type { Finding } from '../../src/doctor/types.js';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { indexFor, provision, P, REGION, sdk, type Sdk, type World } from './emulator/provision.js';

let emu: Emulator | undefined;
let server: Server | undefined;
let project: ReturnType<typeof tempProject> | undefined;
let w: World;
let c: Sdk;
let dbPassword = '';

beforeAll(async () => {
  // moto reports a service's running count from MOTO_ECS_SERVICE_RUNNING; a requested certificate
  // stays PENDING_VALIDATION for MOTO_ACM_VALIDATION_WAIT seconds.
  emu = await startEmulator({ env: { MOTO_ECS_SERVICE_RUNNING: '1', MOTO_ACM_VALIDATION_WAIT: '3600' } });
  w = await provision(emu.endpoint);
  c = sdk(emu.endpoint);
  dbPassword = (JSON.parse((await c.sm.send(new SM.GetSecretValueCommand({ SecretId: w.dbSecretArn }))).SecretString!) as { password: string }).password;
  // the local stand-in for https://api.berth.test (what `berth sandbox up` records as publicUrl)
  server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/health' ? '{"status":"healthy"}' : '{}');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  project = tempProject('berth-doctor-');
  mkdirSync(join(project.dir, '.berth', 'sandbox'), { recursive: true });
  writeFileSync(
    join(project.dir, '.berth', 'sandbox', 'sandbox.json'),
    JSON.stringify({ endpoint: emu.endpoint, region: REGION, pid: emu.pid, port: emu.port, publicUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, startedAt: new Date().toISOString() }),
  );
}, 180_000);

afterAll(async () => {
  await emu?.stop();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  project?.cleanup();
});

async function doctor(...args: string[]): Promise<{ code: number; report: DoctorReport; stdout: string; stderr: string }> {
  const r = await runCli(['doctor', '--env', 'sandbox', '--json', ...args], { project: project!.dir });
  let report: DoctorReport;
  try {
    report = JSON.parse(r.stdout) as DoctorReport;
  } catch {
    throw new Error(`doctor did not print JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report };
}

const failing = (r: DoctorReport) => r.findings.filter((f) => f.status === 'FAIL');
const find = (r: DoctorReport, check: string, resource?: string): Finding => {
  const xs = r.findings.filter((f) => f.check === check && (resource === undefined || f.resource === resource));
  if (xs.length !== 1) throw new Error(`expected one ${check} ${resource ?? ''}, got ${JSON.stringify(xs.map((x) => [x.status, x.resource, x.message]))}`);
  return xs[0]!;
};
const problems = (r: DoctorReport) => r.findings.filter((f) => f.status !== 'PASS').map((f) => `${f.status} ${f.check} ${f.resource}: ${f.message}`);

describe('berth doctor on the emulator', () => {
  it('every check of every group PASSes on the healthy environment, in seconds, and prints no secret', async () => {
    const r = await doctor();
    expect(problems(r.report)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report.ok).toBe(true);
    expect(r.report.groups.map((g) => g.name)).toEqual(['network', 'security-groups', 'task-start', 'health', 'database', 'redis', 'certificate', 'iam']);
    expect(r.report.summary.pass).toBeGreaterThan(40);
    expect(r.report.endpoint).toBe(emu!.endpoint);
    for (const v of [w.redisToken, dbPassword]) {
      expect(r.stdout).not.toContain(v);
      expect(r.stderr).not.toContain(v);
    }
    console.info(`doctor, full run on the emulator: ${r.report.durationMs} ms (${r.report.groups.map((g) => `${g.name} ${g.durationMs}`).join(', ')})`);
  });

  it('the human rendering shows each group and the tally; exit 0', async () => {
    const r = await runCli(['doctor', '--env', 'sandbox', 'network', 'redis'], { project: project!.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^network — /m);
    expect(r.stdout).toMatch(/PASS {2}network\.private-route/);
    expect(r.stdout).toMatch(/\d+ PASS {2}0 WARN {2}0 FAIL/);
    expect(r.stdout).not.toContain(w.redisToken);
  });

  it('incident 2: a private subnet left without its route table -> network.private-route FAILs with associate-route-table; PASS once re-associated', async () => {
    await c.ec2.send(new EC2.DisassociateRouteTableCommand({ AssociationId: w.assoc[w.subnets.priv2]! }));
    try {
      const r = await doctor('network');
      expect(r.code).toBe(1);
      const f = find(r.report, 'network.private-route', w.subnets.priv2);
      expect(f.status).toBe('FAIL');
      expect(f.fix?.commands?.[0]).toMatch(new RegExp(`^aws ec2 associate-route-table --route-table-id (${w.rtb.priv1}|${w.rtb.priv2}) --subnet-id ${w.subnets.priv2}$`));
      expect(failing(r.report)).toHaveLength(1);
    } finally {
      w.assoc[w.subnets.priv2] = (await c.ec2.send(new EC2.AssociateRouteTableCommand({ RouteTableId: w.rtb.priv2, SubnetId: w.subnets.priv2 }))).AssociationId!;
    }
    const r = await doctor('network');
    expect(r.code).toBe(0);
    expect(find(r.report, 'network.private-route', w.subnets.priv2).status).toBe('PASS');
  });

  it('incident 3: app egress on 5432 revoked -> app-to-db and database.reachability FAIL with the egress rule; PASS once restored', async () => {
    const perm = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: w.sg.db }] }];
    await c.ec2.send(new EC2.RevokeSecurityGroupEgressCommand({ GroupId: w.sg.app, IpPermissions: perm }));
    try {
      const r = await doctor('security-groups', 'database');
      expect(r.code).toBe(1);
      const f = find(r.report, 'security-groups.app-to-db');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(w.sg.app);
      expect(f.fix?.commands).toEqual([`aws ec2 authorize-security-group-egress --group-id ${w.sg.app} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${w.sg.db}}]'`]);
      expect(find(r.report, 'database.reachability').status).toBe('FAIL');
      expect(find(r.report, 'security-groups.app-to-cache').status).toBe('PASS');
    } finally {
      await c.ec2.send(new EC2.AuthorizeSecurityGroupEgressCommand({ GroupId: w.sg.app, IpPermissions: perm }));
    }
    expect((await doctor('security-groups', 'database')).code).toBe(0);
  });

  it('the database group opened to the internet -> db-exposure FAILs with the revoke; PASS once revoked', async () => {
    const perm = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    await c.ec2.send(new EC2.AuthorizeSecurityGroupIngressCommand({ GroupId: w.sg.db, IpPermissions: perm }));
    try {
      const f = find((await doctor('security-groups')).report, 'security-groups.db-exposure');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(w.sg.db);
      expect(f.fix?.commands?.[0]).toContain(`revoke-security-group-ingress --group-id ${w.sg.db}`);
    } finally {
      await c.ec2.send(new EC2.RevokeSecurityGroupIngressCommand({ GroupId: w.sg.db, IpPermissions: perm }));
    }
    expect((await doctor('security-groups')).code).toBe(0);
  });

  it('a revision listening on 8000 behind the 8001 target group -> health.port FAILs; the target group path changed -> health.path FAILs', async () => {
    const td = (await c.ecs.send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: w.taskDefinition }))).taskDefinition!;
    const def = td.containerDefinitions![0]!;
    const rev2 = (
      await c.ecs.send(
        new ECS.RegisterTaskDefinitionCommand({
          family: td.family,
          requiresCompatibilities: td.requiresCompatibilities,
          networkMode: td.networkMode,
          cpu: td.cpu,
          memory: td.memory,
          runtimePlatform: td.runtimePlatform,
          executionRoleArn: td.executionRoleArn,
          taskRoleArn: td.taskRoleArn,
          containerDefinitions: [{ ...def, portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }] }],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
    await c.ecs.send(new ECS.UpdateServiceCommand({ cluster: P, service: 'api', taskDefinition: rev2 }));
    await c.elb.send(new ELB.ModifyTargetGroupCommand({ TargetGroupArn: w.tg, HealthCheckPath: '/' }));
    try {
      const r = await doctor('health');
      expect(r.code).toBe(1);
      const port = find(r.report, 'health.port');
      expect(port.status).toBe('FAIL');
      expect(port.resource).toBe(w.tg);
      expect(port.message).toContain(`the container listens on 8000 but target group ${P}-api is on 8001`);
      const path = find(r.report, 'health.path');
      expect(path.status).toBe('FAIL');
      expect(path.fix?.commands).toContain(`aws elbv2 modify-target-group --target-group-arn ${w.tg} --health-check-path /health`);
    } finally {
      await c.ecs.send(new ECS.UpdateServiceCommand({ cluster: P, service: 'api', taskDefinition: w.taskDefinition }));
      await c.elb.send(new ELB.ModifyTargetGroupCommand({ TargetGroupArn: w.tg, HealthCheckPath: '/health' }));
    }
    expect((await doctor('health')).code).toBe(0);
  });

  it('incident 4: an arm64-only image under the X86_64 task -> task-start.architecture FAILs with a linux/amd64 rebuild; PASS once re-pushed', async () => {
    await c.ecr.send(new ECR.PutImageCommand({ repositoryName: 'demo/api', imageTag: 'v1', imageManifest: indexFor('arm64'), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    try {
      const r = await doctor('task-start');
      expect(r.code).toBe(1);
      const f = find(r.report, 'task-start.architecture');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(`${w.repositoryUri}:v1`);
      expect(f.evidence.imageArchitectures).toEqual(['arm64']);
      expect(f.fix?.commands).toContain(`docker buildx build --platform linux/amd64 -t ${w.repositoryUri}:v1 --push .`);
    } finally {
      await c.ecr.send(new ECR.PutImageCommand({ repositoryName: 'demo/api', imageTag: 'v1', imageManifest: indexFor('amd64'), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    }
    expect(find((await doctor('task-start')).report, 'task-start.architecture').status).toBe('PASS');
  });

  it('incident 1: a query string on the Redis URL -> redis.url FAILs naming the secret, never printing the token; PASS once rewritten', async () => {
    const v = JSON.parse(w.redisSecretValue) as Record<string, unknown>;
    await c.sm.send(new SM.PutSecretValueCommand({ SecretId: w.redisSecretArn, SecretString: JSON.stringify({ ...v, url: `${v.url}?ssl_cert_reqs=none` }) }));
    try {
      const r = await doctor('redis');
      expect(r.code).toBe(1);
      const f = find(r.report, 'redis.url');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(w.redisSecretArn);
      expect(f.evidence.queryKeys).toEqual(['ssl_cert_reqs']);
      expect(f.fix?.note).toContain(`rediss://:<auth token>@${w.redisHost}:6379/0`);
      expect(r.stdout).not.toContain(w.redisToken);
      // and the human output too
      const h = await runCli(['doctor', '--env', 'sandbox', 'redis'], { project: project!.dir });
      expect(h.code).toBe(1);
      expect(h.stdout).toContain('FAIL  redis.url');
      expect(h.stdout).not.toContain(w.redisToken);
    } finally {
      await c.sm.send(new SM.PutSecretValueCommand({ SecretId: w.redisSecretArn, SecretString: w.redisSecretValue }));
    }
    expect((await doctor('redis')).code).toBe(0);
  });

  it("a secret's key removed -> task-start.secrets FAILs naming the variable and key; PASS once restored", async () => {
    const { url: _url, ...rest } = JSON.parse(w.redisSecretValue) as Record<string, unknown>;
    await c.sm.send(new SM.PutSecretValueCommand({ SecretId: w.redisSecretArn, SecretString: JSON.stringify(rest) }));
    try {
      const r = await doctor('task-start', 'redis');
      const f = find(r.report, 'task-start.secrets');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(w.redisSecretArn);
      expect(f.message).toContain('REDIS_URL');
      expect(f.message).toContain('no key "url"');
      expect(f.evidence.keys).toEqual(['host', 'port', 'password']);
      expect(find(r.report, 'redis.url').status).toBe('FAIL');
    } finally {
      await c.sm.send(new SM.PutSecretValueCommand({ SecretId: w.redisSecretArn, SecretString: w.redisSecretValue }));
    }
    expect((await doctor('task-start', 'redis')).code).toBe(0);
  });

  it('the execution role losing read on the Redis secret -> iam.secret-read FAILs with put-role-policy; PASS once restored', async () => {
    const pol = structuredClone(w.executionPolicy) as { Statement: { Sid: string; Resource: unknown }[] };
    pol.Statement.find((s) => s.Sid === 'Secrets')!.Resource = [w.dbSecretArn];
    await c.iam.send(new IAM.PutRolePolicyCommand({ RoleName: w.execRole, PolicyName: 'execution', PolicyDocument: JSON.stringify(pol) }));
    try {
      const r = await doctor('iam');
      expect(r.code).toBe(1);
      const f = find(r.report, 'iam.secret-read');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(w.redisSecretArn);
      expect(f.fix?.commands?.[0]).toContain(`aws iam put-role-policy --role-name ${w.execRole}`);
      expect(f.fix?.commands?.[0]).toContain(w.redisSecretArn);
    } finally {
      await c.iam.send(new IAM.PutRolePolicyCommand({ RoleName: w.execRole, PolicyName: 'execution', PolicyDocument: JSON.stringify(w.executionPolicy) }));
    }
    expect((await doctor('iam')).code).toBe(0);
  });

  it('incident 5: the listener on a certificate still PENDING_VALIDATION (no CNAME in the zone) -> certificate.status FAILs; PASS once switched back', async () => {
    const pending = (await c.acm.send(new ACM.RequestCertificateCommand({ DomainName: 'api.berth.test', ValidationMethod: 'DNS' }))).CertificateArn!;
    await c.elb.send(new ELB.ModifyListenerCommand({ ListenerArn: w.https, Certificates: [{ CertificateArn: pending }] }));
    try {
      const r = await doctor('certificate');
      expect(r.code).toBe(1);
      const s = find(r.report, 'certificate.status');
      expect(s.status).toBe('FAIL');
      expect(s.resource).toBe(pending);
      expect(s.message).toMatch(/PENDING_VALIDATION for \d+ min and cannot validate: its validation CNAME is not in the zone/);
      const v = find(r.report, 'certificate.validation-records');
      expect(v.status).toBe('FAIL');
      expect(v.fix?.commands?.[0]).toContain(`aws route53 change-resource-record-sets --hosted-zone-id ${w.zone}`);
      expect(find(r.report, 'certificate.listener').status).toBe('FAIL');
    } finally {
      await c.elb.send(new ELB.ModifyListenerCommand({ ListenerArn: w.https, Certificates: [{ CertificateArn: w.cert }] }));
      await c.acm.send(new ACM.DeleteCertificateCommand({ CertificateArn: pending }));
    }
    expect((await doctor('certificate')).code).toBe(0);
  });

  it("the zone's NS record set pointing at the registrar -> certificate.delegation FAILs; PASS once restored", async () => {
    const zone = await c.r53.send(new R53.GetHostedZoneCommand({ Id: w.zone }));
    const ns = (values: string[]) => new R53.ChangeResourceRecordSetsCommand({ HostedZoneId: w.zone, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'berth.test', Type: 'NS', TTL: 172800, ResourceRecords: values.map((Value) => ({ Value })) } }] } });
    await c.r53.send(ns(['ns1.registrar.example', 'ns2.registrar.example']));
    try {
      const f = find((await doctor('certificate')).report, 'certificate.delegation');
      expect(f.status).toBe('FAIL');
      expect(f.message).toContain('ns1.registrar.example');
      expect(f.fix?.commands?.[0]).toContain(zone.DelegationSet!.NameServers![0]!);
    } finally {
      await c.r53.send(ns(zone.DelegationSet!.NameServers!));
    }
    expect((await doctor('certificate')).code).toBe(0);
  });

  it('a stopped task that could not fetch its secrets is explained (WARN while the service is steady)', async () => {
    // moto 5.2 cannot run an awsvpc task (it crashes building the ENI details), so the failed
    // task runs from a bridge-mode revision of the same family: the doctor reads stopped tasks by family.
    const bridge = (
      await c.ecs.send(new ECS.RegisterTaskDefinitionCommand({ family: `${P}-api`, networkMode: 'bridge', cpu: '512', memory: '1024', containerDefinitions: [{ name: 'api', image: `${w.repositoryUri}:v1`, essential: true, memory: 1024 }] }))
    ).taskDefinition!.taskDefinitionArn!;
    const run = await c.ecs.send(new ECS.RunTaskCommand({ cluster: P, taskDefinition: bridge, launchType: 'FARGATE', startedBy: 'ecs-svc/1' }));
    await c.ecs.send(new ECS.StopTaskCommand({ cluster: P, task: run.tasks![0]!.taskArn!, reason: `ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: failed to fetch secret ${w.redisSecretArn}` }));
    const r = await doctor('task-start');
    const f = r.report.findings.find((x) => x.check === 'task-start.stopped-tasks' && x.evidence.kind === 'secrets')!;
    expect(f.status).toBe('WARN');
    expect(f.see).toEqual(expect.arrayContaining(['iam.secret-read', 'task-start.secrets']));
    expect(String(f.evidence.stoppedReason)).toContain('<arn>');
    expect(r.code).toBe(0);
  });

  it('an unknown group is a usage error (exit 2) listing the valid ones, before any AWS call; --service filters', async () => {
    const r = await runCli(['doctor', '--env', 'sandbox', 'netwrok'], { project: project!.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('network, security-groups, task-start, health, database, redis, certificate, iam');
    const s = await runCli(['doctor', '--env', 'sandbox', '--service', 'web'], { project: project!.dir });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('services: api');
    const one = await doctor('network.private-route');
    expect(new Set(one.report.findings.map((f) => f.check))).toEqual(new Set(['network.private-route']));
  });
});
