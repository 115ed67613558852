/**
 * Test helper: berth's extended emulator (started by the test, stopped in afterAll) and, built on
 * it through the AWS SDK exactly as the stacks name things, a small world for one ECS service:
 * VPC, two public subnets routed to an internet gateway, a NAT gateway in the first, two private
 * subnets whose route table sends 0.0.0.0/0 to it (unless `routed: false`: the table then exists
 * but no subnet is associated with it, the runbook incident), a security group, an ALB with an
 * HTTPS listener (and a /api/* rule),
 * an `ip` target group with a /health check, a log group, a secret, an ECR repository, a cluster,
 * a task definition and a Fargate service with the circuit breaker on.
 */
import {
  ECSClient,
  RegisterTaskDefinitionCommand,
  CreateServiceCommand,
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import {
  EC2Client,
  CreateVpcCommand,
  CreateSubnetCommand,
  CreateSecurityGroupCommand,
  CreateInternetGatewayCommand,
  AttachInternetGatewayCommand,
  AllocateAddressCommand,
  CreateNatGatewayCommand,
  CreateRouteTableCommand,
  CreateRouteCommand,
  AssociateRouteTableCommand,
} from '@aws-sdk/client-ec2';
import {
  ElasticLoadBalancingV2Client,
  CreateTargetGroupCommand,
  CreateLoadBalancerCommand,
  CreateListenerCommand,
  CreateRuleCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient, CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';

export interface World {
  emu: Emulator;
  cfg: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  logs: CloudWatchLogsClient;
  ecr: ECRClient;
  ec2: EC2Client;
  sm: SecretsManagerClient;
  cluster: string;
  service: string;
  family: string;
  targetGroupArn: string;
  repositoryUri: string;
  logGroup: string;
  secretArn: string;
  subnets: { id: string; cidr: string }[];
  vpc: string;
  securityGroup: string;
  /** The private route table (0.0.0.0/0 -> the NAT gateway). */
  natRouteTable: string;
}

export interface WorldOptions {
  /** Associate the private subnets with the NAT route table (default true). */
  routed?: boolean;
}

export const CLUSTER = 'demo-sandbox';
export const SERVICE = 'api';
export const FAMILY = 'demo-sandbox-api';
export const LOG_GROUP = '/ecs/demo-sandbox/api';

export async function startWorld(emulatorEnv: NodeJS.ProcessEnv = {}, opts: WorldOptions = {}): Promise<World> {
  const emu = await startEmulator({ env: emulatorEnv });
  try {
    return await build(emu, opts);
  } catch (e) {
    await emu.stop(); // nothing left behind when the world cannot be built
    throw e;
  }
}

/** Internet gateway, public route table, NAT gateway and private route table; returns the private table. */
async function route(ec2: EC2Client, vpc: string, pub: string[], priv: string[], routed: boolean): Promise<string> {
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const pubRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: pubRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  for (const s of pub) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: pubRt, SubnetId: s }));
  const eip = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: pub[0]!, AllocationId: eip }))).NatGateway!.NatGatewayId!;
  const privRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: privRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  if (routed) for (const s of priv) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRt, SubnetId: s }));
  return privRt;
}

async function build(emu: Emulator, opts: WorldOptions): Promise<World> {
  const cfg = { region: 'us-east-1', endpoint: emu.endpoint, credentials: { ...FAKE_CREDENTIALS } };
  const ecs = new ECSClient(cfg);
  const ec2 = new EC2Client(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const ecr = new ECRClient(cfg);
  const sm = new SecretsManagerClient(cfg);

  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnets = [
    { cidr: '10.0.10.0/24', az: 'us-east-1a' },
    { cidr: '10.0.11.0/24', az: 'us-east-1b' },
  ];
  const subnetIds: { id: string; cidr: string }[] = [];
  for (const s of subnets)
    subnetIds.push({
      id: (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: s.cidr, AvailabilityZone: s.az }))).Subnet!.SubnetId!,
      cidr: s.cidr,
    });
  const pub = [];
  for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries())
    pub.push(
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${i + 1}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!,
    );
  const natRouteTable = await route(
    ec2,
    vpc,
    pub,
    subnetIds.map((s) => s.id),
    opts.routed ?? true,
  );
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'demo-sandbox-app', Description: 'app', VpcId: vpc }))).GroupId!;
  const targetGroupArn = (
    await elb.send(
      new CreateTargetGroupCommand({
        Name: 'demo-sandbox-api',
        Protocol: 'HTTP',
        Port: 8001,
        VpcId: vpc,
        TargetType: 'ip',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
      }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  await elb.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: targetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    }),
  );
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'demo-sandbox-alb', Subnets: pub, SecurityGroups: [sg] })))
    .LoadBalancers![0]!.LoadBalancerArn!;
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    }),
  );
  const certificateArn = (
    await new ACMClient(cfg).send(new RequestCertificateCommand({ DomainName: 'api.berth.test', ValidationMethod: 'DNS' }))
  ).CertificateArn!;
  const https = (
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: certificateArn }],
        DefaultActions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } },
        ],
      }),
    )
  ).Listeners![0]!.ListenerArn!;
  await elb.send(
    new CreateRuleCommand({
      ListenerArn: https,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health', '/api/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  const repositoryUri = (await ecr.send(new CreateRepositoryCommand({ repositoryName: 'demo/api' }))).repository!.repositoryUri!;
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  const secretArn = (
    await sm.send(
      new CreateSecretCommand({ Name: 'demo/sandbox/redis', SecretString: JSON.stringify({ url: 'rediss://:x@redis:6379/0' }) }),
    )
  ).ARN!;
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  await registerRevision({ ecs } as World, `${repositoryUri}:v1`, secretArn);
  await ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: `${FAMILY}:1`,
      desiredCount: 2,
      launchType: 'FARGATE',
      healthCheckGracePeriodSeconds: 10,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: subnetIds.map((s) => s.id), securityGroups: [sg], assignPublicIp: 'DISABLED' },
      },
      loadBalancers: [{ targetGroupArn, containerName: 'api', containerPort: 8001 }],
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
    }),
  );
  return {
    emu,
    cfg,
    ecs,
    elb,
    logs,
    ecr,
    ec2,
    sm,
    cluster: CLUSTER,
    service: SERVICE,
    family: FAMILY,
    targetGroupArn,
    repositoryUri,
    logGroup: LOG_GROUP,
    secretArn,
    subnets: subnetIds,
    vpc,
    securityGroup: sg,
    natRouteTable,
  };
}

/** Register a revision of the family running `image`; returns its ARN. */
export async function registerRevision(
  w: Pick<World, 'ecs'>,
  image: string,
  secretArn: string,
  over: Partial<RegisterTaskDefinitionCommandInput> = {},
): Promise<string> {
  const out = await w.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: FAMILY,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        {
          name: 'api',
          image,
          essential: true,
          portMappings: [{ containerPort: 8001 }],
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
          secrets: [{ name: 'REDIS_URL', valueFrom: `${secretArn}:url::` }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
      ...over,
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

export async function describeService(w: World): Promise<Service> {
  return (await w.ecs.send(new DescribeServicesCommand({ cluster: w.cluster, services: [w.service] }))).services![0]!;
}

export async function targets(w: World): Promise<TargetHealthDescription[]> {
  return (await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.targetGroupArn }))).TargetHealthDescriptions ?? [];
}

/** Poll until `done(service)` or the limit; returns the last service seen. */
export async function waitFor(w: World, done: (s: Service) => boolean | Promise<boolean>, limitMs = 60_000): Promise<Service> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const s = await describeService(w);
    if (await done(s)) return s;
    if (Date.now() > deadline)
      throw new Error(
        `timed out; service is ${JSON.stringify({ running: s.runningCount, desired: s.desiredCount, deployments: s.deployments?.map((d) => [d.id, d.status, d.rolloutState, d.runningCount, d.failedTasks]), events: s.events?.slice(0, 5).map((e) => e.message) })}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Steady: one PRIMARY deployment, COMPLETED, running = desired, every target healthy. */
export async function steady(w: World, s: Service): Promise<boolean> {
  if (s.deployments?.length !== 1 || s.deployments[0]!.rolloutState !== 'COMPLETED' || s.runningCount !== s.desiredCount) return false;
  const t = await targets(w);
  return t.length === s.desiredCount && t.every((x) => x.TargetHealth?.State === 'healthy');
}

/** Deploy `image` (a new revision) with UpdateService; returns the new revision's ARN. */
export async function deploy(w: World, image: string, over: Partial<RegisterTaskDefinitionCommandInput> = {}): Promise<string> {
  const arn = await registerRevision(w, image, w.secretArn, over);
  await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, taskDefinition: arn }));
  return arn;
}

export async function imageOf(w: World, taskDefinitionArn: string): Promise<string> {
  return (await w.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))).taskDefinition!
    .containerDefinitions![0]!.image!;
}
