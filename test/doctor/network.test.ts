import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/doctor/checks/network.js';
import { ID, input, network } from './fixtures/world.js';
import { fixText, of, one, statuses } from './helpers.js';

describe('doctor network (pure)', () => {
  it('passes every check on the healthy recorded account', () => {
    const fs = checkNetwork(network(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
    expect(of(fs, 'network.private-route')).toHaveLength(2);
    expect(of(fs, 'network.database-route')).toHaveLength(2);
    expect(of(fs, 'network.public-route')).toHaveLength(2);
    expect(one(fs, 'network.private-route', ID.priv1).message).toContain(ID.nat);
  });

  it('incident 2: a private subnet with no association falls back to the main table and FAILs with associate-route-table', () => {
    const f = network();
    const t = f.routeTables.find((x) => x.RouteTableId === ID.rtbPriv2)!;
    t.Associations = [];
    const fs = checkNetwork(f, input());
    const bad = one(fs, 'network.private-route', ID.priv2);
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain(ID.rtbMain);
    expect(bad.evidence.association).toMatch(/main table/);
    // the table that does route to the NAT (same AZ preferred) is the fix
    expect(bad.fix?.commands).toEqual([`aws ec2 associate-route-table --route-table-id ${ID.rtbPriv1} --subnet-id ${ID.priv2}`]);
    expect(one(fs, 'network.private-route', ID.priv1).status).toBe('PASS');
  });

  it('every table routed to the NAT but associated with nobody: the fix names that table', () => {
    const f = network();
    for (const t of f.routeTables) if (t.RouteTableId === ID.rtbPriv1 || t.RouteTableId === ID.rtbPriv2) t.Associations = [];
    const fs = checkNetwork(f, input());
    for (const s of [ID.priv1, ID.priv2]) {
      const bad = one(fs, 'network.private-route', s);
      expect(bad.status).toBe('FAIL');
      expect(fixText(bad)).toMatch(new RegExp(`associate-route-table --route-table-id rtb-04e2df6bc0b88ac(ed|ee) --subnet-id ${s}`));
    }
  });

  it("a database subnet whose table has no default route: no task runs there, so a WARN (berth's layout), with create-route through the NAT", () => {
    const f = network();
    const t = f.routeTables.find((x) => x.RouteTableId === ID.rtbDb1)!;
    t.Routes = t.Routes!.filter((r) => r.DestinationCidrBlock !== '0.0.0.0/0');
    const fs = checkNetwork(f, input());
    const bad = one(fs, 'network.database-route', ID.db1);
    expect(bad.status).toBe('WARN');
    expect(statuses(fs).FAIL).toEqual([]);
    expect(bad.fix?.commands).toEqual([
      `aws ec2 create-route --route-table-id ${ID.rtbDb1} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${ID.nat}`,
    ]);
    // where a service's tasks do run, the same missing route is a FAIL (they cannot reach ECR or their secrets)
    f.services = [{ name: 'api', service: { networkConfiguration: { awsvpcConfiguration: { subnets: [ID.db1] } } } }];
    expect(one(checkNetwork(f, input()), 'network.database-route', ID.db1).status).toBe('FAIL');
  });

  it('a NAT gateway that failed: every private route FAILs naming it, and the NAT check FAILs', () => {
    const f = network();
    f.natGateways[0]!.State = 'failed';
    const fs = checkNetwork(f, input());
    expect(one(fs, 'network.nat-gateway').status).toBe('FAIL');
    const bad = one(fs, 'network.private-route', ID.priv1);
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain(`${ID.nat}, which is failed`);
    expect(bad.see).toContain('network.nat-gateway');
  });

  it('a blackhole route (NAT deleted) is reported as such', () => {
    const f = network();
    const t = f.routeTables.find((x) => x.RouteTableId === ID.rtbPriv1)!;
    t.Routes = t.Routes!.map((r) =>
      r.DestinationCidrBlock === '0.0.0.0/0' ? { ...r, NatGatewayId: 'nat-0deleted000000000', State: 'blackhole' } : r,
    );
    const bad = one(checkNetwork(f, input()), 'network.private-route', ID.priv1);
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toMatch(/blackhole/);
    expect(bad.fix?.commands?.[0]).toBe(
      `aws ec2 replace-route --route-table-id ${ID.rtbPriv1} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${ID.nat}`,
    );
  });

  it('a private subnet moved onto the public table: FAIL, and the fix moves the association instead of editing the shared table', () => {
    const f = network();
    f.routeTables.find((x) => x.RouteTableId === ID.rtbPriv1)!.Associations = [];
    const pub = f.routeTables.find((x) => x.RouteTableId === ID.rtbPublic)!;
    pub.Associations!.push({
      RouteTableAssociationId: 'rtbassoc-0moved',
      RouteTableId: ID.rtbPublic,
      SubnetId: ID.priv1,
      Main: false,
      AssociationState: { State: 'associated' },
    });
    const bad = one(checkNetwork(f, input()), 'network.private-route', ID.priv1);
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain(ID.igw);
    expect(bad.fix?.commands).toEqual([
      `aws ec2 replace-route-table-association --association-id rtbassoc-0moved --route-table-id ${ID.rtbPriv1}`,
    ]);
  });

  it('a public subnet without the internet route FAILs with a route to the internet gateway', () => {
    const f = network();
    const t = f.routeTables.find((x) => x.RouteTableId === ID.rtbPublic)!;
    t.Routes = t.Routes!.filter((r) => r.GatewayId !== ID.igw);
    const bad = one(checkNetwork(f, input()), 'network.public-route', ID.pub1);
    expect(bad.status).toBe('FAIL');
    expect(bad.fix?.commands).toEqual([
      `aws ec2 create-route --route-table-id ${ID.rtbPublic} --destination-cidr-block 0.0.0.0/0 --gateway-id ${ID.igw}`,
    ]);
  });

  it('no VPC: one FAIL telling to apply, nothing else', () => {
    const fs = checkNetwork({ subnets: [], routeTables: [], natGateways: [], internetGateways: [] }, input());
    expect(fs).toHaveLength(1);
    expect(fs[0]!.status).toBe('FAIL');
    expect(fs[0]!.resource).toBe('chatbot-platform-vpc');
    expect(fixText(fs[0]!)).toContain('berth apply --env platform');
  });

  it('subnets found by CIDR plan when untagged, and a missing tier FAILs', () => {
    const f = network();
    for (const s of f.subnets) s.Tags = [];
    f.subnets = f.subnets.filter((s) => !s.CidrBlock!.startsWith('10.0.2'));
    const fs = checkNetwork(f, input());
    const sub = one(fs, 'network.subnets');
    expect(sub.status).toBe('FAIL');
    expect(sub.message).toContain('database');
    expect(of(fs, 'network.private-route').every((x) => x.status === 'PASS')).toBe(true);
  });

  it('a mapped two-tier platform (no database subnets in its map) does not FAIL for want of a database tier; one mapping a database tier still FAILs without it', () => {
    const f = network();
    f.subnets = f.subnets.filter((s) => !s.CidrBlock!.startsWith('10.0.2'));
    const env = input().env;
    env.resources = { subnets: { public: [ID.pub1, ID.pub2], private: [ID.priv1, ID.priv2] } };
    const sub = one(checkNetwork(f, { ...input(), env }), 'network.subnets');
    expect(sub.status).not.toBe('FAIL'); // (this fixture's public subnets WARN of their AZs: not this check's point)
    expect(sub.message).not.toContain('database');
    env.resources = { subnets: { public: [ID.pub1, ID.pub2], private: [ID.priv1, ID.priv2], database: [ID.db1] } };
    expect(one(checkNetwork(f, { ...input(), env }), 'network.subnets').status).toBe('FAIL');
  });

  it('nat "per-az" with one NAT gateway WARNs (an AZ failure cuts off every private subnet)', () => {
    const env = input().env;
    env.network.nat = 'per-az';
    const nat = one(checkNetwork(network(), { ...input(), env }), 'network.nat-gateway');
    expect(nat.status).toBe('WARN');
  });
});
