/**
 * Aurora Serverless v2 (PostgreSQL or MySQL): a provisioned-mode cluster with a serverless v2
 * scaling range and one `db.serverless` writer, in the database subnets, behind the db security
 * group. The master password never appears in terraform: RDS generates it and keeps it in Secrets
 * Manager (`manage_master_user_password`); services read `username`/`password` from that secret.
 */
import { Construct } from 'constructs';
import { DataResource, Fn, Token } from 'cdktf';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group/index.js';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { DB_PORT } from './security.js';

export const AURORA_ENGINE = { postgresql: 'aurora-postgresql', mysql: 'aurora-mysql' } as const;
export const AURORA_LOG_EXPORTS = { postgresql: ['postgresql'], mysql: ['audit', 'error', 'slowquery'] } as const;

/**
 * The cluster parameter group family of an engine version (AWS: aurora-mysql8.0 for
 * 8.0.mysql_aurora.3.x, aurora-mysql5.7 for 5.7.mysql_aurora.2.x, aurora-postgresqlNN by major). Pure.
 */
export function parameterGroupFamily(engine: 'postgresql' | 'mysql', version: string): string {
  if (engine === 'mysql') return `aurora-mysql${/^5\.7/.test(version) ? '5.7' : '8.0'}`;
  return `aurora-postgresql${version.split('.')[0]}`;
}

/**
 * The cluster parameters that make every exported log hold something. Aurora MySQL writes the
 * `audit` log only with server_audit_logging=1 (Advanced Auditing; the events named in
 * server_audit_events), the `slowquery` log only with slow_query_log=1 (queries over
 * long_query_time seconds), both to files (log_output=FILE) that CloudWatch Logs export reads.
 * The `error` log and PostgreSQL's `postgresql` log are always written; PostgreSQL also logs
 * statements slower than log_min_duration_statement (ms) and its DDL.
 */
export const LOG_PARAMETERS = {
  mysql: [
    { name: 'server_audit_logging', value: '1' },
    { name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL' },
    { name: 'slow_query_log', value: '1' },
    { name: 'long_query_time', value: '2' },
    { name: 'log_output', value: 'FILE' },
  ],
  postgresql: [
    { name: 'log_min_duration_statement', value: '2000' },
    { name: 'log_statement', value: 'ddl' },
  ],
} as const;

export interface DataProps {
  env: EnvironmentConfig;
  /** The database subnets (one per AZ). */
  subnetIds: string[];
  /** The db security group (ingress from the app group only). */
  securityGroupId: string;
  /**
   * Refuse to delete the cluster. Default: `env.database.deletionProtection` (true), and always
   * false in a sandbox environment (the emulator must be torn down freely).
   */
  deletionProtection?: boolean;
  /** Daily backup window, UTC. Default: `18:00-19:00` (03:00-04:00 KST, low traffic). */
  preferredBackupWindow?: string;
  /** Weekly maintenance window, UTC; does not overlap the backup window. Default: `sun:19:30-sun:20:30`. */
  preferredMaintenanceWindow?: string;
  /**
   * Snapshot taken when the cluster is destroyed. Default: `names(env).dbFinalSnapshot` followed by
   * the cluster's creation time, `<app>-<env>-db-final-<YYYYMMDDhhmm>` (recorded once, at the first
   * apply, in a `terraform_data` resource), so destroying an environment that was destroyed and
   * re-created before does not collide with the first one's final snapshot. Synth stays
   * deterministic: the time is terraform's, not the synth's. A sandbox skips the final snapshot.
   */
  finalSnapshotIdentifier?: string;
  /** `berth adopt` keeps the cluster's own master password (it may have no RDS-managed secret). */
  masterPasswordKept?: boolean;
}

/**
 * Secure defaults: `storage_encrypted` (the account's aws/rds key), RDS-managed master password,
 * `copy_tags_to_snapshot`, CloudWatch log exports (postgresql, or audit/error/slowquery for MySQL)
 * with the cluster parameters that fill them (LOG_PARAMETERS), IAM database authentication allowed,
 * backups for `env.database.backupRetentionDays` (7), no major version upgrades by terraform,
 * the writer not publicly accessible with minor version upgrades on.
 */
export class Data extends Construct {
  readonly clusterIdentifier: string;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  readonly databaseName: string;
  /** ARN of the RDS-managed master secret ({username, password}); on an adopted cluster without one, the map's credentials secret, else "". */
  readonly masterSecretArn: string;
  /** ARN of the credentials secret the resource map pins (`resources.database.secret`), read, never managed here. */
  readonly credentialsSecretArn?: string;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const db = env.database;
    const engine = AURORA_ENGINE[db.engine];

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: n.dbSubnetGroup,
      description: `Database subnets of ${n.prefix}`,
      subnetIds: props.subnetIds,
    });

    // When the cluster was first created, kept in state (ignore_changes): names its final snapshot.
    const created =
      env.sandbox || props.finalSnapshotIdentifier
        ? undefined
        : new DataResource(this, 'cluster-created', { input: { at: Fn.timestamp() }, lifecycle: { ignoreChanges: ['input'] } });
    const finalSnapshot =
      props.finalSnapshotIdentifier ??
      (created ? `${n.dbFinalSnapshot}-${Fn.formatdate('YYYYMMDDhhmm', Token.asString(created.output.lookup('at')))}` : undefined);

    const parameters = new RdsClusterParameterGroup(this, 'parameters', {
      name: n.dbCluster,
      family: parameterGroupFamily(db.engine, db.version),
      description: `Cluster parameters of ${n.prefix}: the settings that produce the exported logs`,
      parameter: LOG_PARAMETERS[db.engine].map((p) => ({ name: p.name, value: p.value, applyMethod: 'immediate' })),
      tags: { Name: n.dbCluster },
    });

    const cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: n.dbCluster,
      engine,
      engineMode: 'provisioned',
      engineVersion: db.version,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      manageMasterUserPassword: true,
      port: DB_PORT[db.engine],
      dbSubnetGroupName: subnetGroup.name,
      dbClusterParameterGroupName: parameters.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      storageEncrypted: true,
      iamDatabaseAuthenticationEnabled: true,
      serverlessv2ScalingConfiguration: { minCapacity: db.minCapacity, maxCapacity: db.maxCapacity },
      backupRetentionPeriod: db.backupRetentionDays,
      preferredBackupWindow: props.preferredBackupWindow ?? '18:00-19:00',
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:19:30-sun:20:30',
      enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS[db.engine]],
      deletionProtection: env.sandbox ? false : (props.deletionProtection ?? db.deletionProtection),
      copyTagsToSnapshot: true,
      skipFinalSnapshot: env.sandbox,
      finalSnapshotIdentifier: env.sandbox ? undefined : finalSnapshot,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      tags: { Name: n.dbCluster },
    });

    new RdsClusterInstance(this, 'writer', {
      identifier: n.dbWriterInstance,
      clusterIdentifier: cluster.id,
      instanceClass: 'db.serverless',
      engine,
      engineVersion: cluster.engineVersion,
      dbSubnetGroupName: subnetGroup.name,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      promotionTier: 0,
      tags: { Name: n.dbWriterInstance },
    });

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = DB_PORT[db.engine];
    this.databaseName = db.databaseName;
    // An adopted cluster keeps its own master password (src/adopt/keep.ts): RDS may manage no secret,
    // and the output is then "" instead of an invalid index failing every plan.
    // `@database` then falls back to the credentials secret the map pins (the one the platform's
    // services already read), which an existing platform keeps current with its own password.
    const pinned = n.databaseSecret;
    this.credentialsSecretArn = pinned
      ? new DataAwsSecretsmanagerSecret(this, 'credentials', pinned.startsWith('arn:') ? { arn: pinned } : { name: pinned }).arn
      : undefined;
    const managed = cluster.masterUserSecret.get(0).secretArn;
    this.masterSecretArn = props.masterPasswordKept ? Fn.try([managed, this.credentialsSecretArn ?? '']) : managed;
  }
}
