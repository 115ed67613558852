/** The model's facts from EC2 API responses (DescribeSubnets, DescribeRouteTables, … as the SDK returns them). */
import type { InternetGateway, IpPermission, NatGateway, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { NetFacts, NetRoute, NetRule } from './types.js';

export interface Ec2Responses {
  region: string;
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  natGateways: NatGateway[];
  internetGateways: InternetGateway[];
  endpoints?: VpcEndpoint[];
  securityGroups: SecurityGroup[];
}

const ids = (xs: (string | undefined)[] | undefined) => (xs ?? []).filter((x): x is string => Boolean(x));

/** One EC2 permission (ingress or egress) as the model's rule. */
export function ruleOf(p: IpPermission): NetRule {
  return {
    protocol: String(p.IpProtocol ?? '-1'),
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrs: ids(p.IpRanges?.map((r) => r.CidrIp)),
    groupIds: ids(p.UserIdGroupPairs?.map((g) => g.GroupId)),
    prefixListIds: ids(p.PrefixListIds?.map((x) => x.PrefixListId)),
  };
}

function routes(t: RouteTable): NetRoute[] {
  return (t.Routes ?? []).flatMap((r) => {
    const destination = r.DestinationCidrBlock ?? r.DestinationPrefixListId;
    const target =
      r.NatGatewayId ??
      r.GatewayId ??
      r.TransitGatewayId ??
      r.NetworkInterfaceId ??
      r.InstanceId ??
      r.VpcPeeringConnectionId ??
      r.LocalGatewayId;
    return destination && target ? [{ destination, target, state: r.State ?? 'active' }] : [];
  });
}

const associated = (a: { AssociationState?: { State?: string } }) => (a.AssociationState?.State ?? 'associated') === 'associated';

export function factsFromEc2(r: Ec2Responses): NetFacts {
  return {
    region: r.region,
    vpcs: r.vpcs.map((v) => ({ id: v.VpcId ?? '', cidr: v.CidrBlock ?? '' })),
    subnets: r.subnets.map((s) => ({ id: s.SubnetId ?? '', vpcId: s.VpcId ?? '', cidr: s.CidrBlock ?? '' })),
    routeTables: r.routeTables.map((t) => ({
      id: t.RouteTableId ?? '',
      vpcId: t.VpcId ?? '',
      main: Boolean(t.Associations?.some((a) => a.Main && associated(a))),
      subnetIds: ids(t.Associations?.filter((a) => !a.Main && associated(a)).map((a) => a.SubnetId)),
      routes: routes(t),
    })),
    internetGateways: r.internetGateways.map((g) => ({
      id: g.InternetGatewayId ?? '',
      vpcIds: ids(g.Attachments?.filter((a) => ['available', 'attached'].includes(String(a.State ?? 'available'))).map((a) => a.VpcId)),
    })),
    natGateways: r.natGateways.map((n) => ({
      id: n.NatGatewayId ?? '',
      subnetId: n.SubnetId ?? '',
      state: n.State,
      public: n.ConnectivityType !== 'private',
    })),
    endpoints: (r.endpoints ?? []).map((e) => ({
      id: e.VpcEndpointId ?? '',
      vpcId: e.VpcId ?? '',
      service: e.ServiceName ?? '',
      type: e.VpcEndpointType === 'Gateway' ? 'Gateway' : 'Interface',
      state: e.State,
      privateDns: e.PrivateDnsEnabled,
      subnetIds: ids(e.SubnetIds),
      securityGroupIds: ids(e.Groups?.map((g) => g.GroupId)),
      routeTableIds: ids(e.RouteTableIds),
    })),
    securityGroups: r.securityGroups.map((g) => ({
      id: g.GroupId ?? '',
      vpcId: g.VpcId,
      ingress: (g.IpPermissions ?? []).map(ruleOf),
      egress: (g.IpPermissionsEgress ?? []).map(ruleOf),
    })),
  };
}
