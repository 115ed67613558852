/**
 * What adopting keeps as it is: per resource type, the arguments terraform's AWS provider (5.x)
 * can change only by destroying and re-creating the resource (ForceNew in the provider's schema:
 * a subnet's CIDR and zone, a security group's name and description, an Aurora cluster's engine,
 * master user and encryption, a target group's port and protocol...), plus the few whose change
 * would cut a running platform off from itself (the cluster's managed master password: the
 * application's own secret holds the current one; a cache's transit encryption: clients connect
 * with or without TLS). An imported resource ignores changes to these (lifecycle.ignore_changes),
 * so `berth plan` shows no replacement for them. Pure data.
 */
export const KEEP: Readonly<Record<string, readonly string[]>> = {
  aws_vpc: ['cidr_block'],
  aws_subnet: ['cidr_block', 'availability_zone', 'vpc_id'],
  aws_route_table: ['vpc_id'],
  aws_route: ['destination_cidr_block'],
  aws_nat_gateway: ['allocation_id', 'subnet_id', 'connectivity_type'],
  aws_eip: ['domain'],
  aws_default_security_group: ['vpc_id'],
  aws_flow_log: ['log_destination', 'log_destination_type', 'traffic_type', 'iam_role_arn', 'vpc_id'],
  aws_security_group: ['name', 'description', 'vpc_id'],
  aws_cloudwatch_log_group: ['name'],
  aws_iam_role: ['name'],
  aws_iam_role_policy: ['name', 'role'],
  // A running cluster is not moved to other subnets by an apply (AWS refuses removing subnets in use).
  aws_db_subnet_group: ['name', 'subnet_ids'],
  aws_rds_cluster_parameter_group: ['name', 'family', 'description'],
  aws_rds_cluster: [
    'cluster_identifier',
    'engine',
    'engine_mode',
    'database_name',
    'master_username',
    'storage_encrypted',
    'db_subnet_group_name',
    'availability_zones',
    'kms_key_id',
    'port',
    'manage_master_user_password',
  ],
  aws_rds_cluster_instance: ['identifier', 'engine', 'cluster_identifier', 'db_subnet_group_name', 'availability_zone'],
  aws_elasticache_subnet_group: ['name'],
  aws_elasticache_replication_group: [
    'replication_group_id',
    'engine',
    'port',
    'at_rest_encryption_enabled',
    'transit_encryption_enabled',
    'subnet_group_name',
    'kms_key_id',
  ],
  aws_secretsmanager_secret: ['name'],
  aws_secretsmanager_secret_version: ['secret_string'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_ecs_cluster: ['name'],
  aws_ecs_service: ['name', 'cluster', 'launch_type', 'deployment_controller', 'load_balancer'],
  aws_appautoscaling_target: ['resource_id', 'scalable_dimension', 'service_namespace'],
  aws_appautoscaling_policy: ['name', 'resource_id', 'scalable_dimension', 'service_namespace'],
  aws_lb: ['name', 'internal', 'load_balancer_type'],
  aws_lb_target_group: ['name', 'port', 'protocol', 'protocol_version', 'target_type', 'vpc_id'],
  aws_lb_listener: ['load_balancer_arn'],
  aws_lb_listener_rule: ['listener_arn'],
  aws_route53_zone: ['name'],
  aws_route53_record: ['name', 'type'],
  aws_acm_certificate: ['domain_name', 'subject_alternative_names', 'key_algorithm', 'validation_method'],
  aws_cloudwatch_metric_alarm: ['alarm_name'],
  aws_cloudwatch_dashboard: ['dashboard_name'],
  aws_sns_topic: ['name'],
  aws_sns_topic_policy: ['arn'],
  aws_kms_alias: ['name'],
};

/** The attributes an imported resource of this type keeps as they are. */
export function keepFor(type: string): string[] {
  return [...(KEEP[type] ?? [])];
}
