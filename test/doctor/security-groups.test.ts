import { describe, expect, it } from 'vitest';
import { checkSecurityGroups } from '../../src/doctor/checks/security-groups.js';
import { ID, input, sgFacts } from './fixtures/world.js';
import { fixText, one, statuses } from './helpers.js';

const group = (f: ReturnType<typeof sgFacts>, id: string) => f.groups.find((g) => g.GroupId === id)!;

describe('doctor security-groups (pure)', () => {
  it('passes the whole chain on the healthy recorded account', () => {
    const fs = checkSecurityGroups(sgFacts(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
    for (const c of [
      'security-groups.alb-to-app',
      'security-groups.app-to-db',
      'security-groups.app-to-cache',
      'security-groups.app-egress-https',
    ])
      expect(one(fs, c).status).toBe('PASS');
  });

  it('incident 3: app egress on 443 only -> app-to-db and app-to-cache FAIL with the egress rule to add (ingress side was fine)', () => {
    const f = sgFacts();
    group(f, ID.sgApp).IpPermissionsEgress = group(f, ID.sgApp).IpPermissionsEgress!.filter((p) => p.FromPort === 443);
    const fs = checkSecurityGroups(f, input());
    const db = one(fs, 'security-groups.app-to-db');
    expect(db.status).toBe('FAIL');
    expect(db.resource).toBe(ID.sgApp);
    expect(db.evidence.ingress).toContain(ID.sgDb);
    expect(db.evidence.egress).toBe('no rule');
    expect(db.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-egress --group-id ${ID.sgApp} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${ID.sgDb}}]'`,
    ]);
    const cache = one(fs, 'security-groups.app-to-cache');
    expect(cache.status).toBe('FAIL');
    expect(fixText(cache)).toContain('FromPort=6379');
    expect(one(fs, 'security-groups.app-egress-https').status).toBe('PASS');
  });

  it("the runbook's own fix (egress to the VPC CIDR) counts: a CIDR covering the destination subnets", () => {
    const f = sgFacts();
    const app = group(f, ID.sgApp);
    app.IpPermissionsEgress = [
      ...app.IpPermissionsEgress!.filter((p) => p.FromPort === 443),
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      { IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
    ];
    const fs = checkSecurityGroups(f, input());
    expect(one(fs, 'security-groups.app-to-db').status).toBe('PASS');
    expect(one(fs, 'security-groups.app-to-db').evidence.egress).toContain('10.0.0.0/16');
    // a range that covers only one database subnet does not count
    app.IpPermissionsEgress!.find((p) => p.FromPort === 5432)!.IpRanges = [{ CidrIp: '10.0.20.0/24' }];
    expect(one(checkSecurityGroups(f, input()), 'security-groups.app-to-db').status).toBe('FAIL');
  });

  it('missing ingress on the database group FAILs with authorize-security-group-ingress from the app group', () => {
    const f = sgFacts();
    group(f, ID.sgDb).IpPermissions = [];
    const db = one(checkSecurityGroups(f, input()), 'security-groups.app-to-db');
    expect(db.status).toBe('FAIL');
    expect(db.resource).toBe(ID.sgDb);
    expect(db.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgDb} --protocol tcp --port 5432 --source-group ${ID.sgApp}`,
    ]);
  });

  it('ALB -> app: the app group must accept the service port from the ALB group', () => {
    const f = sgFacts();
    group(f, ID.sgApp).IpPermissions = [{ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, UserIdGroupPairs: [{ GroupId: ID.sgAlb }] }];
    const l = one(checkSecurityGroups(f, input()), 'security-groups.alb-to-app');
    expect(l.status).toBe('FAIL');
    expect(l.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgApp} --protocol tcp --port 8001 --source-group ${ID.sgAlb}`,
    ]);
  });

  it('no egress on 443 from the app group FAILs (image pull and secrets go through it)', () => {
    const f = sgFacts();
    group(f, ID.sgApp).IpPermissionsEgress = group(f, ID.sgApp).IpPermissionsEgress!.filter((p) => p.FromPort !== 443);
    const e = one(checkSecurityGroups(f, input()), 'security-groups.app-egress-https');
    expect(e.status).toBe('FAIL');
    expect(e.resource).toBe(ID.sgApp);
    expect(fixText(e)).toContain(`authorize-security-group-egress --group-id ${ID.sgApp}`);
  });

  it('the database group open to 0.0.0.0/0 FAILs with the revoke command; an unknown group too', () => {
    const f = sgFacts();
    group(f, ID.sgDb).IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    group(f, ID.sgCache).IpPermissions!.push({
      IpProtocol: 'tcp',
      FromPort: 6379,
      ToPort: 6379,
      UserIdGroupPairs: [{ GroupId: 'sg-0bastion000000001' }],
    });
    const fs = checkSecurityGroups(f, input());
    const db = one(fs, 'security-groups.db-exposure');
    expect(db.status).toBe('FAIL');
    expect(db.resource).toBe(ID.sgDb);
    expect(db.fix?.commands).toEqual([
      `aws ec2 revoke-security-group-ingress --group-id ${ID.sgDb} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=0.0.0.0/0}]'`,
    ]);
    const cache = one(fs, 'security-groups.cache-exposure');
    expect(cache.status).toBe('FAIL');
    expect(cache.message).toContain('sg-0bastion000000001');
    // the chain itself still passes: exposure is its own finding
    expect(one(fs, 'security-groups.app-to-db').status).toBe('PASS');
  });

  it('a VPC-wide source on the data tier is a WARN, not a FAIL', () => {
    const f = sgFacts();
    group(f, ID.sgDb).IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] });
    expect(one(checkSecurityGroups(f, input()), 'security-groups.db-exposure').status).toBe('WARN');
  });

  it('the groups actually attached count, not only the named ones: a service on another group is judged by that group', () => {
    const f = sgFacts();
    f.groups.push({
      GroupId: 'sg-0other00000000001',
      GroupName: 'handmade',
      VpcId: ID.vpc,
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    f.services[0]!.service!.networkConfiguration!.awsvpcConfiguration!.securityGroups = ['sg-0other00000000001'];
    const fs = checkSecurityGroups(f, input());
    const l = one(fs, 'security-groups.alb-to-app');
    expect(l.status).toBe('FAIL');
    expect(l.evidence.destinationGroups).toEqual(['sg-0other00000000001']);
    expect(one(fs, 'security-groups.app-to-db').status).toBe('FAIL');
    expect(one(fs, 'security-groups.app-to-db').resource).toBe(ID.sgDb);
  });

  it('internet -> ALB: 443 closed FAILs, 80 closed WARNs', () => {
    const f = sgFacts();
    group(f, ID.sgAlb).IpPermissions = group(f, ID.sgAlb).IpPermissions!.filter((p) => p.FromPort !== 80);
    expect(one(checkSecurityGroups(f, input()), 'security-groups.alb-ingress').status).toBe('WARN');
    group(f, ID.sgAlb).IpPermissions = [];
    const a = one(checkSecurityGroups(f, input()), 'security-groups.alb-ingress');
    expect(a.status).toBe('FAIL');
    expect(a.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgAlb} --protocol tcp --port 443 --cidr 0.0.0.0/0`,
    ]);
  });
});
