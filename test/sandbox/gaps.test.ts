/**
 * moto's gaps the real stacks hit through terraform's AWS provider, mended in the emulator
 * (src/sandbox/moto/berth_moto/gaps.py, acm_validation.py and server.py), each checked with the API call the provider
 * makes. Without these, `berth sandbox up` loops for 15 minutes, fails, or plans changes forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  ListTagsForResourceCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  DeleteCacheSubnetGroupCommand,
  ModifyCacheSubnetGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ModifyReplicationGroupCommand,
} from '@aws-sdk/client-elasticache';
import {
  CreateDBClusterCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBClusterCommand,
  ModifyDBSubnetGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { GetPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';

let emu: Emulator;
let cfg: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };

beforeAll(async () => {
  emu = await startEmulator({ publicPort: false });
  cfg = { region: 'us-east-1', endpoint: emu.endpoint, credentials: { ...FAKE_CREDENTIALS } };
});

afterAll(async () => {
  await emu?.stop();
});

describe('the emulator mends what terraform needs', () => {
  it('application-autoscaling: tags on a scalable target (TagResource, UntagResource, ListTagsForResource, tags on register)', async () => {
    const aas = new ApplicationAutoScalingClient({ ...cfg, maxAttempts: 1 });
    const ecs = new ECSClient(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo-sandbox' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-sandbox-api',
        containerDefinitions: [{ name: 'api', image: 'nginx:1', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({ cluster: 'demo-sandbox', serviceName: 'api', taskDefinition: 'demo-sandbox-api', desiredCount: 0 }),
    );
    const reg = await aas.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/demo-sandbox/api',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 4,
        Tags: { app: 'demo' },
      }),
    );
    const arn = reg.ScalableTargetARN!;
    expect((await aas.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual({ app: 'demo' });
    await aas.send(new TagResourceCommand({ ResourceARN: arn, Tags: { environment: 'sandbox' } }));
    await aas.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['app'] }));
    expect((await aas.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual({ environment: 'sandbox' });
  });

  it('an action moto lacks fails at once with 501 NotImplemented naming it (not a 500 the SDKs retry for minutes)', async () => {
    const aas = new ApplicationAutoScalingClient(cfg); // default retries: a 500 would be retried
    const err = await aas
      .send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs' }))
      .catch((e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } });
    expect(err).toMatchObject({ name: 'NotImplemented' });
    expect((err as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(501);
    expect((err as { message: string }).message).toContain('describe_scaling_activities');
    expect((err as { $metadata: { attempts?: number } }).$metadata.attempts).toBe(1);
  });

  it('ElastiCache: a replication group with NumCacheClusters=2 has its two member clusters (with their security groups), modifies, deletes at once; ModifyCacheSubnetGroup and DeleteCacheSubnetGroup exist', async () => {
    const ec = new ElastiCacheClient({ ...cfg, maxAttempts: 1 });
    const ec2 = new EC2Client(cfg);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.1.10.0/24' }))).Subnet!.SubnetId!;
    await ec.send(
      new CreateCacheSubnetGroupCommand({
        CacheSubnetGroupName: 'demo-sandbox-cache',
        CacheSubnetGroupDescription: 'cache',
        SubnetIds: [subnet],
      }),
    );
    const rg = (
      await ec.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: 'demo-sandbox-redis',
          ReplicationGroupDescription: 'redis',
          Engine: 'redis',
          EngineVersion: '7.1',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 2,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          CacheSubnetGroupName: 'demo-sandbox-cache',
          SecurityGroupIds: ['sg-12345678'],
          TransitEncryptionEnabled: true,
          AtRestEncryptionEnabled: true,
          AuthToken: 'a'.repeat(64),
        }),
      )
    ).ReplicationGroup!;
    expect(rg.MemberClusters).toEqual(['demo-sandbox-redis-001', 'demo-sandbox-redis-002']);
    const members = (await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: 'demo-sandbox-redis-001' }))).CacheClusters!;
    expect(members[0]).toMatchObject({
      CacheClusterId: 'demo-sandbox-redis-001',
      ReplicationGroupId: 'demo-sandbox-redis',
      EngineVersion: '7.1',
      SecurityGroups: [{ SecurityGroupId: 'sg-12345678', Status: 'active' }],
    });
    await ec.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: 'demo-sandbox-redis', SnapshotRetentionLimit: 3, ApplyImmediately: true }),
    );
    expect(
      (await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'demo-sandbox-redis' }))).ReplicationGroups![0]!
        .SnapshotRetentionLimit,
    ).toBe(3);
    await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'demo-sandbox-redis' }));
    await expect(ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'demo-sandbox-redis' }))).rejects.toMatchObject({
      name: 'ReplicationGroupNotFoundFault',
    });
    await expect(ec.send(new DescribeCacheClustersCommand({ CacheClusterId: 'demo-sandbox-redis-002' }))).rejects.toMatchObject({
      name: 'CacheClusterNotFoundFault',
    });
    // ModifyCacheSubnetGroup: an adopted subnet group takes berth's description (subnets unchanged).
    await ec.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: 'demo-sandbox-cache', CacheSubnetGroupDescription: 'berth' }));
    const modified = (await ec.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: 'demo-sandbox-cache' })))
      .CacheSubnetGroups![0]!;
    expect(modified.CacheSubnetGroupDescription).toBe('berth');
    expect(modified.Subnets!.map((x) => x.SubnetIdentifier)).toEqual([subnet]);
    await ec.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: 'demo-sandbox-cache' }));
    await expect(ec.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: 'demo-sandbox-cache' }))).rejects.toMatchObject({
      name: 'CacheSubnetGroupNotFoundFault',
    });
  });

  it('RDS: a provisioned (Serverless v2) cluster reports no ScalingConfigurationInfo', async () => {
    const rds = new RDSClient(cfg);
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'demo-sandbox-db',
        Engine: 'aurora-postgresql',
        EngineMode: 'provisioned',
        EngineVersion: '16.4',
        MasterUsername: 'app',
        ManageMasterUserPassword: true,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
      }),
    );
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'demo-sandbox-db' }))).DBClusters![0]!;
    expect(c.ScalingConfigurationInfo).toBeUndefined();
    expect(c.ServerlessV2ScalingConfiguration).toMatchObject({ MinCapacity: 0.5, MaxCapacity: 2 });
    // ModifyDBCluster keeps IAM authentication and the log exports (an adopted cluster's second plan is empty).
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: 'demo-sandbox-db',
        EnableIAMDatabaseAuthentication: true,
        CloudwatchLogsExportConfiguration: { EnableLogTypes: ['postgresql'] },
        ApplyImmediately: true,
      }),
    );
    const m = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'demo-sandbox-db' }))).DBClusters![0]!;
    expect(m.IAMDatabaseAuthenticationEnabled).toBe(true);
    expect(m.EnabledCloudwatchLogsExports).toEqual(['postgresql']);
  });

  it('RDS: ModifyDBSubnetGroup keeps the group (moto dropped it), with the new description', async () => {
    const rds = new RDSClient({ ...cfg, maxAttempts: 1 });
    const ec2 = new EC2Client(cfg);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.2.10.0/24' }))).Subnet!.SubnetId!;
    await rds.send(
      new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'hand-built-db', DBSubnetGroupDescription: 'by hand', SubnetIds: [subnet] }),
    );
    await rds.send(
      new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: 'hand-built-db', DBSubnetGroupDescription: 'berth', SubnetIds: [subnet] }),
    );
    const g = (await rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'hand-built-db' }))).DBSubnetGroups![0]!;
    expect(g.DBSubnetGroupDescription).toBe('berth');
    expect(g.Subnets!.map((x) => x.SubnetIdentifier)).toEqual([subnet]);
  });

  it("Route 53: changes are INSYNC at once, and terraform's provider gets no ChangeInfo to wait 15 s on (other clients get it)", async () => {
    const plain = new Route53Client(cfg);
    const asTerraform = new Route53Client({ ...cfg, customUserAgent: 'HashiCorp/1.0 Terraform/1.11.4 terraform-provider-aws/5.100.0' });
    const zone = await plain.send(new CreateHostedZoneCommand({ Name: 'berth.test', CallerReference: 'gaps-test' }));
    expect(zone.ChangeInfo?.Status).toBe('INSYNC');
    const change = (name: string) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone!.Id!,
        ChangeBatch: {
          Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: name, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] } }],
        },
      });
    expect((await plain.send(change('a.berth.test'))).ChangeInfo?.Status).toBe('INSYNC');
    expect((await asTerraform.send(change('b.berth.test'))).ChangeInfo).toBeUndefined();
  });

  it('IAM: AWS managed policies exist (AmazonECSTaskExecutionRolePolicy)', async () => {
    const iam = new IAMClient(cfg);
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    expect(p.Policy?.PolicyName).toBe('AmazonECSTaskExecutionRolePolicy');
  });

  it('ACM: a certificate requested with Options (as the provider does) can be listed: Export defaults to DISABLED', async () => {
    const acm = new ACMClient({ ...cfg, maxAttempts: 1 });
    const arn = (
      await acm.send(
        new RequestCertificateCommand({
          DomainName: 'www.options.test',
          ValidationMethod: 'EMAIL',
          Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
        }),
      )
    ).CertificateArn!;
    const listed = await acm.send(new ListCertificatesCommand({}));
    expect(listed.CertificateSummaryList?.find((c) => c.CertificateArn === arn)).toMatchObject({ Exported: false });
    expect((await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.Options).toEqual({
      CertificateTransparencyLoggingPreference: 'ENABLED',
      Export: 'DISABLED',
    });
  });
  it('EC2: a rule that references another security group keeps its description', async () => {
    const ec2 = new EC2Client(cfg);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const alb = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: vpc }))).GroupId!;
    const app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpc }))).GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 8001,
            ToPort: 8001,
            UserIdGroupPairs: [{ GroupId: alb, Description: 'Service port 8001 from the load balancer' }],
          },
        ],
      }),
    );
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [app] }] })))
      .SecurityGroupRules!;
    const ingress = rules.find((r) => !r.IsEgress && r.ReferencedGroupInfo?.GroupId === alb)!;
    expect(ingress.Description).toBe('Service port 8001 from the load balancer');
  });
});

describe("ACM validates DNS certificates by the zone's records (the runbook's stuck certificate can happen)", () => {
  it('PENDING_VALIDATION until the validation CNAME is in the zone and the zone is delegated; ISSUED once both hold; e-mail validation unchanged', async () => {
    const acm = new ACMClient(cfg);
    const r53 = new Route53Client(cfg);
    const zone = (await r53.send(new CreateHostedZoneCommand({ Name: 'acm-validation.test', CallerReference: 'acm-validation' })))
      .HostedZone!.Id!;
    const status = async (arn: string) => (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    const upsert = (rr: { Name: string; Type: string; Values: string[] }) =>
      r53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: {
            Changes: [
              {
                Action: 'UPSERT',
                ResourceRecordSet: {
                  Name: rr.Name,
                  Type: rr.Type as 'NS',
                  TTL: 300,
                  ResourceRecords: rr.Values.map((Value) => ({ Value })),
                },
              },
            ],
          },
        }),
      );

    const arn = (await acm.send(new RequestCertificateCommand({ DomainName: 'api.acm-validation.test', ValidationMethod: 'DNS' })))
      .CertificateArn!;
    const cert = await status(arn);
    expect(cert.Status).toBe('PENDING_VALIDATION');
    const rr = cert.DomainValidationOptions![0]!.ResourceRecord!;
    expect((await status(arn)).Status).toBe('PENDING_VALIDATION');

    // The zone points at a registrar's name servers: the CNAME alone does not validate.
    const own = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
      .ResourceRecordSets!.find((s) => s.Type === 'NS')!
      .ResourceRecords!.map((x) => x.Value!);
    await upsert({ Name: 'acm-validation.test.', Type: 'NS', Values: ['ns1.registrar.example.', 'ns2.registrar.example.'] });
    await upsert({ Name: rr.Name!, Type: rr.Type!, Values: ['_wrong.acm-validations.aws.'] });
    expect((await status(arn)).Status).toBe('PENDING_VALIDATION');
    await upsert({ Name: rr.Name!, Type: rr.Type!, Values: [rr.Value!] });
    expect((await status(arn)).Status).toBe('PENDING_VALIDATION');
    await upsert({ Name: 'acm-validation.test.', Type: 'NS', Values: own });
    const issued = await status(arn);
    expect(issued.Status).toBe('ISSUED');
    expect(issued.DomainValidationOptions![0]!.ValidationStatus).toBe('SUCCESS');

    // Issued stays issued when the record goes (renewal would fail; doctor warns about that).
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: [
            { Action: 'DELETE', ResourceRecordSet: { Name: rr.Name!, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: rr.Value! }] } },
          ],
        },
      }),
    );
    expect((await status(arn)).Status).toBe('ISSUED');

    // No hosted zone holds the name at all: pending.
    const orphan = (await acm.send(new RequestCertificateCommand({ DomainName: 'api.nowhere.test', ValidationMethod: 'DNS' })))
      .CertificateArn!;
    expect((await status(orphan)).Status).toBe('PENDING_VALIDATION');
    const email = (await acm.send(new RequestCertificateCommand({ DomainName: 'api.nowhere.test', ValidationMethod: 'EMAIL' })))
      .CertificateArn!;
    expect((await status(email)).Status).toBe('ISSUED');
  });
  it('ecs: a task definition says when it was registered and deregistered (revision retention reads both)', async () => {
    const ecs = new ECSClient(cfg);
    const before = Date.now() - 2000;
    const reg = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'demo-sandbox-when',
        containerDefinitions: [{ name: 'api', image: 'nginx:1', memory: 512 }],
      }),
    );
    const registeredAt = reg.taskDefinition?.registeredAt?.getTime();
    expect(registeredAt).toBeGreaterThanOrEqual(before);
    expect(registeredAt).toBeLessThanOrEqual(Date.now() + 2000);
    const arn = reg.taskDefinition!.taskDefinitionArn!;
    const d = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(d.taskDefinition?.registeredAt?.getTime()).toBe(registeredAt);
    expect(d.taskDefinition?.deregisteredAt).toBeUndefined();
    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    expect(dereg.taskDefinition?.status).toBe('INACTIVE');
    expect(dereg.taskDefinition?.deregisteredAt?.getTime()).toBeGreaterThanOrEqual(registeredAt!);
  });
});
