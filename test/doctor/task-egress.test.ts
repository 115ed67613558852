/** network.task-egress (pure): the shared reachability model over recorded EC2 facts, with fixes naming the real resources. */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/doctor/checks/network.js';
import type { NetworkFacts } from '../../src/doctor/facts.js';
import { ID, ecsService, input, network, securityGroups, taskDefinition } from './fixtures/world.js';
import { fixText, one } from './helpers.js';

function facts(): NetworkFacts {
  return {
    ...network(),
    securityGroups: securityGroups(),
    services: [{ name: 'api', service: ecsService(), taskDefinition: taskDefinition() }],
  };
}

const egress = (f: NetworkFacts) => one(checkNetwork(f, input()), 'network.task-egress');

describe('doctor network.task-egress (pure)', () => {
  it('PASSes on the healthy recorded account: both private subnets reach ECR, the secrets and the logs through the NAT gateway', () => {
    const r = egress(facts());
    expect(r.status).toBe('PASS');
    expect(r.service).toBe('api');
    expect(r.evidence.subnets).toEqual([ID.priv1, ID.priv2]);
  });

  it('the incident: private subnets associated with no table FAIL on the main table, and the fix associates the NAT table nobody uses', () => {
    const f = facts();
    for (const t of f.routeTables)
      t.Associations = (t.Associations ?? []).filter((a) => a.SubnetId !== ID.priv1 && a.SubnetId !== ID.priv2);
    const r = egress(f);
    expect(r.status).toBe('FAIL');
    expect(r.resource).toBe(ID.priv1);
    expect(r.message).toContain(`${ID.priv1} -> ${ID.rtbMain} (the main table`);
    expect(r.message).toContain('no-default-route');
    expect(r.evidence.blocked).toEqual([
      expect.stringContaining(`blocked by ${ID.priv1}, ${ID.rtbMain}`),
      expect.stringContaining(ID.priv2),
    ]);
    const fix = fixText(r);
    expect(fix).toMatch(new RegExp(`aws ec2 associate-route-table --route-table-id rtb-04e2df6bc0b88ace[de] --subnet-id ${ID.priv1}`));
    expect(fix).toMatch(new RegExp(`aws ec2 associate-route-table --route-table-id rtb-04e2df6bc0b88ace[de] --subnet-id ${ID.priv2}`));
  });

  it('an explicit association with a table without a default route: replace the association, by its id', () => {
    const f = facts();
    const priv1 = f.routeTables.find((t) => t.RouteTableId === ID.rtbPriv1)!;
    priv1.Routes = (priv1.Routes ?? []).filter((x) => x.DestinationCidrBlock !== '0.0.0.0/0');
    const r = egress(f);
    expect(r.status).toBe('FAIL');
    const assoc = priv1.Associations!.find((a) => a.SubnetId === ID.priv1)!.RouteTableAssociationId;
    expect(fixText(r)).toContain(`aws ec2 replace-route-table-association --association-id ${assoc} --route-table-id`);
  });

  it('no egress on 443 from the app group: FAIL naming the group, fix opens 443 on it', () => {
    const f = facts();
    const app = f.securityGroups!.find((g) => g.GroupId === ID.sgApp)!;
    app.IpPermissionsEgress = (app.IpPermissionsEgress ?? []).filter((p) => p.FromPort !== 443 && p.IpProtocol !== '-1');
    const r = egress(f);
    expect(r.status).toBe('FAIL');
    expect(r.resource).toBe(ID.sgApp);
    expect(fixText(r)).toContain(`aws ec2 authorize-security-group-egress --group-id ${ID.sgApp}`);
  });

  it('an ecr.api interface endpoint whose group lets nothing in: FAIL naming the endpoint group', () => {
    const f = facts();
    f.securityGroups!.push({ GroupId: 'sg-0e0e0e0e0e0e0e0e0', VpcId: ID.vpc, IpPermissions: [], IpPermissionsEgress: [] });
    f.endpoints = [
      {
        VpcEndpointId: 'vpce-0123456789abcdef0',
        VpcId: ID.vpc,
        ServiceName: 'com.amazonaws.ap-northeast-2.ecr.api',
        VpcEndpointType: 'Interface',
        State: 'Available',
        PrivateDnsEnabled: true,
        SubnetIds: [ID.priv1, ID.priv2],
        Groups: [{ GroupId: 'sg-0e0e0e0e0e0e0e0e0' }],
      },
    ];
    const r = egress(f);
    expect(r.status).toBe('FAIL');
    expect(r.resource).toBe('sg-0e0e0e0e0e0e0e0e0');
    expect(fixText(r)).toContain(
      `aws ec2 authorize-security-group-ingress --group-id sg-0e0e0e0e0e0e0e0e0 --protocol tcp --port 443 --source-group ${ID.sgApp}`,
    );
  });
});
