/**
 * ElastiCache Redis (cluster mode off) in the private subnets behind the cache security group, and
 * the Secrets Manager secret services read it through: JSON {host, port, password, url}.
 *
 * The URL is `rediss://:<token>@<primary endpoint>:6379/0` with TLS on (`redis://` with TLS off)
 * and NEVER carries a query string: incident 1 of the runbooks (`?ssl_cert_reqs=none` broke the
 * client library). Clients pass TLS options explicitly.
 *
 * The AUTH token: the offline mirror has only hashicorp/aws, so no `random` provider. It comes from
 * `data aws_secretsmanager_random_password` (64 letters and digits: valid for ElastiCache, safe in a
 * URL). A data source is read on every plan and returns a new value each time, so the replication
 * group ignores changes to `auth_token` and the secret version ignores changes to `secret_string`:
 * plans stay stable and the token in the secret stays the one Redis was created with. When the
 * replication group is replaced, `replace_triggered_by` replaces the secret version in the same
 * apply, from the same data-source read, so the two never disagree. Rotating the token is a
 * deliberate operation (`-replace` of both), not a side effect of a plan.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { REDIS_PORT } from './security.js';

export interface CacheProps {
  env: EnvironmentConfig;
  /** The private subnets (one per AZ). */
  subnetIds: string[];
  /** The cache security group (6379 from the app group only). */
  securityGroupId: string;
  /** Daily snapshot window, UTC. Default: `17:00-18:00`. */
  snapshotWindow?: string;
  /** Weekly maintenance window, UTC; does not overlap the snapshot window. Default: `sun:20:30-sun:21:30`. */
  maintenanceWindow?: string;
  /** AUTH token length (16-128). Default: 64. */
  authTokenLength?: number;
  /**
   * Days Secrets Manager keeps the deleted Redis secret recoverable. Default: 0 (deleted for good
   * on destroy): berth generates everything in it, and the replication group it points at is
   * destroyed with it, so nothing is lost; and a window would keep the name taken, so that an
   * environment destroyed and created again the same day would fail to create it.
   */
  secretRecoveryWindowDays?: number;
}

/**
 * Secure defaults: `at_rest_encryption_enabled` always; `transit_encryption_enabled` and an AUTH
 * token per `env.cache` (both on by default); `num_cache_clusters` = 1 + replicas, with automatic
 * failover and Multi-AZ on as soon as there is a replica; snapshots kept
 * `env.cache.snapshotRetentionDays` (1); minor version upgrades on; changes wait for the window.
 */
export class Cache extends Construct {
  readonly replicationGroupId: string;
  readonly primaryEndpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  /** ARN of the secret {host, port, password, url}. */
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const c = env.cache;
    const withReplicas = c.replicas >= 1;

    const subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: n.cacheSubnetGroup,
      description: `Cache subnets of ${n.prefix}`,
      subnetIds: props.subnetIds,
    });

    const token = c.authToken
      ? new DataAwsSecretsmanagerRandomPassword(this, 'auth-token', {
          passwordLength: props.authTokenLength ?? 64,
          excludePunctuation: true,
          includeSpace: false,
          requireEachIncludedType: true,
        }).randomPassword
      : undefined;

    const group = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: n.cacheReplicationGroup,
      description: `Redis of ${n.prefix}`,
      engine: 'redis',
      engineVersion: c.engineVersion,
      nodeType: c.nodeType,
      port: REDIS_PORT,
      numCacheClusters: 1 + c.replicas,
      automaticFailoverEnabled: withReplicas,
      multiAzEnabled: withReplicas,
      transitEncryptionEnabled: c.transitEncryption,
      atRestEncryptionEnabled: 'true',
      authToken: token,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [props.securityGroupId],
      snapshotRetentionLimit: c.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow ?? '17:00-18:00',
      maintenanceWindow: props.maintenanceWindow ?? 'sun:20:30-sun:21:30',
      autoMinorVersionUpgrade: 'true',
      applyImmediately: false,
      tags: { Name: n.cacheReplicationGroup },
      lifecycle: token ? { ignoreChanges: ['auth_token'] } : undefined,
    });

    const secret = new SecretsmanagerSecret(this, 'secret', {
      name: n.redisSecret,
      description: `Connection to the Redis of ${n.prefix}: JSON {host, port, password, url}`,
      recoveryWindowInDays: props.secretRecoveryWindowDays ?? 0,
      tags: { 'berth-secret': 'generated' },
    });
    const scheme = c.transitEncryption ? 'rediss' : 'redis';
    const host = group.primaryEndpointAddress;
    const auth = token ? `:${token}@` : '';
    const version = new SecretsmanagerSecretVersion(this, 'secret-value', {
      secretId: secret.id,
      secretString: Fn.jsonencode({
        host,
        port: REDIS_PORT,
        password: token ?? '',
        url: `${scheme}://${auth}${host}:${REDIS_PORT}/0`,
      }),
      lifecycle: token ? { ignoreChanges: ['secret_string'] } : undefined,
    });
    if (token) {
      // The group's `id` is unknown only when the group is (re)created, so this replaces the secret
      // value exactly then, not on an in-place update of the group. JSON syntax wants a bare
      // reference here, hence the override instead of `replaceTriggeredBy` (which writes "${...}").
      version.addOverride('lifecycle.replace_triggered_by', [`${group.terraformResourceType}.${group.friendlyUniqueId}.id`]);
    }

    this.replicationGroupId = group.id;
    this.primaryEndpoint = host;
    this.readerEndpoint = group.readerEndpointAddress;
    this.port = REDIS_PORT;
    this.secretArn = secret.arn;
  }
}
