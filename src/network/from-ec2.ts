/** The model's facts from EC2 API responses (DescribeSubnets, DescribeRouteTables, … as the SDK returns them). */
import type {
  InternetGateway,
  IpPermission,
  NatGateway,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { effectiveTable } from './routes.js';
import type { NetFacts, NetRoute, NetRouteTable, NetRule } from './types.js';

/** One VPC's network as berth reads it from EC2 (the doctor's and discovery's facts share this shape). */
export interface VpcReads {
  vpc?: Vpc;
  subnets: Subnet[];
  routeTables: RouteTable[];
  natGateways: NatGateway[];
  internetGateways: InternetGateway[];
  endpoints?: VpcEndpoint[];
}

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

/** Where a route sends its traffic: the one target id it names (NAT, gateway, TGW, ENI, instance, peering, carrier or local gateway). */
export function routeTarget(r: Route): string | undefined {
  return (
    r.NatGatewayId ??
    r.GatewayId ??
    r.TransitGatewayId ??
    r.NetworkInterfaceId ??
    r.InstanceId ??
    r.VpcPeeringConnectionId ??
    r.CarrierGatewayId ??
    r.LocalGatewayId
  );
}

function routes(t: RouteTable): NetRoute[] {
  return (t.Routes ?? []).flatMap((r) => {
    const destination = r.DestinationCidrBlock ?? r.DestinationPrefixListId;
    const target = routeTarget(r);
    return destination && target ? [{ destination, target, state: r.State ?? 'active' }] : [];
  });
}

const associated = (a: { AssociationState?: { State?: string } }) => (a.AssociationState?.State ?? 'associated') === 'associated';

function tableOf(t: RouteTable): NetRouteTable {
  return {
    id: t.RouteTableId ?? '',
    vpcId: t.VpcId ?? '',
    main: Boolean(t.Associations?.some((a) => a.Main && associated(a))),
    subnetIds: ids(t.Associations?.filter((a) => !a.Main && associated(a)).map((a) => a.SubnetId)),
    routes: routes(t),
  };
}

/**
 * The route table a subnet really uses, on the SDK's own shapes (the doctor's and discovery's
 * facts): the model's decision (routes.ts effectiveTable), handed back as the SDK table. `vpcId`:
 * the subnet's VPC (its main table is the fallback); undefined: the VPC of the tables' main table.
 */
export function effectiveRouteTable(
  subnetId: string,
  vpcId: string | undefined,
  tables: RouteTable[],
): { table?: RouteTable; explicit: boolean } {
  const nets = tables.map(tableOf);
  const vpc = vpcId ?? nets.find((t) => t.main)?.vpcId ?? '';
  const f = { subnets: [{ id: subnetId, vpcId: vpc, cidr: '' }], routeTables: nets };
  const eff = effectiveTable(f, subnetId);
  return { table: eff.table ? tables[nets.indexOf(eff.table)] : undefined, explicit: eff.explicit };
}

/** The model's facts of one VPC read so, with the groups its checks need. */
export function factsOfVpc(region: string, r: VpcReads, securityGroups: SecurityGroup[]): NetFacts {
  return factsFromEc2({ ...r, region, vpcs: r.vpc ? [r.vpc] : [], securityGroups });
}

export function factsFromEc2(r: Ec2Responses): NetFacts {
  return {
    region: r.region,
    vpcs: r.vpcs.map((v) => ({ id: v.VpcId ?? '', cidr: v.CidrBlock ?? '' })),
    subnets: r.subnets.map((s) => ({ id: s.SubnetId ?? '', vpcId: s.VpcId ?? '', cidr: s.CidrBlock ?? '' })),
    routeTables: r.routeTables.map(tableOf),
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
