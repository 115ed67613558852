/**
 * What berth calls of @aws-sdk/client-cloudwatch. Imported through this file, the bundled CLI (scripts/build.mjs)
 * carries these classes only, not the whole API of the service.
 */
export { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
