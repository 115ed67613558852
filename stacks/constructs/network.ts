/**
 * The VPC as the runbooks lay it out: public (ALB, NAT), private (ECS tasks) and database subnets
 * over N availability zones, an internet gateway, NAT gateways, one route table associated with
 * EVERY subnet (incident 2: a private subnet with no association silently uses the main table),
 * VPC flow logs, and the default security group stripped of all rules.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { names } from '../../src/config/names.js';
import { databaseSharesPrivateTier, privateRouteTableCount } from '../../src/config/adopted-tiers.js';
import { subnetPlan, type SubnetPlan } from '../../src/config/network.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export type Tier = SubnetPlan['tier'];

export interface NetworkProps {
  env: EnvironmentConfig;
  /** VPC CIDR. Default: `env.network.cidr` (10.0.0.0/16). */
  cidr?: string;
  /** Availability zones to spread every tier over. Default: `env.network.azCount` (2). */
  azCount?: number;
  /**
   * `per-az`: one NAT gateway (and EIP) per AZ, each AZ's private and database subnets route to
   * their own NAT, so losing an AZ does not cut the others off. `single`: one NAT in the first
   * public subnet for everything (cheaper, one AZ's failure takes egress down).
   * Default: `env.network.nat` (`per-az`).
   */
  nat?: 'per-az' | 'single';
  /** Flow log retention in days. Default: `env.network.flowLogRetentionDays` (30). */
  flowLogRetentionDays?: number;
  /**
   * Public subnets hand out public IPs on launch. Default: false — nothing berth runs in them
   * (ALB, NAT) needs it, and a stray instance should not get one silently.
   */
  mapPublicIpOnLaunch?: boolean;
  /** Flow log traffic type. Default: `ALL` (accepted and rejected). */
  flowLogTrafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
}

/**
 * AZ names come from `data aws_availability_zones` (state available, zone-type availability-zone, so
 * Local/Wavelength Zones are never picked), element i for AZ i: real AZs on AWS, `<region>a..` on
 * the emulator. DNS support and hostnames are on (needed by interface endpoints and RDS names).
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: Record<Tier, string[]>;
  /** Route table ids per tier (public: one shared table; private/database: one per AZ). */
  readonly routeTableIds: Record<Tier, string[]>;
  readonly natGatewayIds: string[];
  readonly flowLogGroupName: string;

  // eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 127 lines
  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const cidr = props.cidr ?? env.network.cidr;
    const azCount = props.azCount ?? env.network.azCount;
    const natMode = props.nat ?? env.network.nat;
    const retention = props.flowLogRetentionDays ?? env.network.flowLogRetentionDays;

    const vpc = new Vpc(this, 'vpc', { cidrBlock: cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: n.vpc } });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    // The default security group of the VPC: every rule removed (no ingress, no egress blocks).
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: vpc.id, tags: { Name: `${n.vpc}-default-locked` } });

    const azs = new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      filter: [{ name: 'zone-type', values: ['availability-zone'] }],
    });
    const azName = (i: number) => Fn.element(azs.names, i);

    const subnets: Record<Tier, Subnet[]> = { public: [], private: [], database: [] };
    const shared = databaseSharesPrivateTier(env);
    for (const s of subnetPlan(cidr, azCount)) {
      if (shared && s.tier === 'database') continue;
      subnets[s.tier].push(
        new Subnet(this, `subnet-${s.tier}-${s.az}`, {
          vpcId: vpc.id,
          cidrBlock: s.cidr,
          availabilityZone: azName(s.az),
          mapPublicIpOnLaunch: s.tier === 'public' ? (props.mapPublicIpOnLaunch ?? false) : false,
          tags: { Name: n.subnet(s.tier, s.az), tier: s.tier },
        }),
      );
    }
    this.subnetIds = {
      public: subnets.public.map((s) => s.id),
      private: subnets.private.map((s) => s.id),
      database: (shared ? subnets.private : subnets.database).map((s) => s.id),
    };

    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: n.internetGateway } });

    // NAT gateways: one per AZ, or one in the first public subnet.
    const natCount = natMode === 'per-az' ? azCount : 1;
    const nats: NatGateway[] = [];
    for (let i = 0; i < natCount; i++) {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: n.natGateway(i) }, dependsOn: [igw] });
      nats.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.allocationId,
          subnetId: subnets.public[i]!.id,
          connectivityType: 'public',
          tags: { Name: n.natGateway(i) },
          dependsOn: [igw],
        }),
      );
    }
    this.natGatewayIds = nats.map((g) => g.id);

    // Public: one table, default route to the internet gateway, associated with every public subnet.
    const publicRt = new RouteTable(this, 'rt-public', { vpcId: vpc.id, tags: { Name: n.routeTable('public'), tier: 'public' } });
    new Route(this, 'rt-public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    subnets.public.forEach((s, i) => new RouteTableAssociation(this, `rta-public-${i}`, { subnetId: s.id, routeTableId: publicRt.id }));

    const rts: Record<Tier, string[]> = { public: [publicRt.id], private: [], database: [] };
    const tableCount = { private: privateRouteTableCount(env, azCount), database: azCount };
    for (const tier of ['private', 'database'] as const)
      rts[tier] = this.natRouteTables(tier, subnets[tier], tableCount[tier], { vpcId: vpc.id, nats, natMode, n });
    this.routeTableIds = shared ? { ...rts, database: rts.private } : rts;

    // Flow logs to CloudWatch Logs, written by a role only the flow-logs service of this account can assume.
    const account = new DataAwsCallerIdentity(this, 'account', {});
    const partition = new DataAwsPartition(this, 'partition', {});
    const region = new DataAwsRegion(this, 'region', {});
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', { name: n.flowLogGroup, retentionInDays: retention });
    this.flowLogGroupName = logGroup.name;
    const role = new IamRole(this, 'flow-log-role', {
      name: n.flowLogRole,
      description: `VPC flow logs of ${n.vpc} to CloudWatch Logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': account.accountId },
              ArnLike: { 'aws:SourceArn': `arn:${partition.partition}:ec2:${region.name}:${account.accountId}:vpc-flow-log/*` },
            },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'flow-log-role-policy', {
      name: 'flow-logs-to-cloudwatch',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: props.flowLogTrafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: { Name: `${n.vpc}-flow-log` },
    });
  }
  /**
   * Private and database: one table per AZ and tier (or, on a mapped platform, as many as it has: the
   * subnets beyond share the last), default route to the NAT of that AZ (or the single one).
   */
  private natRouteTables(
    tier: 'private' | 'database',
    subnets: Subnet[],
    count: number,
    o: { vpcId: string; nats: NatGateway[]; natMode: 'per-az' | 'single'; n: ReturnType<typeof names> },
  ): string[] {
    const tables: RouteTable[] = [];
    for (let i = 0; i < Math.min(count, subnets.length); i++) {
      const rt = new RouteTable(this, `rt-${tier}-${i}`, { vpcId: o.vpcId, tags: { Name: o.n.routeTable(tier, i), tier } });
      new Route(this, `rt-${tier}-${i}-default`, {
        routeTableId: rt.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: o.nats[o.natMode === 'per-az' ? i : 0]!.id,
      });
      tables.push(rt);
    }
    subnets.forEach((s, i) => {
      const rt = tables[Math.min(i, tables.length - 1)]!;
      new RouteTableAssociation(this, `rta-${tier}-${i}`, { subnetId: s.id, routeTableId: rt.id });
    });
    return tables.map((t) => t.id);
  }
}
