import { Testing } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subnetPlan } from '../../src/config/network.js';
import { environment, synth, type Synthed } from './helpers.js';

let single: Synthed; // platform: nat single
let perAz: Synthed; // two-service: nat per-az
let three: Synthed; // three AZs, per-az

beforeAll(async () => {
  single = await synth(environment('platform'));
  perAz = await synth(environment('two-service'));
  three = await synth(environment('two-service', (e) => (e.network = { ...e.network, azCount: 3, cidr: '10.20.0.0/16' })));
});
afterAll(() => [single, perAz, three].forEach((s) => s?.cleanup()));

describe('network stack', () => {
  it('creates a VPC with DNS support and hostnames, named from names.ts', () => {
    expect(
      Testing.toHaveResourceWithProperties(single.text('network'), 'aws_vpc', {
        cidr_block: '10.0.0.0/16',
        enable_dns_support: true,
        enable_dns_hostnames: true,
        tags: { Name: 'chatbot-platform-vpc' },
      }),
    ).toBe(true);
  });

  it('lays out public/private/database subnets per subnetPlan() over azCount AZs, AZ names from the data source', () => {
    for (const s of [single, perAz, three]) {
      const subnets = Object.values(s.resources('network', 'aws_subnet'));
      const plan = subnetPlan(s.env.network.cidr, s.env.network.azCount);
      expect(subnets.map((x) => x.cidr_block).sort()).toEqual(plan.map((p) => p.cidr).sort());
      for (const p of plan) {
        const sub = subnets.find((x) => x.cidr_block === p.cidr)!;
        expect(sub.tags.tier).toBe(p.tier);
        expect(sub.availability_zone).toBe(`\${element(data.aws_availability_zones.network_azs.names, ${p.az})}`);
        expect(sub.map_public_ip_on_launch).toBe(false);
      }
    }
    const azs = single.stacks.network.data.aws_availability_zones.network_azs;
    expect(azs.state).toBe('available');
    expect(azs.filter).toEqual([{ name: 'zone-type', values: ['availability-zone'] }]);
  });

  it('associates EVERY subnet with exactly one route table (incident 2)', () => {
    for (const s of [single, perAz, three]) {
      const subnets = Object.keys(s.resources('network', 'aws_subnet'));
      const assocs = Object.values(s.resources('network', 'aws_route_table_association'));
      for (const name of subnets) {
        const hits = assocs.filter((a) => a.subnet_id === `\${aws_subnet.${name}.id}`);
        expect(hits, `route table associations of ${name}`).toHaveLength(1);
      }
      expect(assocs).toHaveLength(subnets.length);
    }
  });

  /** The default route of the table a subnet is associated with. */
  const defaultRouteOf = (s: Synthed, subnet: string) => {
    const assoc = Object.values(s.resources('network', 'aws_route_table_association')).find(
      (a) => a.subnet_id === `\${aws_subnet.${subnet}.id}`,
    )!;
    const routes = Object.values(s.resources('network', 'aws_route')).filter((r) => r.route_table_id === assoc.route_table_id);
    expect(routes).toHaveLength(1);
    expect(routes[0].destination_cidr_block).toBe('0.0.0.0/0');
    return routes[0];
  };

  it('routes public subnets to the internet gateway and private/database subnets to a NAT gateway', () => {
    for (const s of [single, perAz, three]) {
      for (const name of Object.keys(s.resources('network', 'aws_subnet'))) {
        const r = defaultRouteOf(s, name);
        if (name.includes('public')) {
          expect(r.gateway_id).toBe('${aws_internet_gateway.network_igw.id}');
          expect(r.nat_gateway_id).toBeUndefined();
        } else {
          expect(r.nat_gateway_id).toMatch(/^\$\{aws_nat_gateway\.network_nat-\d\.id\}$/);
          expect(r.gateway_id).toBeUndefined();
        }
      }
    }
  });

  it('uses one NAT per AZ (each AZ to its own) with nat per-az, one NAT for all with nat single', () => {
    expect(Object.keys(single.resources('network', 'aws_nat_gateway'))).toEqual(['network_nat-0']);
    expect(Object.keys(single.resources('network', 'aws_eip'))).toEqual(['network_nat-eip-0']);
    for (const s of [perAz, three]) {
      const azCount = s.env.network.azCount;
      expect(Object.keys(s.resources('network', 'aws_nat_gateway'))).toHaveLength(azCount);
      for (let i = 0; i < azCount; i++) {
        const nat = s.resource('network', 'aws_nat_gateway', `nat-${i}`);
        expect(nat.subnet_id).toBe(`\${aws_subnet.network_subnet-public-${i}.id}`);
        expect(nat.allocation_id).toBe(`\${aws_eip.network_nat-eip-${i}.allocation_id}`);
        for (const tier of ['private', 'database'])
          expect(defaultRouteOf(s, `network_subnet-${tier}-${i}`).nat_gateway_id).toBe(`\${aws_nat_gateway.network_nat-${i}.id}`);
      }
    }
  });

  it('locks the default security group down: no ingress, no egress', () => {
    const sg = single.resource('network', 'aws_default_security_group');
    expect(sg.vpc_id).toBe('${aws_vpc.network_vpc.id}');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it('sends VPC flow logs (all traffic) to a log group with retention, through a role only flow logs can assume', () => {
    const group = single.resource('network', 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/vpc/chatbot-platform/flow-logs', retention_in_days: 30 });
    const flow = single.resource('network', 'aws_flow_log');
    expect(flow).toMatchObject({
      vpc_id: '${aws_vpc.network_vpc.id}',
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: '${aws_cloudwatch_log_group.network_flow-log-group.arn}',
      iam_role_arn: '${aws_iam_role.network_flow-log-role.arn}',
    });
    const trust = JSON.parse(single.resource('network', 'aws_iam_role').assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    const policy = JSON.parse(single.resource('network', 'aws_iam_role_policy').policy);
    expect(policy.Statement[0].Resource).toEqual([
      '${aws_cloudwatch_log_group.network_flow-log-group.arn}',
      '${aws_cloudwatch_log_group.network_flow-log-group.arn}:*',
    ]);
    expect(JSON.stringify(policy)).not.toContain('"Resource":"*"');
  });

  it('outputs the VPC id, subnet ids per tier and route table ids', () => {
    const out = single.stacks.network.output;
    expect(out.vpc_id.value).toBe('${aws_vpc.network_vpc.id}');
    expect(out.private_subnet_ids.value).toEqual([
      '${aws_subnet.network_subnet-private-0.id}',
      '${aws_subnet.network_subnet-private-1.id}',
    ]);
    for (const k of [
      'public_subnet_ids',
      'database_subnet_ids',
      'public_route_table_ids',
      'private_route_table_ids',
      'database_route_table_ids',
    ])
      expect(out[k]).toBeDefined();
  });
});

describe('network stack of a mapped two-tier platform (its data stores in the private subnets, no database tier)', () => {
  let two: Synthed;
  beforeAll(async () => {
    two = await synth(
      environment('platform', (e) => {
        e.resources = {
          vpc: 'vpc-0a1b2c3d4e5f60718',
          subnets: {
            public: ['subnet-0a000000000000001', 'subnet-0a000000000000002'],
            private: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
          },
          routeTables: { public: ['rtb-0a000000000000001'], private: ['rtb-0b000000000000001'] },
        };
      }),
    );
  });
  afterAll(() => two?.cleanup());

  it('creates no database subnets and no second private table: the database tier is the private one', () => {
    expect(Object.keys(two.resources('network', 'aws_subnet')).sort()).toEqual([
      'network_subnet-private-0',
      'network_subnet-private-1',
      'network_subnet-public-0',
      'network_subnet-public-1',
    ]);
    expect(Object.keys(two.resources('network', 'aws_route_table')).sort()).toEqual(['network_rt-private-0', 'network_rt-public']);
    expect(Object.keys(two.resources('network', 'aws_route')).sort()).toEqual([
      'network_rt-private-0-default',
      'network_rt-public-default',
    ]);
    const rta = two.resources('network', 'aws_route_table_association');
    expect(Object.keys(rta).sort()).toEqual([
      'network_rta-private-0',
      'network_rta-private-1',
      'network_rta-public-0',
      'network_rta-public-1',
    ]);
    for (const i of [0, 1]) expect(rta[`network_rta-private-${i}`]!.route_table_id).toBe('${aws_route_table.network_rt-private-0.id}');
    const out = two.stacks.network.output;
    expect(out.database_subnet_ids.value).toEqual(out.private_subnet_ids.value);
    expect(out.database_route_table_ids.value).toEqual(out.private_route_table_ids.value);
  });

  it('a platform berth builds keeps its database tier (the same env without a map)', () => {
    expect(Object.keys(single.resources('network', 'aws_subnet'))).toHaveLength(6);
    expect(Object.keys(single.resources('network', 'aws_route_table'))).toHaveLength(5);
  });
});
