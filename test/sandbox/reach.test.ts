/**
 * The emulator decides what a task can reach from its EC2 state (src/sandbox/moto/berth_moto/reach/,
 * the same model as src/network/): the runbook incidents produce ECS's own symptoms.
 * One world, built with plain AWS API calls, walked through the incidents and their fixes in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDBClusterCommand, CreateDBSubnetGroupCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { Finding } from '../../src/doctor/types.js';
import { applyFix, doctor, worldEnv } from './doctor-run.js';
import { deploy, describeService, startWorld, steady, waitFor, type World } from './world.js';

let w: World;
let env: EnvironmentConfig;

beforeAll(async () => {
  w = await startWorld({ BERTH_SANDBOX_LOG_INTERVAL: '1' }, { routed: false });
  env = await worldEnv(w);
});

const finding = (fs: Finding[], check: string) => {
  const f = fs.find((x) => x.check === check);
  if (!f) throw new Error(`no ${check} finding in ${fs.map((x) => x.check).join(', ')}`);
  return f;
};

afterAll(async () => {
  await w?.emu.stop();
});

async function stopped(): Promise<Task[]> {
  const arns =
    (await w.ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: w.service, desiredStatus: 'STOPPED' }))).taskArns ?? [];
  if (!arns.length) return [];
  return (await w.ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: arns }))).tasks ?? [];
}

async function stoppedWith(re: RegExp, limitMs = 60_000): Promise<Task> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const t = (await stopped()).find((x) => x.lastStatus === 'STOPPED' && re.test(x.stoppedReason ?? ''));
    if (t) return t;
    if (Date.now() > deadline)
      throw new Error(`no stopped task matching ${re}: ${(await stopped()).map((x) => x.stoppedReason).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function running(): Promise<Task[]> {
  const arns =
    (await w.ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: w.service, desiredStatus: 'RUNNING' }))).taskArns ?? [];
  if (!arns.length) return [];
  return (await w.ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: arns }))).tasks ?? [];
}

async function logOf(t: Task): Promise<string[]> {
  const id = (t.taskArn ?? '').split('/').pop();
  const out = await w.logs.send(new GetLogEventsCommand({ logGroupName: w.logGroup, logStreamName: `ecs/api/${id}`, startFromHead: true }));
  return (out.events ?? []).map((e) => e.message ?? '');
}

/** Force a new deployment and wait until it alone runs, healthy. */
async function redeploy(): Promise<void> {
  await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, forceNewDeployment: true }));
  await waitFor(w, (s) => steady(w, s), 90_000);
}

describe('the sandbox lets the network incidents happen as they did', () => {
  it('private subnets associated with no route table: the task cannot get the ECR registry auth and stops TaskFailedToStart (i/o timeout), after the agent timed out', async () => {
    const t = await stoppedWith(/^ResourceInitializationError/);
    expect(t.stopCode).toBe('TaskFailedToStart');
    expect(t.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR\. Check your task network configuration\. RequestError: send request failed caused by: Post "https:\/\/api\.ecr\.us-east-1\.amazonaws\.com\/": dial tcp \d+\.\d+\.\d+\.\d+:443: i\/o timeout$/,
    );
    expect(t.startedAt).toBeUndefined();
    // PENDING lasted the pull time plus the agent's timeouts (NET_TIMEOUT, 30 s scaled by 0.05).
    expect(new Date(t.stoppingAt!).getTime() - new Date(t.pullStartedAt!).getTime()).toBeGreaterThanOrEqual(1_500);
    expect((await describeService(w)).runningCount).toBe(0);
  });

  it('with ecr.api and Secrets Manager interface endpoints but no ecr.dkr, the image pull times out: CannotPullContainerError ... i/o timeout', async () => {
    const ep = (
      await w.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'demo-sandbox-endpoints', Description: 'endpoints', VpcId: w.vpc }))
    ).GroupId!;
    await w.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: ep,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
      }),
    );
    for (const svc of ['ecr.api', 'secretsmanager'])
      await w.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: w.vpc,
          ServiceName: `com.amazonaws.us-east-1.${svc}`,
          VpcEndpointType: 'Interface',
          SubnetIds: w.subnets.map((s) => s.id),
          SecurityGroupIds: [ep],
          PrivateDnsEnabled: true,
        }),
      );
    const t = await stoppedWith(/^CannotPullContainerError/);
    expect(t.stopCode).toBe('TaskFailedToStart');
    const image = `${w.repositoryUri}:v1`;
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(t.stoppedReason).toMatch(
      new RegExp(
        `^CannotPullContainerError: pull image manifest has been retried 5 time\\(s\\): failed to resolve ref ${esc(image)}: failed to do request: Head "https://${esc(w.repositoryUri.split('/')[0]!)}/v2/demo/api/manifests/v1": dial tcp [\\d.]+:443: i/o timeout$`,
      ),
    );
    expect(t.containers?.[0]?.reason).toBe(t.stoppedReason);
  });

  it('doctor FAILs network.task-egress naming the subnets and the main table, with fixes that associate the NAT table; applied, it PASSes and a new deployment runs healthy', async () => {
    const main = (
      await w.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [w.vpc] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      )
    ).RouteTables![0]!.RouteTableId!;
    const before = finding(await doctor(w, env), 'network.task-egress');
    expect(before.status).toBe('FAIL');
    expect(before.resource).toBe(w.subnets[0]!.id);
    for (const s of w.subnets) expect(before.message).toContain(`${s.id} -> ${main} (the main table`);
    expect(before.fix?.commands).toEqual(
      w.subnets.map((s) => `aws ec2 associate-route-table --route-table-id ${w.natRouteTable} --subnet-id ${s.id}`),
    );
    for (const c of before.fix!.commands!) await applyFix(w, c);
    expect(finding(await doctor(w, env), 'network.task-egress').status).toBe('PASS');
    await redeploy();
    expect((await running()).every((t) => t.lastStatus === 'RUNNING')).toBe(true);
  });

  it('the app group allowing egress on 443 only: the tasks log psycopg2 connection timeouts to the Aurora endpoint; doctor FAILs security-groups.app-to-db naming the group; its fix applied, the timeouts end', async () => {
    const rds = new RDSClient(w.cfg);
    const dbSg = (await w.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'demo-sandbox-db', Description: 'db', VpcId: w.vpc })))
      .GroupId!;
    await w.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: dbSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: w.securityGroup }] }],
      }),
    );
    await rds.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: 'demo-db',
        DBSubnetGroupDescription: 'db',
        SubnetIds: w.subnets.map((s) => s.id),
      }),
    );
    const host = (
      await rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'demo-sandbox-db',
          Engine: 'aurora-postgresql',
          MasterUsername: 'app',
          MasterUserPassword: 'not-a-real-password-1',
          DBSubnetGroupName: 'demo-db',
          VpcSecurityGroupIds: [dbSg],
        }),
      )
    ).DBCluster!.Endpoint!;
    // The incident: the app group lets out 443 only.
    const app = (await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [w.securityGroup] }))).SecurityGroups![0]!;
    await w.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: w.securityGroup, IpPermissions: app.IpPermissionsEgress }));
    await w.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: w.securityGroup,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await deploy(w, `${w.repositoryUri}:v3`, {
      containerDefinitions: [
        {
          name: 'api',
          image: `${w.repositoryUri}:v3`,
          essential: true,
          portMappings: [{ containerPort: 8001 }],
          environment: [{ name: 'DATABASE_HOST', value: host }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': w.logGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    });
    await waitFor(w, (s) => steady(w, s), 90_000);
    const timeout = new RegExp(
      `ERROR +sqlalchemy\\.exc\\.OperationalError: \\(psycopg2\\.OperationalError\\) connection to server at "${host.replace(/\./g, '\\.')}" \\(10\\.0\\.1[01]\\.\\d+\\), port 5432 failed: Connection timed out$`,
    );
    const lines = await logOf((await running())[0]!);
    expect(lines.some((l) => timeout.test(l))).toBe(true);
    expect(lines.some((l) => /Database connection pool ready/.test(l))).toBe(false);

    // The doctor names the app group and prints the egress rule by group reference; the emulator honours it.
    const link = finding(await doctor(w, env), 'security-groups.app-to-db');
    expect(link.status).toBe('FAIL');
    expect(link.resource).toBe(w.securityGroup);
    expect(link.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-egress --group-id ${w.securityGroup} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${dbSg}}]'`,
    ]);
    for (const c of link.fix!.commands!) await applyFix(w, c);
    expect(finding(await doctor(w, env), 'security-groups.app-to-db').status).toBe('PASS');
    await redeploy();
    const after = await logOf((await running())[0]!);
    expect(after.some((l) => /Database connection pool ready/.test(l))).toBe(true);
    expect(after.some((l) => /Connection timed out/.test(l))).toBe(false);
  });
});
