/**
 * What berth calls of @aws-sdk/client-rds. Imported through this file, the bundled CLI (scripts/build.mjs)
 * carries these classes only, not the whole API of the service.
 */
export {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
