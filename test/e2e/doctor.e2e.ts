/**
 * `berth doctor` (issue 6) end to end on THE sandbox of the run: every check PASSes on the healthy
 * sandbox and no secret value is printed; then each runbook incident is injected through the AWS API
 * (SDK clients for the emulator), the doctor must FAIL naming that resource with the right fix, and
 * PASS again once undone (where the fix is a command, the test runs the command it printed). Faults whose undo cannot restore the same resource id (a route-table association, a
 * security-group rule) are undone the way an operator would: `berth sandbox up`, i.e. terraform
 * re-applying the stacks, so the terraform state stays true for the files after this one.
 */
import * as ACM from '@aws-sdk/client-acm';
import * as EC2 from '@aws-sdk/client-ec2';
import * as ECR from '@aws-sdk/client-ecr';
import * as ECS from '@aws-sdk/client-ecs';
import * as ELB from '@aws-sdk/client-elastic-load-balancing-v2';
import * as IAM from '@aws-sdk/client-iam';
import * as R53 from '@aws-sdk/client-route-53';
import * as SM from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { names, serviceNames } from '../../src/config/names.js';
import type { ServiceConfig } from '../../src/config/types.js';
import type { DoctorReport } from '../../src/doctor/run.js';
import type { Finding } from '../../src/doctor/types.js';
import { demoManifest } from '../../src/sandbox/images.js';
import { sandbox, type Sandbox } from './harness.js';

let sb: Sandbox;
let svc: ServiceConfig;

beforeAll(async () => {
  sb = await sandbox();
  svc = sb.env.services[0]!;
});

async function doctor(...args: string[]): Promise<{ code: number; report: DoctorReport; stdout: string; stderr: string }> {
  const r = await sb.berth('doctor', '--env', 'sandbox', '--json', ...args);
  if (!r.json) throw new Error(`doctor did not print JSON (exit ${r.code}): ${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-2000)}`);
  return { code: r.code, report: r.json as DoctorReport, stdout: r.stdout, stderr: r.stderr };
}

const problems = (r: DoctorReport) =>
  r.findings.filter((f) => f.status !== 'PASS').map((f) => `${f.status} ${f.check} ${f.resource}: ${f.message}`);
const find = (r: DoctorReport, check: string, resource?: string): Finding => {
  const xs = r.findings.filter((f) => f.check === check && (resource === undefined || f.resource === resource));
  if (xs.length !== 1)
    throw new Error(`expected one ${check} ${resource ?? ''}, got ${JSON.stringify(xs.map((x) => [x.status, x.resource, x.message]))}`);
  return xs[0]!;
};
/** Findings that are not PASS, but for the history of tasks stopped by earlier deploys (WARN while the service is steady). */
const problemsNow = (r: DoctorReport) =>
  problems(r).filter((p) => !/^WARN task-start\.stopped-tasks .*\(the service is steady now\)$/.test(p));

async function ec2() {
  return sb.client('ec2');
}

async function sgId(name: string): Promise<string> {
  const r = await (await ec2()).send(new EC2.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }));
  return r.SecurityGroups![0]!.GroupId!;
}

async function currentService() {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new ECS.DescribeServicesCommand({ cluster: sb.cluster, services: [svc.name] }))).services![0]!;
}

async function waitSettled(taskDefinition: string, limitMs = 90_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await currentService();
    const ds = s.deployments ?? [];
    if (
      ds.length === 1 &&
      ds[0]!.taskDefinition === taskDefinition &&
      ds[0]!.rolloutState === 'COMPLETED' &&
      s.runningCount === s.desiredCount
    )
      return s;
    if (Date.now() > deadline)
      throw new Error(
        `service did not settle on ${taskDefinition}: ${JSON.stringify(ds.map((d) => [d.taskDefinition, d.rolloutState, d.runningCount]))}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The sandbox's secret values (the account is the environment's alone): every password, token or key
 * field, every URL carrying credentials, and every secret that is a plain string. (A host name or a
 * port kept in a secret is not itself secret: the doctor may show it.)
 */
async function secretLeaves(): Promise<string[]> {
  const sm = await sb.client('secretsManager');
  const list = (await sm.send(new SM.ListSecretsCommand({ MaxResults: 100 }))).SecretList ?? [];
  const out: string[] = [];
  const secretish = (key: string, v: string) => /pass|token|secret|key|auth/i.test(key) || /^[a-z]+:\/\/[^/@\s]*:[^/@\s]+@/i.test(v);
  for (const x of list) {
    const str = (await sm.send(new SM.GetSecretValueCommand({ SecretId: x.ARN! })).catch(() => undefined))?.SecretString;
    if (!str) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(str);
    } catch {
      if (str.length >= 8) out.push(str);
      continue;
    }
    const walk = (key: string, v: unknown): void => {
      if (typeof v === 'string') {
        if (v.length >= 8 && secretish(key, v)) out.push(v);
      } else if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) walk(k, w);
    };
    walk('', doc);
  }
  return out;
}

describe('berth doctor on the sandbox', () => {
  it('every check of every group PASSes on the healthy sandbox (exit 0); a full run is timed', async () => {
    const started = Date.now();
    const r = await doctor();
    const wall = Date.now() - started;
    // Tasks stopped by earlier failing deploys (other files) are history: a WARN that says the
    // service is steady now is right; anything else is not.
    expect(problems(r.report).filter((p) => !/^WARN task-start\.stopped-tasks .*\(the service is steady now\)$/.test(p))).toEqual([]);
    expect(r.report.summary.fail).toBe(0);
    expect(r.code).toBe(0);
    expect(r.report.ok).toBe(true);
    expect(r.report.groups.map((g) => g.name)).toEqual([
      'network',
      'security-groups',
      'task-start',
      'health',
      'database',
      'redis',
      'certificate',
      'iam',
    ]);
    expect(r.report.summary.pass).toBeGreaterThan(40);
    expect(r.report.endpoint).toBe(sb.endpoint);
    // The environment's secret values (DB password, Redis token and URL, ...) appear nowhere.
    const values = await secretLeaves();
    expect(values.length).toBeGreaterThanOrEqual(2); // at least the Redis token and the URL that carries it
    for (const v of values) {
      expect(r.stdout.includes(v), 'a secret value in stdout').toBe(false);
      expect(r.stderr.includes(v), 'a secret value in stderr').toBe(false);
    }
    console.info(
      `doctor, full run on the sandbox: ${r.report.durationMs} ms inside, ${wall} ms wall for the CLI (${r.report.groups.map((g) => `${g.name} ${g.durationMs}`).join(', ')})`,
    );
  });

  it('incidents 2 and 3: a private subnet without its route table and the app SG without egress on 5432 -> FAIL with the association and the egress rule; PASS once terraform re-applies', async () => {
    const c = await ec2();
    const n = names(sb.env);
    const subnet = (await c.send(new EC2.DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Name', Values: [n.subnet('private', 1)] }] })))
      .Subnets![0]!.SubnetId!;
    const rt = (await c.send(new EC2.DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet] }] })))
      .RouteTables![0]!;
    const assoc = rt.Associations!.find((a) => a.SubnetId === subnet)!;
    const app = await sgId(n.serviceSecurityGroup);
    const db = await sgId(n.databaseSecurityGroup);
    const egress = (await c.send(new EC2.DescribeSecurityGroupsCommand({ GroupIds: [app] }))).SecurityGroups![0]!.IpPermissionsEgress!.find(
      (p) => p.FromPort === 5432,
    )!;
    expect(egress.UserIdGroupPairs?.[0]?.GroupId).toBe(db);

    try {
      await c.send(new EC2.DisassociateRouteTableCommand({ AssociationId: assoc.RouteTableAssociationId! }));
      // the rule exactly as the group holds it (its description included)
      await c.send(new EC2.RevokeSecurityGroupEgressCommand({ GroupId: app, IpPermissions: [egress] }));
      const r = await doctor('network', 'security-groups', 'database');
      expect(r.code).toBe(1);
      const route = find(r.report, 'network.private-route', subnet);
      expect(route.status).toBe('FAIL');
      expect(route.fix?.commands?.[0]).toMatch(
        new RegExp(`^aws ec2 associate-route-table --route-table-id rtb-[0-9a-f]+ --subnet-id ${subnet}$`),
      );
      const sg = find(r.report, 'security-groups.app-to-db');
      expect(sg.status).toBe('FAIL');
      expect(sg.resource).toBe(app);
      expect(sg.fix?.commands).toEqual([
        `aws ec2 authorize-security-group-egress --group-id ${app} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${db}}]'`,
      ]);
      expect(find(r.report, 'database.reachability').status).toBe('FAIL');
      expect(find(r.report, 'security-groups.app-to-cache').status).toBe('PASS');
      expect(
        r.report.findings
          .filter((f) => f.status === 'FAIL')
          .map((f) => f.check)
          .sort(),
      ).toEqual(['database.reachability', 'network.private-route', 'network.task-egress', 'security-groups.app-to-db']);
      // the shared reachability model: the service's tasks in that subnet cannot get out (the main table has no default route)
      const egress443 = find(r.report, 'network.task-egress');
      expect(egress443.message).toContain(subnet);
      expect(egress443.fix?.commands).toEqual([
        expect.stringMatching(new RegExp(`^aws ec2 associate-route-table --route-table-id rtb-[0-9a-f]+ --subnet-id ${subnet}$`)),
      ]);
    } finally {
      // terraform puts both back (an API undo would make new ids the state does not know)
      const up = await sb.berth('sandbox', 'up', '--json');
      expect(up.code, up.stderr.slice(-3000)).toBe(0);
      expect((up.json as { changedStacks: number }).changedStacks).toBeGreaterThanOrEqual(1);
    }
    const after = await doctor('network', 'security-groups', 'database');
    expect(problemsNow(after.report)).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('a task revision listening on 8000 behind the 8001 target group -> health.port FAILs naming the target group; the health path changed -> health.path FAILs; PASS once undone', async () => {
    const ecs = await sb.client('ecs');
    const elb = await sb.client('elbv2');
    const s = await currentService();
    const good = s.taskDefinition!;
    const tg = s.loadBalancers![0]!.targetGroupArn!;
    const td = (await ecs.send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: good }))).taskDefinition!;
    const rev = (
      await ecs.send(
        new ECS.RegisterTaskDefinitionCommand({
          family: td.family,
          requiresCompatibilities: td.requiresCompatibilities,
          networkMode: td.networkMode,
          cpu: td.cpu,
          memory: td.memory,
          runtimePlatform: td.runtimePlatform,
          executionRoleArn: td.executionRoleArn,
          taskRoleArn: td.taskRoleArn,
          containerDefinitions: td.containerDefinitions!.map((d) =>
            d.name === svc.name ? { ...d, portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }] } : d,
          ),
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
    await ecs.send(new ECS.UpdateServiceCommand({ cluster: sb.cluster, service: svc.name, taskDefinition: rev }));
    await elb.send(new ELB.ModifyTargetGroupCommand({ TargetGroupArn: tg, HealthCheckPath: '/' }));
    try {
      const r = await doctor('health');
      expect(r.code).toBe(1);
      const port = find(r.report, 'health.port');
      expect(port.status).toBe('FAIL');
      expect(port.resource).toBe(tg);
      expect(port.message).toContain(
        `the container listens on 8000 but target group ${serviceNames(sb.env, svc).targetGroup} is on ${svc.port}`,
      );
      const path = find(r.report, 'health.path');
      expect(path.status).toBe('FAIL');
      expect(path.fix?.commands).toContain(`aws elbv2 modify-target-group --target-group-arn ${tg} --health-check-path ${svc.healthPath}`);
    } finally {
      await elb.send(new ELB.ModifyTargetGroupCommand({ TargetGroupArn: tg, HealthCheckPath: svc.healthPath }));
      await ecs.send(new ECS.UpdateServiceCommand({ cluster: sb.cluster, service: svc.name, taskDefinition: good }));
      await waitSettled(good);
    }
    const after = await doctor('health');
    expect(problemsNow(after.report)).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('incident 4: an arm64-only image under the X86_64 task -> task-start.architecture FAILs with a linux/amd64 rebuild; PASS once re-pushed', async () => {
    const ecr = await sb.client('ecr');
    const ecs = await sb.client('ecs');
    const s = await currentService();
    const td = (await ecs.send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition! }))).taskDefinition!;
    expect(td.runtimePlatform?.cpuArchitecture).toBe('X86_64');
    const image = td.containerDefinitions!.find((d) => d.name === svc.name)!.image!;
    const [uri, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)];
    const repository = serviceNames(sb.env, svc).repository;
    const put = (arch: string) =>
      ecr.send(
        new ECR.PutImageCommand({
          repositoryName: repository,
          imageTag: tag,
          imageManifest: demoManifest(repository, tag, arch),
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        }),
      );
    await put('arm64');
    try {
      const r = await doctor('task-start');
      expect(r.code).toBe(1);
      const f = find(r.report, 'task-start.architecture');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(`${uri}:${tag}`);
      expect(f.evidence.imageArchitectures).toEqual(['arm64']);
      expect(f.fix?.commands).toContain(`docker buildx build --platform linux/amd64 -t ${uri}:${tag} --push .`);
    } finally {
      await put('amd64');
    }
    const after = await doctor('task-start');
    expect(problemsNow(after.report)).toEqual([]);
    expect(find(after.report, 'task-start.architecture').status).toBe('PASS');
  });

  it('incident 1: a query string on the Redis URL -> redis.url FAILs naming the secret, never printing the token; a key removed -> task-start.secrets FAILs; PASS once restored', async () => {
    const sm = await sb.client('secretsManager');
    const secretName = names(sb.env).redisSecret;
    const arn = (await sm.send(new SM.DescribeSecretCommand({ SecretId: secretName }))).ARN!;
    const original = (await sm.send(new SM.GetSecretValueCommand({ SecretId: arn }))).SecretString!;
    const value = JSON.parse(original) as Record<string, string>;
    const token = new URL(value.url!).password || value.password || value.auth_token || '';
    expect(token.length).toBeGreaterThan(8);
    try {
      await sm.send(
        new SM.PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ ...value, url: `${value.url}?ssl_cert_reqs=none` }) }),
      );
      const r = await doctor('redis');
      expect(r.code).toBe(1);
      const f = find(r.report, 'redis.url');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(arn);
      expect(f.evidence.queryKeys).toEqual(['ssl_cert_reqs']);
      expect(f.fix?.note).toMatch(/rediss:\/\/:<auth token>@\S+:6379/);
      expect(r.stdout).not.toContain(token);
      expect(r.stderr).not.toContain(token);

      const { url: _url, ...rest } = value;
      await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(rest) }));
      const k = await doctor('task-start', 'redis');
      expect(k.code).toBe(1);
      const sec = find(k.report, 'task-start.secrets');
      expect(sec.status).toBe('FAIL');
      expect(sec.resource).toBe(arn);
      expect(sec.message).toContain('REDIS_URL');
      expect(sec.message).toContain('no key "url"');
      expect(k.stdout).not.toContain(token);
    } finally {
      await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: original }));
    }
    const after = await doctor('task-start', 'redis');
    expect(problemsNow(after.report)).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('the execution role losing read on the Redis secret -> iam.secret-read FAILs with put-role-policy; PASS once restored', async () => {
    const iam = await sb.client('iam');
    const sm = await sb.client('secretsManager');
    const redisArn = (await sm.send(new SM.DescribeSecretCommand({ SecretId: names(sb.env).redisSecret }))).ARN!;
    const role = serviceNames(sb.env, svc).executionRole;
    const doc = decodeURIComponent(
      (await iam.send(new IAM.GetRolePolicyCommand({ RoleName: role, PolicyName: 'execution' }))).PolicyDocument!,
    );
    const pol = JSON.parse(doc) as { Statement: { Action: string | string[]; Resource: string | string[] }[] };
    const reads = pol.Statement.filter((s) => [s.Action].flat().some((a) => /secretsmanager:GetSecretValue/.test(a)));
    expect(reads.length).toBeGreaterThan(0);
    const cut = structuredClone(pol);
    for (const s of cut.Statement)
      if ([s.Action].flat().some((a) => /secretsmanager:GetSecretValue/.test(a)))
        s.Resource = [s.Resource].flat().filter((r) => !r.startsWith(redisArn.replace(/-[A-Za-z0-9]{6}$/, '')));
    await iam.send(new IAM.PutRolePolicyCommand({ RoleName: role, PolicyName: 'execution', PolicyDocument: JSON.stringify(cut) }));
    try {
      const r = await doctor('iam');
      expect(r.code).toBe(1);
      const f = find(r.report, 'iam.secret-read');
      expect(f.status).toBe('FAIL');
      expect(f.resource).toBe(redisArn);
      expect(f.fix?.commands?.[0]).toContain(`aws iam put-role-policy --role-name ${role}`);
      expect(f.fix?.commands?.[0]).toContain(redisArn);
    } finally {
      await iam.send(new IAM.PutRolePolicyCommand({ RoleName: role, PolicyName: 'execution', PolicyDocument: doc }));
    }
    const after = await doctor('iam');
    expect(problemsNow(after.report)).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('the human rendering (no terminal: no colour) shows each group and the tally; exit 0', async () => {
    const r = await sb.berth('doctor', '--env', 'sandbox', 'network', 'redis');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^network — /m);
    expect(r.stdout).toMatch(/^redis — /m);
    expect(r.stdout).toMatch(/PASS {2}network\.private-route/);
    expect(r.stdout).toMatch(/\d+ PASS {2}0 WARN {2}0 FAIL/);
    // eslint-disable-next-line no-control-regex -- the escape codes are what is checked
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('the database group opened to the internet on 5432 -> security-groups.db-exposure FAILs with the revoke; PASS once revoked', async () => {
    const c = await ec2();
    const db = await sgId(names(sb.env).databaseSecurityGroup);
    const perm: EC2.IpPermission[] = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    await c.send(new EC2.AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: perm }));
    try {
      const r = await doctor('security-groups');
      expect(r.code).toBe(1);
      const f = find(r.report, 'security-groups.db-exposure');
      expect([f.status, f.resource]).toEqual(['FAIL', db]);
      expect(f.fix?.commands?.[0]).toContain(`revoke-security-group-ingress --group-id ${db}`);
      expect(f.fix?.commands?.[0]).toContain('0.0.0.0/0');
    } finally {
      await c.send(new EC2.RevokeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: perm }));
    }
    const after = await doctor('security-groups');
    expect(problemsNow(after.report)).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('a deployment started while the Redis secret lacks its key: its tasks fail with ResourceInitializationError, doctor explains them as a secrets failure pointing at iam.secret-read and task-start.secrets; history (WARN) once steady', async () => {
    const ecs = await sb.client('ecs');
    const sm = await sb.client('secretsManager');
    const arn = (await sm.send(new SM.DescribeSecretCommand({ SecretId: names(sb.env).redisSecret }))).ARN!;
    const original = (await sm.send(new SM.GetSecretValueCommand({ SecretId: arn }))).SecretString!;
    const { url: _url, ...rest } = JSON.parse(original) as Record<string, string>;
    const good = (await currentService()).taskDefinition!;
    await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(rest) }));
    try {
      await ecs.send(new ECS.UpdateServiceCommand({ cluster: sb.cluster, service: svc.name, forceNewDeployment: true }));
      // while it fails (before the circuit breaker is done): a FAIL naming the cause
      const deadline = Date.now() + 60_000;
      let failing: Finding | undefined;
      while (!failing) {
        const r = await doctor('task-start');
        failing = r.report.findings.find((x) => x.check === 'task-start.stopped-tasks' && x.evidence.kind === 'secrets');
        if (!failing && Date.now() > deadline)
          throw new Error(`no stopped task explained as a secrets failure: ${JSON.stringify(problems(r.report))}`);
        if (!failing) await new Promise((res) => setTimeout(res, 300));
      }
      expect(failing.see).toEqual(expect.arrayContaining(['iam.secret-read', 'task-start.secrets']));
      expect(String(failing.evidence.stoppedReason)).toContain('did not contain json key url');
    } finally {
      await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: original }));
    }
    // The failing deployment may have tripped the circuit breaker (FAILED, nothing to roll back to:
    // same revision) or not, depending on timing: start one deployment more, as an operator would.
    await ecs.send(new ECS.UpdateServiceCommand({ cluster: sb.cluster, service: svc.name, forceNewDeployment: true }));
    await waitSettled(good);
    const r = await doctor('task-start');
    const history = r.report.findings.find((x) => x.check === 'task-start.stopped-tasks' && x.evidence.kind === 'secrets')!;
    expect(history.status).toBe('WARN');
    expect(history.message).toContain('(the service is steady now)');
    expect(problemsNow(r.report)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('an unknown group is a usage error (exit 2) listing the valid ones; an unknown --service names the services; one check can be run alone', async () => {
    const r = await sb.berth('doctor', '--env', 'sandbox', 'netwrok');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('network, security-groups, task-start, health, database, redis, certificate, iam');
    const s = await sb.berth('doctor', '--env', 'sandbox', '--service', 'web');
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`services: ${svc.name}`);
    const one = await doctor('network.private-route');
    expect(new Set(one.report.findings.map((f) => f.check))).toEqual(new Set(['network.private-route']));
  });

  describe('incident 5: a certificate left in PENDING_VALIDATION (the emulator validates by the zone, as ACM does)', () => {
    interface Cert {
      zone: string;
      listener: string;
      original: string;
      cname: R53.ResourceRecordSet;
      ns: R53.ResourceRecordSet;
    }
    async function certificateWorld(): Promise<Cert> {
      const n = names(sb.env);
      const elb = await sb.client('elbv2');
      const r53 = await sb.client('route53');
      const acm = await sb.client('acm');
      const lb = (await elb.send(new ELB.DescribeLoadBalancersCommand({ Names: [n.alb] }))).LoadBalancers![0]!;
      const https = (await elb.send(new ELB.DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!.find(
        (l) => l.Port === 443,
      )!;
      const original = https.Certificates![0]!.CertificateArn!;
      const rr = (await acm.send(new ACM.DescribeCertificateCommand({ CertificateArn: original }))).Certificate!
        .DomainValidationOptions![0]!.ResourceRecord!;
      const zone = (await r53.send(new R53.ListHostedZonesByNameCommand({ DNSName: sb.env.domain.name, MaxItems: 1 }))).HostedZones![0]!
        .Id!;
      const sets = (await r53.send(new R53.ListResourceRecordSetsCommand({ HostedZoneId: zone }))).ResourceRecordSets!;
      const norm = (x: string | undefined) => (x ?? '').toLowerCase().replace(/\.$/, '');
      const cname = sets.find((x) => x.Type === 'CNAME' && norm(x.Name) === norm(rr.Name))!;
      const ns = sets.find((x) => x.Type === 'NS' && norm(x.Name) === norm(sb.env.domain.name))!;
      expect(cname, `the validation CNAME ${rr.Name} of ${original} is in zone ${zone}`).toBeDefined();
      expect(ns).toBeDefined();
      return { zone, listener: https.ListenerArn!, original, cname, ns };
    }
    /** A certificate for the public name, requested as `berth apply` would (DNS validation), served by the HTTPS listener. */
    async function serveNewCertificate(w: Cert): Promise<string> {
      const acm = await sb.client('acm');
      const arn = (await acm.send(new ACM.RequestCertificateCommand({ DomainName: names(sb.env).fqdn, ValidationMethod: 'DNS' })))
        .CertificateArn!;
      expect((await acm.send(new ACM.DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.Status).toBe('PENDING_VALIDATION');
      await (
        await sb.client('elbv2')
      ).send(new ELB.ModifyListenerCommand({ ListenerArn: w.listener, Certificates: [{ CertificateArn: arn }] }));
      return arn;
    }
    async function restore(w: Cert, pending: string | undefined) {
      const r53 = await sb.client('route53');
      await (
        await sb.client('elbv2')
      ).send(new ELB.ModifyListenerCommand({ ListenerArn: w.listener, Certificates: [{ CertificateArn: w.original }] }));
      // exactly as terraform made them, TTL included, so its state stays true
      await r53.send(
        new R53.ChangeResourceRecordSetsCommand({
          HostedZoneId: w.zone,
          ChangeBatch: {
            Changes: [
              { Action: 'UPSERT', ResourceRecordSet: w.cname },
              { Action: 'UPSERT', ResourceRecordSet: w.ns },
            ],
          },
        }),
      );
      if (pending) await (await sb.client('acm')).send(new ACM.DeleteCertificateCommand({ CertificateArn: pending }));
    }
    /** Run a doctor fix (`aws route53 change-resource-record-sets --hosted-zone-id Z --change-batch '...'`) as printed, against the emulator. */
    async function runFix(command: string | undefined) {
      const m = /^aws route53 change-resource-record-sets --hosted-zone-id (\S+) --change-batch '([^']*)'$/.exec(command ?? '');
      expect(m, `a runnable route53 fix, got: ${command}`).not.toBeNull();
      const r = await sb.aws('route53', 'change-resource-record-sets', '--hosted-zone-id', m![1]!, '--change-batch', m![2]!);
      expect(r.code, r.stderr).toBe(0);
    }
    const certStatus = async (arn: string) =>
      (await (await sb.client('acm')).send(new ACM.DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.Status;

    it('its validation CNAME gone from the zone -> certificate.status FAILs naming the certificate, validation-records prints the UPSERT; running that fix issues it and doctor PASSes', async () => {
      const w = await certificateWorld();
      const r53 = await sb.client('route53');
      let pending: string | undefined;
      try {
        await r53.send(
          new R53.ChangeResourceRecordSetsCommand({
            HostedZoneId: w.zone,
            ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: w.cname }] },
          }),
        );
        // an issued certificate stays issued without its record (only its renewal is at risk) ...
        expect(await certStatus(w.original)).toBe('ISSUED');
        const warned = find((await doctor('certificate')).report, 'certificate.validation-records');
        expect([warned.status, warned.resource]).toEqual(['WARN', w.original]);
        expect(warned.message).toContain('automatic renewal will fail');
        // ... a new one never validates
        pending = await serveNewCertificate(w);
        const r = await doctor('certificate');
        expect(r.code).toBe(1);
        const s = find(r.report, 'certificate.status');
        expect(s.status).toBe('FAIL');
        expect(s.resource).toBe(pending);
        expect(s.message).toMatch(/PENDING_VALIDATION for \d+ min and cannot validate: its validation CNAME is not in the zone/);
        expect(s.see).toEqual(['certificate.validation-records']);
        const v = find(r.report, 'certificate.validation-records');
        expect([v.status, v.resource]).toEqual(['FAIL', pending]);
        expect(v.message).toContain(`missing from zone ${w.zone.replace('/hostedzone/', '')}`);
        expect(v.fix?.commands?.[0]).toContain(w.cname.Name!.replace(/\.$/, ''));
        const l = find(r.report, 'certificate.listener');
        expect([l.status, l.resource]).toEqual(['FAIL', pending]);
        expect(find(r.report, 'certificate.delegation').status).toBe('PASS');
        expect(
          r.report.findings
            .filter((f) => f.status === 'FAIL')
            .map((f) => f.check)
            .sort(),
        ).toEqual(['certificate.listener', 'certificate.status', 'certificate.validation-records']);

        await runFix(v.fix?.commands?.[0]);
        expect(await certStatus(pending)).toBe('ISSUED');
        const fixed = await doctor('certificate');
        expect(problemsNow(fixed.report)).toEqual([]);
        expect(fixed.code).toBe(0);
        expect(find(fixed.report, 'certificate.status').resource).toBe(pending);
      } finally {
        await restore(w, pending);
      }
      const after = await doctor('certificate');
      expect(problemsNow(after.report)).toEqual([]);
      expect(find(after.report, 'certificate.status').resource).toBe(w.original);
    });

    it("the domain not delegated to the zone (its NS answer is the registrar's) -> certificate.status and certificate.delegation FAIL; running the delegation fix issues it and doctor PASSes", async () => {
      const w = await certificateWorld();
      const r53 = await sb.client('route53');
      let pending: string | undefined;
      try {
        const registrar = { ...w.ns, ResourceRecords: [{ Value: 'ns1.registrar.example.' }, { Value: 'ns2.registrar.example.' }] };
        await r53.send(
          new R53.ChangeResourceRecordSetsCommand({
            HostedZoneId: w.zone,
            ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: registrar }] },
          }),
        );
        pending = await serveNewCertificate(w);
        const r = await doctor('certificate');
        expect(r.code).toBe(1);
        const s = find(r.report, 'certificate.status');
        expect([s.status, s.resource]).toEqual(['FAIL', pending]);
        expect(s.message).toContain(`${sb.env.domain.name} is not delegated to the zone's name servers`);
        expect(s.see).toEqual(['certificate.delegation']);
        expect(find(r.report, 'certificate.validation-records').status).toBe('PASS');
        const d = find(r.report, 'certificate.delegation');
        expect([d.status, d.resource]).toEqual(['FAIL', w.zone.replace('/hostedzone/', '')]);
        expect(d.message).toContain('ns1.registrar.example');

        await runFix(d.fix?.commands?.[0]);
        expect(await certStatus(pending)).toBe('ISSUED');
        const fixed = await doctor('certificate');
        expect(problemsNow(fixed.report)).toEqual([]);
        expect(fixed.code).toBe(0);
      } finally {
        await restore(w, pending);
      }
      expect((await doctor('certificate')).code).toBe(0);
    });
  });

  it('ends as it started: every check PASSes, and the service is settled on its revision', async () => {
    const r = await doctor();
    expect(problemsNow(r.report)).toEqual([]);
    expect(r.code).toBe(0);
    const s = await currentService();
    expect({ deployments: s.deployments?.length, running: s.runningCount }).toEqual({ deployments: 1, running: s.desiredCount });
  });
});
