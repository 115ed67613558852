import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Json, type Synthed } from './helpers.js';

let platform: Synthed;
let two: Synthed;
let arm: Synthed;

beforeAll(async () => {
  platform = await synth(environment('platform'));
  two = await synth(environment('two-service'));
  arm = await synth(
    environment('platform', (e) => ((e.services[0].cpuArchitecture = 'ARM64'), (e.services[0].healthCheck = { gracePeriodSeconds: 900 }))),
  );
});
afterAll(() => [platform, two, arm].forEach((s) => s?.cleanup()));

const containers = (s: Synthed, svc: string): Json[] =>
  JSON.parse(s.resource('service', 'aws_ecs_task_definition', `_${svc}-task-definition`).container_definitions);
const DB_SECRET = 'data:${aws_rds_cluster.data_cluster.master_user_secret[0].secret_arn}';
const REDIS_SECRET = 'cache:${aws_secretsmanager_secret.cache_secret.arn}';

/** Resolve every `${remote state}` inside a string to `<stack>:<expr>` (for embedded JSON). */
function resolveAll(s: Synthed, text: string): string {
  return text.replace(/\$\{data\.terraform_remote_state\.[^}]+\}/g, (m) => s.ref('service', m));
}

describe('service stack: task definitions', () => {
  it("is Fargate/awsvpc with the service's cpu, memory and an explicit runtime platform (incident 4)", () => {
    const td = platform.resource('service', 'aws_ecs_task_definition');
    expect(td).toMatchObject({
      family: 'chatbot-platform-api',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '512',
      memory: '2048',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
      execution_role_arn: '${aws_iam_role.service_api-execution-role.arn}',
      task_role_arn: '${aws_iam_role.service_api-task-role.arn}',
    });
    expect(arm.resource('service', 'aws_ecs_task_definition').runtime_platform.cpu_architecture).toBe('ARM64');
  });

  it("keeps old revisions, and berth's healthy/failed marks on the revision it registered are not drift (a plan after a deploy stays empty)", () => {
    const td = platform.resource('service', 'aws_ecs_task_definition');
    expect(td.skip_destroy).toBe(true);
    expect(td.lifecycle).toEqual({ ignore_changes: ['tags["berth:healthy-at"]', 'tags["berth:failed-at"]'] });
  });

  it('runs one essential, unprivileged container from the service repository with its port', () => {
    const [c, ...rest] = containers(platform, 'api');
    expect(rest).toHaveLength(0);
    expect(c).toMatchObject({
      name: 'api',
      essential: true,
      privileged: false,
      readonlyRootFilesystem: false,
      portMappings: [{ containerPort: 8001, hostPort: 8001, protocol: 'tcp' }],
    });
    expect(c.user).toBeUndefined();
    expect(resolveAll(platform, c.image)).toBe('registry:${aws_ecr_repository.registry_repo-chatbot-api.repository_url}:latest');
  });

  it('passes secrets as valueFrom ARNs (":key::" for a JSON key) and NEVER in the environment', () => {
    const c = containers(platform, 'api')[0];
    const secrets = Object.fromEntries(c.secrets.map((x: Json) => [x.name, resolveAll(platform, x.valueFrom)]));
    expect(secrets).toEqual({
      DATABASE_USERNAME: `${DB_SECRET}:username::`,
      DATABASE_PASSWORD: `${DB_SECRET}:password::`,
      REDIS_URL: `${REDIS_SECRET}:url::`,
      OPENAI_API_KEY: '${aws_secretsmanager_secret.service_secret-chatbot-openai.arn}:api_key::',
    });
    const envNames = c.environment.map((x: Json) => x.name);
    for (const name of Object.keys(secrets)) expect(envNames).not.toContain(name);
    for (const e of c.environment) expect(String(e.value)).not.toMatch(/secret|random_password/i);
  });

  it('sets plain environment values plus the non-secret DATABASE_* and REDIS_* connection values', () => {
    const env = Object.fromEntries(containers(platform, 'api')[0].environment.map((x: Json) => [x.name, resolveAll(platform, x.value)]));
    expect(env).toEqual({
      LOG_LEVEL: 'info',
      DATABASE_HOST: 'data:${aws_rds_cluster.data_cluster.endpoint}',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'app',
      REDIS_HOST: 'cache:${aws_elasticache_replication_group.cache_replication-group.primary_endpoint_address}',
      REDIS_PORT: '6379',
    });
    const web = Object.fromEntries(containers(two, 'web')[0].environment.map((x: Json) => [x.name, x.value]));
    expect(web.API_BASE_PATH).toBe('/api');
    expect(web.DATABASE_PORT).toBe('3306');
  });

  it('logs to the service log group with awslogs (region, stream prefix = service name)', () => {
    const c = containers(platform, 'api')[0];
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '${aws_cloudwatch_log_group.service_api-logs.name}',
        'awslogs-region': 'ap-northeast-2',
        'awslogs-stream-prefix': 'api',
      },
    });
    expect(platform.resource('service', 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/ecs/chatbot-platform/api',
      retention_in_days: 7,
    });
  });

  it('health-checks the container with curl on its health path, start period = grace period (capped at 300 s)', () => {
    expect(containers(platform, 'api')[0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8001/health || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    expect(containers(two, 'api')[0].healthCheck.command).toEqual(['CMD-SHELL', 'curl -f http://localhost:8000/api/v1/health || exit 1']);
    expect(containers(arm, 'api')[0].healthCheck.startPeriod).toBe(300);
  });
});

describe('service stack: roles', () => {
  const policyOf = (s: Synthed, svc: string) => JSON.parse(s.resource('service', 'aws_iam_role_policy', `_${svc}-execution-policy`).policy);

  it('lets the execution role read EXACTLY the secrets the service names', () => {
    const stmt = (s: Synthed, svc: string) =>
      policyOf(s, svc).Statement.filter((x: Json) => JSON.stringify(x.Action).includes('secretsmanager'));
    const api = stmt(platform, 'api');
    expect(api).toHaveLength(1);
    expect(api[0].Action).toEqual(['secretsmanager:GetSecretValue']);
    expect(api[0].Resource.map((r: string) => resolveAll(platform, r)).sort()).toEqual(
      [DB_SECRET, REDIS_SECRET, '${aws_secretsmanager_secret.service_secret-chatbot-openai.arn}'].sort(),
    );
    // two-service: web names no secret, api names database, redis and the JWT key.
    expect(stmt(two, 'web')).toHaveLength(0);
    expect(
      stmt(two, 'api')[0]
        .Resource.map((r: string) => resolveAll(two, r))
        .sort(),
    ).toEqual([DB_SECRET, REDIS_SECRET, '${aws_secretsmanager_secret.service_secret-lawfirm-jwt.arn}'].sort());
    // Nothing else in any policy touches secrets or uses a wildcard beyond ECR's auth token.
    for (const [s, svc] of [
      [platform, 'api'],
      [two, 'web'],
      [two, 'api'],
    ] as const) {
      for (const st of policyOf(s, svc).Statement) if (st.Resource === '*') expect(st.Action).toEqual(['ecr:GetAuthorizationToken']);
    }
  });

  it('scopes ECR pull to the service repository and logs to its own group', () => {
    const st = policyOf(platform, 'api').Statement;
    const pull = st.find((x: Json) => x.Action.includes('ecr:BatchGetImage'));
    expect(resolveAll(platform, pull.Resource)).toBe('registry:${aws_ecr_repository.registry_repo-chatbot-api.arn}');
    const logs = st.find((x: Json) => x.Action.includes('logs:PutLogEvents'));
    expect(logs.Action.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(logs.Resource).toEqual([
      '${aws_cloudwatch_log_group.service_api-logs.arn}',
      '${aws_cloudwatch_log_group.service_api-logs.arn}:*',
    ]);
  });

  it('creates each operator-filled secret once, empty, and a task role with no policy', () => {
    const secrets = platform.resources('service', 'aws_secretsmanager_secret');
    expect(Object.values(secrets).map((s) => s.name)).toEqual(['chatbot/openai']);
    expect(platform.resources('service', 'aws_secretsmanager_secret_version')).toEqual({});
    const roles = platform.resources('service', 'aws_iam_role');
    expect(roles['service_api-task-role'].name).toBe('chatbot-platform-api-task');
    expect(roles['service_api-execution-role'].name).toBe('chatbot-platform-api-exec');
    const { 'service_ecs-infrastructure-role': infra, ...taskRoles } = roles;
    for (const r of Object.values(taskRoles))
      expect(JSON.parse(r.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
    const policies = Object.values(platform.resources('service', 'aws_iam_role_policy'));
    expect(policies.map((p) => p.role)).toEqual(['${aws_iam_role.service_api-execution-role.id}']);
    // The ECS infrastructure role for load balancers: ECS itself, with AWS's managed policy and nothing else.
    expect(infra.name).toBe('chatbot-platform-ecs-infrastructure');
    expect(JSON.parse(infra.assume_role_policy).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(Object.values(platform.resources('service', 'aws_iam_role_policy_attachment'))).toEqual([
      expect.objectContaining({
        role: '${aws_iam_role.service_ecs-infrastructure-role.name}',
        policy_arn:
          'arn:${data.aws_partition.service_partition.partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers',
      }),
    ]);
    expect(platform.stacks.service.output.ecs_infrastructure_role_arn.value).toBe('${aws_iam_role.service_ecs-infrastructure-role.arn}');
  });
});

describe('service stack: ECS services and scaling', () => {
  it('enables Container Insights on the cluster', () => {
    expect(platform.resource('service', 'aws_ecs_cluster')).toMatchObject({
      name: 'chatbot-platform',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
  });

  it('runs each service on Fargate in the private subnets, no public IP, behind its target group, with circuit breaker + rollback', () => {
    for (const [s, svc, port] of [
      [platform, 'api', 8001],
      [two, 'web', 8501],
      [two, 'api', 8000],
    ] as const) {
      const es = s.resource('service', 'aws_ecs_service', `_${svc}-service`);
      expect(es).toMatchObject({
        name: svc,
        launch_type: 'FARGATE',
        deployment_circuit_breaker: { enable: true, rollback: true },
        deployment_minimum_healthy_percent: 100,
        deployment_maximum_percent: 200,
        enable_execute_command: false,
        propagate_tags: 'SERVICE',
        wait_for_steady_state: false,
        lifecycle: { ignore_changes: ['task_definition', 'desired_count', 'load_balancer'] },
      });
      // deployment.alarms: modelled by the provider, so terraform owns them (and berth sends the same at every release).
      if (s === two && svc === 'api')
        expect(es.alarms).toEqual({ alarm_names: ['lawfirm-two-service-api-unhealthy-hosts'], enable: true, rollback: true });
      else expect(es.alarms).toBeUndefined();
      expect(es.health_check_grace_period_seconds).toBe(60);
      expect(es.network_configuration.assign_public_ip).toBe(false);
      expect(es.network_configuration.subnets.map((x: string) => s.ref('service', x))).toEqual([
        'network:${aws_subnet.network_subnet-private-0.id}',
        'network:${aws_subnet.network_subnet-private-1.id}',
      ]);
      expect(es.network_configuration.security_groups.map((x: string) => s.ref('service', x))).toEqual([
        'security:${aws_security_group.security_app.id}',
      ]);
      expect(es.load_balancer).toHaveLength(1);
      expect(es.load_balancer[0]).toMatchObject({ container_name: svc, container_port: port });
      expect(s.ref('service', es.load_balancer[0].target_group_arn)).toBe(`edge:\${aws_lb_target_group.edge_tg-${svc}.arn}`);
    }
  });

  it('autoscales between min and max on CPU and memory target tracking with the cooldowns', () => {
    const t = platform.resource('service', 'aws_appautoscaling_target');
    expect(t).toMatchObject({
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: 1,
      max_capacity: 4,
      resource_id: 'service/${aws_ecs_cluster.service_cluster.name}/${aws_ecs_service.service_api-service.name}',
    });
    const policies = Object.values(platform.resources('service', 'aws_appautoscaling_policy'));
    const byMetric = Object.fromEntries(
      policies.map((p) => [p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type, p]),
    );
    expect(Object.keys(byMetric).sort()).toEqual(['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']);
    expect(byMetric.ECSServiceAverageCPUUtilization.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 70,
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
    });
    expect(byMetric.ECSServiceAverageMemoryUtilization.target_tracking_scaling_policy_configuration).toMatchObject({ target_value: 80 });
    for (const p of policies)
      expect(p).toMatchObject({
        policy_type: 'TargetTrackingScaling',
        resource_id: '${aws_appautoscaling_target.service_api-scaling-target.resource_id}',
      });
    expect(two.resource('service', 'aws_appautoscaling_target', '_api-scaling-target')).toMatchObject({
      min_capacity: 2,
      max_capacity: 10,
    });
  });

  it('outputs the cluster and, per service, name, family, log group, target group and repository URL', () => {
    const out = two.stacks.service.output;
    expect(out.cluster_name.value).toBe('${aws_ecs_cluster.service_cluster.name}');
    expect(out.cluster_arn.value).toBe('${aws_ecs_cluster.service_cluster.arn}');
    expect(Object.keys(out.services.value).sort()).toEqual(['api', 'web']);
    expect(Object.keys(out.services.value.api).sort()).toEqual([
      'logGroup',
      'repositoryUrl',
      'serviceName',
      'targetGroupArn',
      'taskFamily',
    ]);
    expect(two.ref('service', out.services.value.api.targetGroupArn)).toBe('edge:${aws_lb_target_group.edge_tg-api.arn}');
  });
});
