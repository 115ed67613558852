/**
 * The one effective-route-table decision (src/network/routes.ts) on the SDK's shapes, as the doctor
 * and discovery call it: explicit association first, else the main table of the subnet's VPC; a
 * disassociated association does not count; every route target kind is read.
 */
import type { RouteTable } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { effectiveRouteTable, factsFromEc2, routeTarget } from '../../src/network/from-ec2.js';

const table = (id: string, vpc: string, assoc: RouteTable['Associations']): RouteTable => ({
  RouteTableId: id,
  VpcId: vpc,
  Associations: assoc,
  Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }],
});

const tables: RouteTable[] = [
  table('rtb-othermain', 'vpc-other', [{ Main: true, AssociationState: { State: 'associated' } }]),
  table('rtb-main', 'vpc-1', [{ Main: true, AssociationState: { State: 'associated' } }]),
  table('rtb-nat', 'vpc-1', [
    { SubnetId: 'subnet-a', RouteTableAssociationId: 'rtbassoc-a', AssociationState: { State: 'associated' } },
    { SubnetId: 'subnet-b', RouteTableAssociationId: 'rtbassoc-b', AssociationState: { State: 'disassociated' } },
  ]),
];

describe('effectiveRouteTable (SDK shapes)', () => {
  it('an explicit association wins; a disassociated one falls back to the main table of the subnet’s own VPC', () => {
    expect(effectiveRouteTable('subnet-a', 'vpc-1', tables)).toEqual({ table: tables[2], explicit: true });
    expect(effectiveRouteTable('subnet-b', 'vpc-1', tables)).toEqual({ table: tables[1], explicit: false });
    expect(effectiveRouteTable('subnet-c', 'vpc-other', tables)).toEqual({ table: tables[0], explicit: false });
  });

  it('without a VPC id: the main table the tables hold', () => {
    expect(effectiveRouteTable('subnet-c', undefined, tables.slice(1)).table?.RouteTableId).toBe('rtb-main');
  });

  it('reads a carrier gateway target like the Python facts do', () => {
    expect(routeTarget({ DestinationCidrBlock: '0.0.0.0/0', CarrierGatewayId: 'cagw-1' })).toBe('cagw-1');
    const f = factsFromEc2({
      region: 'eu-west-1',
      vpcs: [],
      subnets: [],
      natGateways: [],
      internetGateways: [],
      securityGroups: [],
      routeTables: [{ ...tables[1]!, Routes: [{ DestinationCidrBlock: '0.0.0.0/0', CarrierGatewayId: 'cagw-1' }] }],
    });
    expect(f.routeTables[0]!.routes).toEqual([{ destination: '0.0.0.0/0', target: 'cagw-1', state: 'active' }]);
  });
});
