import { Testing } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Synthed } from './helpers.js';

let platform: Synthed; // aurora-postgresql, redis TLS + auth, 1 replica
let two: Synthed; // aurora-mysql
let sandbox: Synthed;
let plainRedis: Synthed; // no TLS, no auth, no replica

beforeAll(async () => {
  platform = await synth(environment('platform'));
  two = await synth(environment('two-service'));
  sandbox = await synth(environment('sandbox'));
  plainRedis = await synth(
    environment('platform', (e) => {
      e.cache = { ...e.cache, transitEncryption: false, authToken: false, replicas: 0 };
      e.services[0].secrets = { REDIS_URL: '@redis:url' };
    }),
  );
});
afterAll(() => [platform, two, sandbox, plainRedis].forEach((s) => s?.cleanup()));

describe('data stack (Aurora Serverless v2)', () => {
  it('is an encrypted provisioned-mode cluster with serverless v2 scaling and an RDS-managed master password', () => {
    const c = platform.resource('data', 'aws_rds_cluster');
    expect(c).toMatchObject({
      cluster_identifier: 'chatbot-platform-db',
      engine: 'aurora-postgresql',
      engine_mode: 'provisioned',
      engine_version: '16.6',
      storage_encrypted: true,
      manage_master_user_password: true,
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 4 },
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ['postgresql'],
      port: 5432,
    });
    expect(c.master_password).toBeUndefined();
    expect(c.preferred_backup_window).toMatch(/^\d\d:\d\d-\d\d:\d\d$/);
    expect(c.preferred_maintenance_window).toMatch(/^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$/);
    expect(platform.ref('data', c.vpc_security_group_ids[0])).toBe('security:${aws_security_group.security_db.id}');
    expect(
      Testing.toHaveResourceWithProperties(platform.text('data'), 'aws_rds_cluster_instance', {
        instance_class: 'db.serverless',
        engine: 'aurora-postgresql',
        publicly_accessible: false,
        cluster_identifier: '${aws_rds_cluster.data_cluster.id}',
      }),
    ).toBe(true);
  });

  it('puts the cluster in the database subnets', () => {
    const g = platform.resource('data', 'aws_db_subnet_group');
    expect(g.name).toBe('chatbot-platform-db');
    expect(g.subnet_ids.map((x: string) => platform.ref('data', x))).toEqual([
      'network:${aws_subnet.network_subnet-database-0.id}',
      'network:${aws_subnet.network_subnet-database-1.id}',
    ]);
  });

  it('keeps deletion protection and a final snapshot outside the sandbox, and drops both in it', () => {
    expect(platform.resource('data', 'aws_rds_cluster')).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      // the cluster's creation time, recorded once by terraform: a re-created environment's destroy does not collide with the first one's snapshot
      final_snapshot_identifier:
        'chatbot-platform-db-final-${formatdate("YYYYMMDDhhmm", terraform_data.data_cluster-created.output["at"])}',
    });
    expect(platform.resource('data', 'terraform_data')).toMatchObject({
      input: { at: '${timestamp()}' },
      lifecycle: { ignore_changes: ['input'] },
    });
    const s = sandbox.resource('data', 'aws_rds_cluster');
    expect(s).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(s.final_snapshot_identifier).toBeUndefined();
    expect(sandbox.resources('data', 'terraform_data')).toEqual({});
  });

  it('exports the MySQL logs for aurora-mysql', () => {
    expect(two.resource('data', 'aws_rds_cluster')).toMatchObject({
      engine: 'aurora-mysql',
      engine_version: '8.0.mysql_aurora.3.08.0',
      port: 3306,
      enabled_cloudwatch_logs_exports: ['audit', 'error', 'slowquery'],
    });
  });

  it('outputs the RDS-managed secret ARN', () => {
    expect(platform.stacks.data.output.master_secret_arn.value).toBe('${aws_rds_cluster.data_cluster.master_user_secret[0].secret_arn}');
  });
});

describe('cache stack (ElastiCache Redis)', () => {
  it('encrypts in transit and at rest, requires an AUTH token, fails over across AZs with a replica', () => {
    const g = platform.resource('cache', 'aws_elasticache_replication_group');
    expect(g).toMatchObject({
      replication_group_id: 'chatbot-platform-redis',
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.micro',
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: 'true',
      port: 6379,
      snapshot_retention_limit: 1,
      auth_token: '${data.aws_secretsmanager_random_password.cache_auth-token.random_password}',
      lifecycle: { ignore_changes: ['auth_token'] },
    });
    expect(platform.ref('cache', g.security_group_ids[0])).toBe('security:${aws_security_group.security_cache.id}');
    const pw = platform.stacks.cache.data.aws_secretsmanager_random_password['cache_auth-token'];
    expect(pw).toMatchObject({ exclude_punctuation: true, include_space: false });
    expect(pw.password_length).toBeGreaterThanOrEqual(16);
    expect(pw.password_length).toBeLessThanOrEqual(128);
  });

  it('places the cache in the private subnets', () => {
    const sg = platform.resource('cache', 'aws_elasticache_subnet_group');
    expect(sg.name).toBe('chatbot-platform-cache');
    expect(sg.subnet_ids.map((x: string) => platform.ref('cache', x))).toEqual([
      'network:${aws_subnet.network_subnet-private-0.id}',
      'network:${aws_subnet.network_subnet-private-1.id}',
    ]);
  });

  it('keeps {host, port, password, url} in the redis secret, url rediss:// with no query string (incident 1), stable across plans', () => {
    const secret = platform.resource('cache', 'aws_secretsmanager_secret');
    expect(secret.name).toBe('chatbot/platform/redis');
    const v = platform.resource('cache', 'aws_secretsmanager_secret_version');
    const s: string = v.secret_string;
    const host = 'aws_elasticache_replication_group.cache_replication-group.primary_endpoint_address';
    const token = 'data.aws_secretsmanager_random_password.cache_auth-token.random_password';
    expect(s).toContain(`"host" = ${host}`);
    expect(s).toContain('"port" = 6379');
    expect(s).toContain(`"password" = ${token}`);
    expect(s).toContain(`"url" = "rediss://:\${${token}}@\${${host}}:6379/0"`);
    expect(s).not.toMatch(/6379\/0\?|ssl_cert_reqs/);
    expect(v.lifecycle.ignore_changes).toEqual(['secret_string']);
    expect(v.lifecycle.replace_triggered_by).toEqual(['aws_elasticache_replication_group.cache_replication-group.id']);
    expect(platform.stacks.cache.output.secret_arn.value).toBe('${aws_secretsmanager_secret.cache_secret.arn}');
  });

  it('uses redis:// with no token and no failover when TLS, AUTH and replicas are off', () => {
    const g = plainRedis.resource('cache', 'aws_elasticache_replication_group');
    expect(g).toMatchObject({
      transit_encryption_enabled: false,
      at_rest_encryption_enabled: 'true',
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      multi_az_enabled: false,
    });
    expect(g.auth_token).toBeUndefined();
    expect(plainRedis.stacks.cache.data?.aws_secretsmanager_random_password).toBeUndefined();
    const s: string = plainRedis.resource('cache', 'aws_secretsmanager_secret_version').secret_string;
    expect(s).toContain('"url" = "redis://${aws_elasticache_replication_group.cache_replication-group.primary_endpoint_address}:6379/0"');
    expect(s).toContain('"password" = ""');
  });

  it('never passes the token out of the cache stack (no output, no cross-stack reference)', () => {
    for (const s of [platform, two, sandbox]) {
      for (const [name, o] of Object.entries(s.stacks.cache.output as Record<string, { value: unknown }>)) {
        expect(JSON.stringify(o.value), name).not.toContain('random_password');
      }
    }
  });
});
