/**
 * Builds, through the AWS API of a plain moto_server, what berth's stacks build for the built-in
 * `sandbox` environment (demo-sandbox): the same names, tags, rules and wiring (see stacks/constructs).
 * The doctor then reads it like any account. Returns the ids the fault-injection tests need.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ACM from '@aws-sdk/client-acm';
import * as EC2 from '@aws-sdk/client-ec2';
import * as ECR from '@aws-sdk/client-ecr';
import * as ECS from '@aws-sdk/client-ecs';
import * as ELB from '@aws-sdk/client-elastic-load-balancing-v2';
import * as EC from '@aws-sdk/client-elasticache';
import * as IAM from '@aws-sdk/client-iam';
import * as LOGS from '@aws-sdk/client-cloudwatch-logs';
import * as RDS from '@aws-sdk/client-rds';
import * as R53 from '@aws-sdk/client-route-53';
import * as SM from '@aws-sdk/client-secrets-manager';

export const REGION = 'us-east-1';
export const P = 'demo-sandbox';

export function sdk(endpoint: string) {
  const cfg = { region: REGION, endpoint, credentials: { accessKeyId: 'AKIABERTHSANDBOXFAKE', secretAccessKey: 'berth-sandbox-fake-secret-not-a-real-key' }, maxAttempts: 2 };
  return {
    ec2: new EC2.EC2Client(cfg),
    ecs: new ECS.ECSClient(cfg),
    ecr: new ECR.ECRClient(cfg),
    elb: new ELB.ElasticLoadBalancingV2Client(cfg),
    ec: new EC.ElastiCacheClient(cfg),
    iam: new IAM.IAMClient(cfg),
    logs: new LOGS.CloudWatchLogsClient(cfg),
    rds: new RDS.RDSClient(cfg),
    r53: new R53.Route53Client(cfg),
    sm: new SM.SecretsManagerClient(cfg),
    acm: new ACM.ACMClient(cfg),
  };
}
export type Sdk = ReturnType<typeof sdk>;

export const indexFor = (arch: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${(arch === 'amd64' ? 'a' : 'b').repeat(64)}`, size: 1024, platform: { architecture: arch, os: 'linux' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 512, platform: { architecture: 'unknown', os: 'unknown' } },
    ],
  });

/** A self-signed certificate for the name (what `acm import-certificate` accepts). */
function selfSigned(cn: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '365', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface World {
  vpc: string;
  subnets: Record<'pub1' | 'pub2' | 'priv1' | 'priv2' | 'db1' | 'db2', string>;
  rtb: Record<'public' | 'priv1' | 'priv2' | 'db1' | 'db2', string>;
  assoc: Record<string, string>;
  nat: string;
  sg: Record<'alb' | 'app' | 'db' | 'cache', string>;
  tg: string;
  alb: string;
  albDns: string;
  https: string;
  cert: string;
  zone: string;
  taskDefinition: string;
  execRole: string;
  dbSecretArn: string;
  redisSecretArn: string;
  redisSecretValue: string;
  redisToken: string;
  redisHost: string;
  executionPolicy: object;
  repositoryUri: string;
}

export async function provision(endpoint: string): Promise<World> {
  const c = sdk(endpoint);
  const tags = (type: string, name: string, extra: Record<string, string> = {}) => [{ ResourceType: type as never, Tags: [{ Key: 'Name', Value: name }, ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value }))] }];

  // network
  const vpc = (await c.ec2.send(new EC2.CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: tags('vpc', `${P}-vpc`) }))).Vpc!.VpcId!;
  const sub = async (cidr: string, az: string, tier: string, n: number) =>
    (await c.ec2.send(new EC2.CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: `${REGION}${az}`, TagSpecifications: tags('subnet', `${P}-${tier}-${n}`, { tier }) }))).Subnet!.SubnetId!;
  const subnets = {
    pub1: await sub('10.0.1.0/24', 'a', 'public', 1),
    pub2: await sub('10.0.2.0/24', 'b', 'public', 2),
    priv1: await sub('10.0.10.0/24', 'a', 'private', 1),
    priv2: await sub('10.0.11.0/24', 'b', 'private', 2),
    db1: await sub('10.0.20.0/24', 'a', 'database', 1),
    db2: await sub('10.0.21.0/24', 'b', 'database', 2),
  };
  const igw = (await c.ec2.send(new EC2.CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', `${P}-igw`) }))).InternetGateway!.InternetGatewayId!;
  await c.ec2.send(new EC2.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const eip = await c.ec2.send(new EC2.AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = (await c.ec2.send(new EC2.CreateNatGatewayCommand({ SubnetId: subnets.pub1, AllocationId: eip.AllocationId, TagSpecifications: tags('natgateway', `${P}-nat-1`) }))).NatGateway!.NatGatewayId!;
  const rtb = async (name: string, tier: string) => (await c.ec2.send(new EC2.CreateRouteTableCommand({ VpcId: vpc, TagSpecifications: tags('route-table', name, { tier }) }))).RouteTable!.RouteTableId!;
  const assoc: Record<string, string> = {};
  const associate = async (t: string, s: string) => (assoc[s] = (await c.ec2.send(new EC2.AssociateRouteTableCommand({ RouteTableId: t, SubnetId: s }))).AssociationId!);
  const pubRt = await rtb(`${P}-public`, 'public');
  await c.ec2.send(new EC2.CreateRouteCommand({ RouteTableId: pubRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  await associate(pubRt, subnets.pub1);
  await associate(pubRt, subnets.pub2);
  const rtbs = { public: pubRt } as World['rtb'];
  for (const [key, tier, n] of [['priv1', 'private', 1], ['priv2', 'private', 2], ['db1', 'database', 1], ['db2', 'database', 2]] as const) {
    const t = await rtb(`${P}-${tier}-${n}`, tier);
    await c.ec2.send(new EC2.CreateRouteCommand({ RouteTableId: t, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
    await associate(t, subnets[key]);
    rtbs[key] = t;
  }

  // security groups, as stacks/constructs/security.ts makes them (no default egress)
  const group = async (name: string) => {
    const id = (await c.ec2.send(new EC2.CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpc, TagSpecifications: tags('security-group', name) }))).GroupId!;
    await c.ec2.send(new EC2.RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    return id;
  };
  const sg = { alb: await group(`${P}-alb`), app: await group(`${P}-app`), db: await group(`${P}-db`), cache: await group(`${P}-cache`) };
  const perm = (port: number, peer: { group?: string; cidr?: string }) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...(peer.group ? { UserIdGroupPairs: [{ GroupId: peer.group }] } : { IpRanges: [{ CidrIp: peer.cidr }] }) });
  const ingress = (g: string, port: number, peer: { group?: string; cidr?: string }) => c.ec2.send(new EC2.AuthorizeSecurityGroupIngressCommand({ GroupId: g, IpPermissions: [perm(port, peer)] }));
  const egress = (g: string, port: number, peer: { group?: string; cidr?: string }) => c.ec2.send(new EC2.AuthorizeSecurityGroupEgressCommand({ GroupId: g, IpPermissions: [perm(port, peer)] }));
  await ingress(sg.alb, 80, { cidr: '0.0.0.0/0' });
  await ingress(sg.alb, 443, { cidr: '0.0.0.0/0' });
  await egress(sg.alb, 8001, { group: sg.app });
  await ingress(sg.app, 8001, { group: sg.alb });
  await egress(sg.app, 443, { cidr: '0.0.0.0/0' });
  await egress(sg.app, 5432, { group: sg.db });
  await egress(sg.app, 6379, { group: sg.cache });
  await ingress(sg.db, 5432, { group: sg.app });
  await ingress(sg.cache, 6379, { group: sg.app });

  // data: Aurora with an RDS-managed master secret
  await c.rds.send(new RDS.CreateDBSubnetGroupCommand({ DBSubnetGroupName: `${P}-db`, DBSubnetGroupDescription: 'db', SubnetIds: [subnets.db1, subnets.db2] }));
  const cluster = (
    await c.rds.send(
      new RDS.CreateDBClusterCommand({
        DBClusterIdentifier: `${P}-db`,
        Engine: 'aurora-postgresql',
        EngineVersion: '16.6',
        DatabaseName: 'app',
        MasterUsername: 'app_admin',
        ManageMasterUserPassword: true,
        Port: 5432,
        DBSubnetGroupName: `${P}-db`,
        VpcSecurityGroupIds: [sg.db],
        StorageEncrypted: true,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
      }),
    )
  ).DBCluster!;
  await c.rds.send(new RDS.CreateDBInstanceCommand({ DBInstanceIdentifier: `${P}-db-writer`, DBClusterIdentifier: `${P}-db`, Engine: 'aurora-postgresql', DBInstanceClass: 'db.serverless' }));
  const dbSecretArn = cluster.MasterUserSecret!.SecretArn!;

  // cache: Redis with TLS and AUTH, and its connection secret (rediss://, no query string)
  await c.ec.send(new EC.CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: `${P}-cache`, CacheSubnetGroupDescription: 'cache', SubnetIds: [subnets.priv1, subnets.priv2] }));
  const redisToken = 'sandboxAuthToken0123456789abcdefSANDBOX';
  const rg = (
    await c.ec.send(
      new EC.CreateReplicationGroupCommand({
        ReplicationGroupId: `${P}-redis`,
        ReplicationGroupDescription: 'redis',
        Engine: 'redis',
        EngineVersion: '7.1',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 2,
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        AuthToken: redisToken,
        CacheSubnetGroupName: `${P}-cache`,
        SecurityGroupIds: [sg.cache],
        Port: 6379,
      }),
    )
  ).ReplicationGroup!;
  const redisHost = rg.NodeGroups![0]!.PrimaryEndpoint!.Address!;
  const redisSecretValue = JSON.stringify({ host: redisHost, port: 6379, password: redisToken, url: `rediss://:${redisToken}@${redisHost}:6379/0` });
  const redisSecretArn = (await c.sm.send(new SM.CreateSecretCommand({ Name: 'demo/sandbox/redis', SecretString: redisSecretValue }))).ARN!;

  // registry: the image, built for linux/amd64 (an image index, as buildx pushes it)
  const repo = (await c.ecr.send(new ECR.CreateRepositoryCommand({ repositoryName: 'demo/api' }))).repository!;
  await c.ecr.send(new ECR.PutImageCommand({ repositoryName: 'demo/api', imageTag: 'v1', imageManifest: indexFor('amd64'), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));

  // dns + certificate: the zone, an issued certificate for api.berth.test
  const zoneRes = await c.r53.send(new R53.CreateHostedZoneCommand({ Name: 'berth.test', CallerReference: `berth-${Date.now()}` }));
  const zone = zoneRes.HostedZone!.Id!.replace('/hostedzone/', '');
  const pem = selfSigned('api.berth.test');
  const cert = (await c.acm.send(new ACM.ImportCertificateCommand({ Certificate: Buffer.from(pem.cert), PrivateKey: Buffer.from(pem.key) }))).CertificateArn!;

  // edge: ALB, target group, listeners (80 redirects, 443 forwards with a TLS 1.3/1.2 policy)
  const lb = (await c.elb.send(new ELB.CreateLoadBalancerCommand({ Name: `${P}-alb`, Subnets: [subnets.pub1, subnets.pub2], SecurityGroups: [sg.alb], Scheme: 'internet-facing', Type: 'application' }))).LoadBalancers![0]!;
  const tg = (
    await c.elb.send(
      new ELB.CreateTargetGroupCommand({ Name: `${P}-api`, Protocol: 'HTTP', Port: 8001, VpcId: vpc, TargetType: 'ip', HealthCheckEnabled: true, HealthCheckPath: '/health', HealthCheckPort: 'traffic-port', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3, Matcher: { HttpCode: '200-399' } }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  await c.elb.send(new ELB.CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] }));
  const https = (
    await c.elb.send(
      new ELB.CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: cert }], DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }),
    )
  ).Listeners![0]!.ListenerArn!;
  await c.elb.send(new ELB.CreateRuleCommand({ ListenerArn: https, Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }], Actions: [{ Type: 'forward', TargetGroupArn: tg }] }));
  await c.elb.send(new ELB.RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '10.0.10.25', Port: 8001 }] }));
  await c.r53.send(
    new R53.ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'api.berth.test', Type: 'A', AliasTarget: { HostedZoneId: lb.CanonicalHostedZoneId!, DNSName: lb.DNSName!, EvaluateTargetHealth: true } } }] },
    }),
  );

  // service: log group, roles (the stacks' execution policy), task definition, ECS service
  const logGroup = `/ecs/${P}/api`;
  await c.logs.send(new LOGS.CreateLogGroupCommand({ logGroupName: logGroup }));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const exec = (await c.iam.send(new IAM.CreateRoleCommand({ RoleName: `${P}-api-exec`, AssumeRolePolicyDocument: trust }))).Role!;
  const task = (await c.iam.send(new IAM.CreateRoleCommand({ RoleName: `${P}-api-task`, AssumeRolePolicyDocument: trust }))).Role!;
  const logArn = `arn:aws:logs:${REGION}:123456789012:log-group:${logGroup}`;
  const executionPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EcrAuth', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      { Sid: 'EcrPull', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: repo.repositoryArn },
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logArn, `${logArn}:*`] },
      { Sid: 'Secrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [dbSecretArn, redisSecretArn] },
    ],
  };
  await c.iam.send(new IAM.PutRolePolicyCommand({ RoleName: exec.RoleName, PolicyName: 'execution', PolicyDocument: JSON.stringify(executionPolicy) }));
  await c.ecs.send(new ECS.CreateClusterCommand({ clusterName: P }));
  const image = `${repo.repositoryUri}:v1`;
  const taskDefinition = (
    await c.ecs.send(
      new ECS.RegisterTaskDefinitionCommand({
        family: `${P}-api`,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
        executionRoleArn: exec.Arn,
        taskRoleArn: task.Arn,
        containerDefinitions: [
          {
            name: 'api',
            image,
            essential: true,
            memory: 1024,
            portMappings: [{ containerPort: 8001, hostPort: 8001, protocol: 'tcp' }],
            environment: [
              { name: 'DATABASE_HOST', value: cluster.Endpoint },
              { name: 'DATABASE_PORT', value: '5432' },
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'REDIS_HOST', value: redisHost },
            ],
            secrets: [
              { name: 'DATABASE_PASSWORD', valueFrom: `${dbSecretArn}:password::` },
              { name: 'DATABASE_USERNAME', valueFrom: `${dbSecretArn}:username::` },
              { name: 'REDIS_URL', valueFrom: `${redisSecretArn}:url::` },
            ],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': logGroup, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'api' } },
            healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8001/health || exit 1'], interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
          },
        ],
      }),
    )
  ).taskDefinition!.taskDefinitionArn!;
  await c.ecs.send(
    new ECS.CreateServiceCommand({
      cluster: P,
      serviceName: 'api',
      taskDefinition,
      desiredCount: 1,
      launchType: 'FARGATE',
      loadBalancers: [{ targetGroupArn: tg, containerName: 'api', containerPort: 8001 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnets.priv1, subnets.priv2], securityGroups: [sg.app], assignPublicIp: 'DISABLED' } },
    }),
  );

  return {
    vpc,
    subnets,
    rtb: rtbs,
    assoc,
    nat,
    sg,
    tg,
    alb: lb.LoadBalancerArn!,
    albDns: lb.DNSName!,
    https,
    cert,
    zone,
    taskDefinition,
    execRole: exec.RoleName!,
    dbSecretArn,
    redisSecretArn,
    redisSecretValue,
    redisToken,
    redisHost,
    executionPolicy,
    repositoryUri: repo.repositoryUri!,
  };
}
