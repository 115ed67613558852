import { describe, expect, it } from 'vitest';
import { checkDatabase } from '../../src/doctor/checks/database.js';
import { checkRedis } from '../../src/doctor/checks/redis.js';
import { ID, database, input, redis } from './fixtures/world.js';
import { fixText, one, statuses } from './helpers.js';

describe('doctor database (pure)', () => {
  it('passes on the healthy recorded account', () => {
    const fs = checkDatabase(database(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
    const r = one(fs, 'database.reachability');
    expect(r.evidence.via).toBe('local');
    expect(r.evidence.path).toEqual([ID.priv1, ID.priv2, ID.db1, ID.db2]);
  });

  it('cluster or writer not available FAILs', () => {
    const f = database();
    f.cluster!.Status = 'stopped';
    f.instances[0]!.DBInstanceStatus = 'stopped';
    const fs = checkDatabase(f, input());
    const c = one(fs, 'database.cluster');
    expect(c.status).toBe('FAIL');
    expect(c.fix?.commands).toEqual(['aws rds start-db-cluster --db-cluster-identifier chatbot-platform-db']);
    expect(one(fs, 'database.writer').status).toBe('FAIL');
  });

  it('reachability follows the VPC local route: data subnets with no route out, even on no table, still PASS', () => {
    const f = database();
    // incident 2 on a database subnet (no association: the main table, which has no 0.0.0.0/0) and no NAT route anywhere
    f.sg.network.routeTables.find((t) => t.RouteTableId === ID.rtbDb2)!.Associations = [];
    for (const t of f.sg.network.routeTables) t.Routes = t.Routes?.filter((r) => r.DestinationCidrBlock !== '0.0.0.0/0');
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect([r.status, r.evidence.via, r.evidence.blockers]).toEqual(['PASS', 'local', []]);
  });

  it('a two-tier platform (the database in the private subnets, no NAT route) PASSes', () => {
    const f = database();
    f.sg.dbSubnetGroup!.Subnets = [{ SubnetIdentifier: ID.priv1 }, { SubnetIdentifier: ID.priv2 }];
    for (const t of f.sg.network.routeTables) t.Routes = t.Routes?.filter((r) => r.DestinationCidrBlock !== '0.0.0.0/0');
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect(r.status).toBe('PASS');
    expect(r.evidence.path).toEqual([ID.priv1, ID.priv2]);
  });

  it('the app group without egress on 5432 FAILs naming that group, with the fix on the real groups', () => {
    const f = database();
    const app = f.sg.groups.find((g) => g.GroupId === ID.sgApp)!;
    app.IpPermissionsEgress = app.IpPermissionsEgress!.filter((p) => p.FromPort !== 5432);
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect(r.status).toBe('FAIL');
    expect(r.resource).toBe(ID.sgApp);
    expect(r.evidence.blockers).toEqual([`sg-egress: ${ID.sgApp}`]);
    expect(r.see).toEqual(['security-groups.app-to-db']);
    expect(r.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-egress --group-id ${ID.sgApp} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${ID.sgDb}}]'`,
    ]);
  });

  it('the database group without ingress from the app FAILs naming the database group; a CIDR covering the tasks’ subnets opens it', () => {
    const f = database();
    const db = f.sg.groups.find((g) => g.GroupId === ID.sgDb)!;
    db.IpPermissions = [];
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect([r.status, r.resource, r.evidence.blockers]).toEqual(['FAIL', ID.sgDb, [`sg-ingress: ${ID.sgDb}`]]);
    expect(r.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgDb} --protocol tcp --port 5432 --source-group ${ID.sgApp}`,
    ]);
    db.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }];
    expect(one(checkDatabase(f, input()), 'database.reachability').status).toBe('PASS');
    // a range that leaves out one of the tasks' subnets does not
    const narrow = f.sg.network.subnets.find((s) => s.SubnetId === ID.priv1)!.CidrBlock!;
    db.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: narrow }] }];
    expect(one(checkDatabase(f, input()), 'database.reachability').status).toBe('FAIL');
  });

  it('a database in another VPC WARNs (peering and transit gateways are not followed), naming its subnet', () => {
    const f = database();
    f.sg.dbSubnetGroup!.Subnets = [{ SubnetIdentifier: 'subnet-0ffff00000000aaaa' }];
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect([r.status, r.resource]).toEqual(['WARN', 'subnet-0ffff00000000aaaa']);
  });

  it('the credentials secret without a password key FAILs (key names only)', () => {
    const f = database();
    f.secret!.keys = ['username'];
    const s = one(checkDatabase(f, input()), 'database.secret');
    expect(s.status).toBe('FAIL');
    expect(s.resource).toBe(ID.dbSecret);
    expect(s.message).toContain('no key "password"');
  });

  it('a host key pointing elsewhere than the cluster FAILs without printing it', () => {
    const f = database();
    f.secret!.plain = { host: 'old-db.internal' };
    const s = one(checkDatabase(f, input()), 'database.secret');
    expect(s.status).toBe('FAIL');
    expect(s.evidence.hostMatches).toBe(false);
    expect(JSON.stringify(s)).not.toContain('old-db.internal');
  });
});

describe('doctor redis (pure)', () => {
  it('passes on the healthy recorded account', () => {
    const fs = checkRedis(redis(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
  });

  it('incident 1: a query string on the rediss:// URL FAILs naming the secret, with the URL shape to write', () => {
    const f = redis();
    f.secret!.urls.url!.queryKeys = ['ssl_cert_reqs'];
    const u = one(checkRedis(f, input()), 'redis.url');
    expect(u.status).toBe('FAIL');
    expect(u.resource).toBe(ID.redisSecret);
    expect(u.message).toContain('query string (ssl_cert_reqs)');
    expect(u.evidence.queryKeys).toEqual(['ssl_cert_reqs']);
    expect(fixText(u)).toContain(`rediss://:<auth token>@${ID.redisHost}:6379/0`);
    expect(fixText(u)).toContain('put-secret-value --secret-id chatbot/platform/redis');
  });

  it('redis:// while TLS in transit is on FAILs; rediss:// while it is off FAILs', () => {
    const f = redis();
    f.secret!.urls.url!.scheme = 'redis';
    expect(one(checkRedis(f, input()), 'redis.url').message).toContain('needs rediss://');
    const g = redis();
    g.replicationGroup!.TransitEncryptionEnabled = false;
    g.replicationGroup!.AuthTokenEnabled = false;
    g.secret!.urls.url!.hasPassword = false;
    const fs = checkRedis(g, input());
    expect(one(fs, 'redis.url').message).toContain('needs redis://');
    // and the group differs from the config: a WARN on the group
    expect(one(fs, 'redis.replication-group').status).toBe('WARN');
  });

  it('a URL on another host, or without the password while AUTH is on, FAILs', () => {
    const f = redis();
    f.secret!.urls.url!.host = 'old.cache.amazonaws.com';
    f.secret!.urls.url!.hasPassword = false;
    const u = one(checkRedis(f, input()), 'redis.url');
    expect(u.message).toContain('not the primary endpoint');
    expect(u.message).toContain('no password');
  });

  it('the replication group not available FAILs; missing entirely FAILs with apply', () => {
    const f = redis();
    f.replicationGroup!.Status = 'modifying';
    expect(one(checkRedis(f, input()), 'redis.replication-group').status).toBe('FAIL');
    f.replicationGroup = undefined;
    expect(fixText(one(checkRedis(f, input()), 'redis.replication-group'))).toContain('berth apply --env platform');
  });

  it('cache ingress missing: reachability FAILs naming the cache group', () => {
    const f = redis();
    f.sg.groups.find((g) => g.GroupId === ID.sgCache)!.IpPermissions = [];
    const r = one(checkRedis(f, input()), 'redis.reachability');
    expect([r.status, r.resource]).toEqual(['FAIL', ID.sgCache]);
    expect(r.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgCache} --protocol tcp --port 6379 --source-group ${ID.sgApp}`,
    ]);
  });
});
