/**
 * The route tables adopt takes for a tier: the ones its subnets use at adopt time. A subnet
 * explicitly associated (a doctor fix since discovery) keeps its table, whatever the map recorded;
 * a subnet on the main table by default keeps the map's tables (berth associates it with them),
 * or the main table when the map names none. Pure, on DescribeRouteTables as the SDK returns it.
 * And a second container of the running task definition: reported and left alone.
 */
import type { RouteTable } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { effectiveTierTables } from '../../src/adopt/gather-network.js';
import { extraContainers } from '../../src/adopt/gather-service.js';

const VPC = 'vpc-00000000000000001';
const [A, B] = ['subnet-0000000000000000a', 'subnet-0000000000000000b'];
const MAIN = 'rtb-0000000000000000m';
const NAT = 'rtb-0000000000000000n';
const OTHER = 'rtb-0000000000000000o';

const table = (id: string, subnets: string[], main = false): RouteTable => ({
  RouteTableId: id,
  VpcId: VPC,
  Associations: [
    ...(main ? [{ Main: true, RouteTableId: id }] : []),
    ...subnets.map((s) => ({ Main: false, SubnetId: s, RouteTableId: id, AssociationState: { State: 'associated' as const } })),
  ],
  Routes: [],
});

describe('effectiveTierTables', () => {
  it('after the fix: the subnets associated with the NAT table use it, though the map (from discovery) names the main table', () => {
    expect(effectiveTierTables(VPC, [A, B], [table(MAIN, [], true), table(NAT, [A, B])], [MAIN])).toEqual([NAT]);
  });

  it('subnets on the main table by default keep the tables the map names (berth associates them), or the main one', () => {
    const tables = [table(MAIN, [], true), table(NAT, [])];
    expect(effectiveTierTables(VPC, [A, B], tables, [NAT])).toEqual([NAT]);
    expect(effectiveTierTables(VPC, [A, B], tables, [])).toEqual([MAIN]);
  });

  it('one subnet associated, one by default: its table first, then the map’s; an association being removed does not count', () => {
    expect(effectiveTierTables(VPC, [A, B], [table(MAIN, [], true), table(OTHER, [B])], [NAT])).toEqual([OTHER, NAT]);
    const leaving = table(NAT, [A]);
    leaving.Associations![0]!.AssociationState = { State: 'disassociating' };
    expect(effectiveTierTables(VPC, [A], [table(MAIN, [], true), leaving], [])).toEqual([MAIN]);
  });
});

describe('what berth cannot express is left alone', () => {
  const TD = 'arn:aws:ecs:ap-northeast-2:111122223333:task-definition/rag-backend-task:4';
  it('a second container of the running task definition is reported, not removed; a single one is berth’s', () => {
    const left = extraContainers(TD, 'rag-backend-service', ['rag-backend', 'otel-collector'], 'rag-backend');
    expect(left.map((l) => [l.kind, l.resource])).toEqual([['service', `${TD}#otel-collector`]]);
    expect(left[0]!.why).toMatch(
      /^container otel-collector of rag-backend-service: berth's task definition has one container \(rag-backend\)/,
    );
    expect(extraContainers(TD, 'rag-backend-service', ['app'], 'rag-backend')).toEqual([]);
  });
});
