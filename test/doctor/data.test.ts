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
    expect(one(fs, 'database.reachability').evidence.routes).toHaveLength(4);
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

  it('reachability: the route and security-group facts applied to the database path', () => {
    const f = database();
    // incident 2 on a database subnet and incident 3 on the app group at once
    f.sg.network.routeTables.find((t) => t.RouteTableId === ID.rtbDb2)!.Associations = [];
    const app = f.sg.groups.find((g) => g.GroupId === ID.sgApp)!;
    app.IpPermissionsEgress = app.IpPermissionsEgress!.filter((p) => p.FromPort !== 5432);
    const r = one(checkDatabase(f, input()), 'database.reachability');
    expect(r.status).toBe('FAIL');
    expect(r.message).toContain(ID.db2);
    expect(r.message).toContain('no egress rule');
    expect(r.see).toEqual(expect.arrayContaining(['security-groups.app-to-db', 'network.database-route']));
    expect(fixText(r)).toContain(`authorize-security-group-egress --group-id ${ID.sgApp}`);
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
    expect(r.status).toBe('FAIL');
    expect(r.fix?.commands).toEqual([
      `aws ec2 authorize-security-group-ingress --group-id ${ID.sgCache} --protocol tcp --port 6379 --source-group ${ID.sgApp}`,
    ]);
  });
});
