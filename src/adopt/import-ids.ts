/**
 * The id terraform imports each resource by (terraform-provider-aws 5.x, "Import" section of each
 * resource's page on registry.terraform.io). Only the composite ones need code; every other type
 * berth creates is imported by its AWS id (vpc-, subnet-, rtb-, igw-, nat-, eipalloc-, sg-, sgr-,
 * fl-, Z...), its ARN (load balancer, listener, listener rule, target group, certificate, secret,
 * SNS topic) or its name (log group, IAM role, DB/cache subnet group, parameter group, Aurora
 * cluster and instance, replication group, ECR repository, ECS cluster, alarm, dashboard, alias).
 * Pure.
 */

/** aws_route: `<route table id>_<destination CIDR>`. */
export const routeId = (routeTable: string, cidr: string) => `${routeTable}_${cidr}`;

/** aws_route_table_association (subnet): `<subnet id>/<route table id>`. */
export const associationId = (subnet: string, routeTable: string) => `${subnet}/${routeTable}`;

/** aws_iam_role_policy: `<role name>:<policy name>`. */
export const rolePolicyId = (role: string, policy: string) => `${role}:${policy}`;

/** aws_ecs_service: `<cluster name>/<service name>`. */
export const ecsServiceId = (cluster: string, service: string) => `${cluster}/${service}`;

/** aws_appautoscaling_target: `<namespace>/<resource id>/<dimension>`. */
export const scalableTargetId = (namespace: string, resourceId: string, dimension: string) => `${namespace}/${resourceId}/${dimension}`;

/** aws_appautoscaling_policy: `<namespace>/<resource id>/<dimension>/<policy name>`. */
export const scalingPolicyId = (namespace: string, resourceId: string, dimension: string, name: string) =>
  `${namespace}/${resourceId}/${dimension}/${name}`;

/** aws_route53_record: `<zone id>_<name without the final dot>_<type>`. */
export const recordId = (zone: string, name: string, type: string) => `${zone}_${name.replace(/\.$/, '')}_${type}`;

/** aws_secretsmanager_secret_version: `<secret ARN>|<version id>`. */
export const secretVersionId = (arn: string, version: string) => `${arn}|${version}`;
