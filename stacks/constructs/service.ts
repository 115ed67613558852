/**
 * The ECS cluster and, per service: its log group, execution role, task role, task definition,
 * Fargate service behind its target group, and target-tracking autoscaling on CPU and memory.
 * Secrets the services name that are not the platform's own (`@database`, `@redis`) are created
 * here, empty: the operator fills them in (`aws secretsmanager put-secret-value`).
 */
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { TERRAFORM_DEPLOYMENT } from '../../src/config/deployment-ecs.js';
import { names, serviceNames } from '../../src/config/names.js';
import { FAILED_TAG, HEALTHY_TAG, TERRAFORM_REVISION_TAG } from '../../src/config/revision-tags.js';
import type { EnvironmentConfig, ServiceConfig } from '../../src/config/types.js';

/** A service's secret reference, parsed: `<secret>[:<json key>]`. Pure. */
export interface SecretRef {
  env: string;
  secret: string;
  key?: string;
}

export function parseSecretRefs(svc: ServiceConfig): SecretRef[] {
  return Object.keys(svc.secrets)
    .sort()
    .map((name) => {
      const ref = svc.secrets[name]!;
      const i = ref.indexOf(':');
      return i < 0 ? { env: name, secret: ref } : { env: name, secret: ref.slice(0, i), key: ref.slice(i + 1) };
    });
}

/** A secret's name from its name or ARN (`arn:…:secret:<name>-<6 random characters>`). */
const secretName = (nameOrArn: string) =>
  nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? nameOrArn).replace(/-[A-Za-z0-9]{6}$/, '') : nameOrArn;

/**
 * The data stores' secrets a service may name directly (a platform berth did not build: its
 * services read `rag-backend/redis:password`): the database credentials secret the resource map
 * pins (read by the data stack) and the Redis connection secret (the cache stack's). Store role ->
 * secret name. Pure.
 */
function storeSecrets(env: EnvironmentConfig): { database?: string; redis: string } {
  const n = names(env);
  return { ...(n.databaseSecret ? { database: secretName(n.databaseSecret) } : {}), redis: secretName(n.redisSecret) };
}

/**
 * The operator-filled secrets of an environment: every named secret other than @database/@redis and
 * the stores' own secrets (storeSecrets), which their stacks hold: declaring one again here would
 * create a second copy of an existing secret (ResourceExistsException). Pure.
 */
export function operatorSecrets(env: EnvironmentConfig): string[] {
  const stores = new Set(Object.values(storeSecrets(env)));
  const out = new Set<string>();
  for (const svc of env.services)
    for (const r of parseSecretRefs(svc)) if (!r.secret.startsWith('@') && !stores.has(r.secret)) out.add(r.secret);
  return [...out].sort();
}

/** ECS container health check limits: interval 5-300, timeout 2-60, retries 1-10, start period 0-300. */
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface ServiceProps {
  env: EnvironmentConfig;
  /** The private subnets the tasks run in (no public IPs). */
  privateSubnetIds: string[];
  /** The app security group. */
  securityGroupId: string;
  /** Target group ARN per service name (edge stack). */
  targetGroupArns: Record<string, string>;
  /** Repository URL and ARN per repository name (registry stack). */
  repositoryUrls: Record<string, string>;
  repositoryArns: Record<string, string>;
  /** The RDS-managed master secret ARN (`@database`). */
  databaseSecretArn: string;
  /** The database credentials secret the resource map pins (`resources.database.secret`), read by the data stack. */
  credentialsSecretArn?: string;
  /**
   * The cluster keeps its own master password (`berth adopt`): it may have no RDS-managed secret and
   * the map no credentials secret, and `databaseSecretArn` is then "". A task definition naming
   * `@database` refuses to plan then, saying why, instead of registering an empty secret ARN.
   */
  databaseSecretMayBeEmpty?: boolean;
  /** Writer endpoint, port and initial database: plain DATABASE_HOST/PORT/NAME for every container. */
  databaseHost: string;
  databasePort: number;
  databaseName: string;
  /** The Redis connection secret ARN (`@redis`). */
  redisSecretArn: string;
  /** Primary endpoint and port: plain REDIS_HOST/REDIS_PORT for every container. */
  redisHost: string;
  redisPort: number;
  /** Container Insights on the cluster. Default: true. */
  containerInsights?: boolean;
  /**
   * Keep old task definition revisions registered when terraform registers a new one. Default: true,
   * so that `berth rollback` can always return to a previous revision.
   */
  keepOldRevisions?: boolean;
  /** Days Secrets Manager keeps a deleted operator secret recoverable. Default: 30; 0 in a sandbox. */
  secretRecoveryWindowDays?: number;
}

export interface ServiceOutputs {
  serviceName: string;
  taskFamily: string;
  logGroup: string;
  repositoryUrl: string;
  targetGroupArn: string;
}

/**
 * Per-service secure defaults:
 * - task definition: Fargate, awsvpc, the service's cpu/memory, `runtimePlatform` LINUX + the stated
 *   CPU architecture (incident 4: exec format error); one essential container; `privileged` false;
 *   `user` unset (the image's own user); `readonlyRootFilesystem` FALSE on purpose: typical Python
 *   and Node images write to /tmp and caches, and no volume is mounted for them. Secrets arrive as
 *   `secrets[].valueFrom` ARNs (`<arn>:<json key>::`), never in `environment`; logs go to the
 *   service's log group via awslogs; the container health check curls the health path, with the
 *   grace period as its start period (capped at ECS's 300 s).
 * - execution role: ECR pull of the service's repository (+ GetAuthorizationToken, which has no
 *   resource scope), write to its own log group, GetSecretValue on EXACTLY the secrets the service
 *   names. Task role: assumable only by ECS tasks of this account, with no policy.
 * - service: private subnets, app security group, no public IP, circuit breaker with rollback,
 *   100/200 % deployment, the grace period, ECS Exec off, tags propagated from the service.
 *   terraform ignores `task_definition` and `desired_count` after creation: `berth deploy` and
 *   `berth rollback` own the running revision and autoscaling owns the count, so an apply never
 *   reverts a deploy or a scale-out; `load_balancer` too, since every release sends it with the
 *   alternate target group (advancedConfiguration, which the 5.x provider cannot express:
 *   docs/deployment-ownership.md). `alarms` = `deployment.alarms`, enabled with rollback. A change terraform makes to the task definition registers a
 *   new revision; the next deploy (which copies the family's latest revision and swaps the image)
 *   rolls it out. `wait_for_steady_state` is off: berth's own rollout watcher judges deployments.
 * - autoscaling: min..max with target tracking on average CPU and memory and the service's cooldowns.
 */
/** What every service of the environment shares: the cluster, the trust policies, the secrets. */
interface Shared {
  props: ServiceProps;
  cluster: EcsCluster;
  /** The assume-role policy of ECS tasks (with conditions: only this account's tasks). */
  ecsTrust: (conditions: boolean) => string;
  /** The ARN a secret reference resolves to. */
  secretArn: (r: SecretRef) => string;
}

export class Service extends Construct {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly services: Record<string, ServiceOutputs> = {};
  /** Secret ARN per operator-filled secret name. */
  readonly operatorSecretArns: Record<string, string> = {};
  /** The role ECS assumes to re-weight the listener rules in a blue/green, canary or linear release. */
  readonly infrastructureRoleArn: string;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const n = names(props.env);
    const cluster = new EcsCluster(this, 'cluster', {
      name: n.cluster,
      setting: [{ name: 'containerInsights', value: props.containerInsights === false ? 'disabled' : 'enabled' }],
      tags: { Name: n.cluster },
    });
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    const partition = new DataAwsPartition(this, 'partition', {}).partition;
    const shared: Shared = { props, cluster, ecsTrust: this.trustPolicy(props.env, partition), secretArn: this.secrets(props) };
    this.infrastructureRoleArn = this.infrastructureRole(props.env, partition);
    for (const svc of props.env.services) this.services[svc.name] = this.addService(shared, svc);
  }

  /** The ECS tasks' trust policy, with or without the account conditions. */
  private trustPolicy(env: EnvironmentConfig, partition: string): (conditions: boolean) => string {
    const account = new DataAwsCallerIdentity(this, 'account', {});
    return (conditions: boolean) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Action: 'sts:AssumeRole',
            ...(conditions
              ? {
                  Condition: {
                    StringEquals: { 'aws:SourceAccount': account.accountId },
                    ArnLike: { 'aws:SourceArn': `arn:${partition}:ecs:${env.region}:${account.accountId}:*` },
                  },
                }
              : {}),
          },
        ],
      });
  }

  /**
   * The ECS infrastructure role for load balancers: trusted by ecs.amazonaws.com, with the managed
   * policy AmazonECSInfrastructureRolePolicyForLoadBalancers (ECS developer guide), which lets ECS
   * modify the listener rules and register targets in a blue/green, canary or linear release.
   */
  private infrastructureRole(env: EnvironmentConfig, partition: string): string {
    const role = new IamRole(this, 'ecs-infrastructure-role', {
      name: names(env).ecsInfrastructureRole,
      description: `Assumed by ECS to shift traffic between the target groups of ${names(env).prefix} in a release`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowAccessToECSForInfrastructureManagement',
            Effect: 'Allow',
            Principal: { Service: 'ecs.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      tags: { 'berth-role': 'ecs-infrastructure' },
    });
    new IamRolePolicyAttachment(this, 'ecs-infrastructure-policy', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers`,
    });
    return role.arn;
  }

  /** The operator-filled secrets (created empty); returns how a reference resolves to an ARN. */
  private secrets(props: ServiceProps): (r: SecretRef) => string {
    const env = props.env;
    const n = names(env);
    const secrets: Record<string, SecretsmanagerSecret> = {};
    operatorSecrets(env).forEach((name) => {
      const users = env.services.filter((s) => parseSecretRefs(s).some((r) => r.secret === name)).map((s) => s.name);
      secrets[name] = new SecretsmanagerSecret(this, `secret-${name.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        name,
        description: `Read by ${users.join(', ')} of ${n.prefix}. Created empty by berth: put its value with aws secretsmanager put-secret-value.`,
        recoveryWindowInDays: props.secretRecoveryWindowDays ?? (env.sandbox ? 0 : 30),
        tags: { 'berth-secret': 'operator-filled', services: users.join(' ') },
      });
      this.operatorSecretArns[name] = secrets[name]!.arn;
    });
    const stores = storeSecrets(env);
    return (r: SecretRef) => {
      if (r.secret === '@database') return props.databaseSecretArn;
      if (r.secret === '@redis' || r.secret === stores.redis) return props.redisSecretArn;
      if (r.secret === stores.database) return props.credentialsSecretArn!;
      return secrets[r.secret]!.arn;
    };
  }

  /** One service: validated against the other stacks' outputs, then its log group, roles, task definition, service and scaling. */
  private addService(sh: Shared, svc: ServiceConfig): ServiceOutputs {
    const { props } = sh;
    const repoUrl = props.repositoryUrls[svc.repository];
    const repoArn = props.repositoryArns[svc.repository];
    const tgArn = props.targetGroupArns[svc.name];
    if (!repoUrl || !repoArn) throw new Error(`service ${svc.name}: no repository ${svc.repository} in the registry stack`);
    if (!tgArn) throw new Error(`service ${svc.name}: no target group in the edge stack`);
    const sn = serviceNames(props.env, svc);
    const logGroup = new CloudwatchLogGroup(this, `${svc.name}-logs`, {
      name: sn.logGroup,
      retentionInDays: svc.logRetentionDays,
      tags: { service: svc.name },
    });
    const execRole = this.executionRole(sh, svc, logGroup, repoArn);
    const taskRole = new IamRole(this, `${svc.name}-task-role`, {
      name: sn.taskRole,
      description: `Task role of ${names(props.env).prefix}/${svc.name}: least privilege (no policies until the application needs AWS APIs)`,
      assumeRolePolicy: sh.ecsTrust(true),
      tags: { service: svc.name },
    });
    const td = this.taskDefinition(sh, svc, this.container(sh, svc, logGroup, repoUrl), execRole, taskRole);
    const service = this.ecsService(sh, svc, td, tgArn);
    this.autoscaling(sh, svc, service);
    return { serviceName: service.name, taskFamily: td.family, logGroup: logGroup.name, repositoryUrl: repoUrl, targetGroupArn: tgArn };
  }

  /** The execution role: ECR pull of its repository, writes to its own log group, GetSecretValue on exactly its secrets. */
  private executionRole(sh: Shared, svc: ServiceConfig, logGroup: CloudwatchLogGroup, repoArn: string): IamRole {
    const env = sh.props.env;
    const k = svc.name;
    const execRole = new IamRole(this, `${k}-execution-role`, {
      name: serviceNames(env, svc).executionRole,
      description: `ECS task execution role of ${names(env).prefix}/${svc.name}: image pull, logs, its secrets`,
      assumeRolePolicy: sh.ecsTrust(false),
      tags: { service: svc.name },
    });
    const secretArns: string[] = [];
    const seen = new Set<string>();
    for (const r of parseSecretRefs(svc)) {
      if (seen.has(r.secret)) continue;
      seen.add(r.secret);
      secretArns.push(sh.secretArn(r));
    }
    const statements: object[] = [
      { Sid: 'EcrAuth', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      {
        Sid: 'EcrPull',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: repoArn,
      },
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [logGroup.arn, `${logGroup.arn}:*`],
      },
    ];
    if (secretArns.length)
      statements.push({ Sid: 'Secrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secretArns });
    new IamRolePolicy(this, `${k}-execution-policy`, {
      name: 'execution',
      role: execRole.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    return execRole;
  }

  /** The app container: image, port, platform endpoints as plain variables, secrets by reference, logs, health check. */
  private container(sh: Shared, svc: ServiceConfig, logGroup: CloudwatchLogGroup, repoUrl: string): object {
    const { props } = sh;
    const sn = serviceNames(props.env, svc);
    const platformEnv: Record<string, string> = {
      DATABASE_HOST: props.databaseHost,
      DATABASE_PORT: String(props.databasePort),
      DATABASE_NAME: props.databaseName,
      REDIS_HOST: props.redisHost,
      REDIS_PORT: String(props.redisPort),
    };
    const plain = { ...platformEnv, ...svc.environment };
    const environment = Object.keys(plain)
      .filter((name) => !(name in svc.secrets))
      .sort()
      .map((name) => ({ name, value: plain[name]! }));
    const hc = svc.healthCheck;
    return {
      name: sn.container,
      image: `${repoUrl}:${svc.imageTag}`,
      essential: true,
      portMappings: [{ containerPort: svc.port, hostPort: svc.port, protocol: 'tcp' }],
      environment,
      secrets: parseSecretRefs(svc).map((r) => ({ name: r.env, valueFrom: r.key ? `${sh.secretArn(r)}:${r.key}::` : sh.secretArn(r) })),
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': logGroup.name, 'awslogs-region': props.env.region, 'awslogs-stream-prefix': svc.name },
      },
      healthCheck: {
        command: ['CMD-SHELL', `curl -f http://localhost:${svc.port}${svc.healthPath} || exit 1`],
        interval: clamp(hc.intervalSeconds, 5, 300),
        timeout: clamp(hc.timeoutSeconds, 2, 60),
        retries: clamp(hc.unhealthyThreshold, 1, 10),
        startPeriod: clamp(hc.gracePeriodSeconds, 0, 300),
      },
      privileged: false,
      readonlyRootFilesystem: false,
    };
  }

  private taskDefinition(sh: Shared, svc: ServiceConfig, container: object, execRole: IamRole, taskRole: IamRole): EcsTaskDefinition {
    return new EcsTaskDefinition(this, `${svc.name}-task-definition`, {
      family: serviceNames(sh.props.env, svc).taskFamily,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(svc.cpu),
      memory: String(svc.memory),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: svc.cpuArchitecture },
      executionRoleArn: execRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
      skipDestroy: sh.props.keepOldRevisions ?? true,
      // The revision terraform manages: `berth revisions --prune` never deregisters it (a plan would
      // register it again). Deploys copy only user tags, so later revisions do not carry it.
      tags: { service: svc.name, [TERRAFORM_REVISION_TAG]: 'terraform' },
      // berth deploy/rollback/restart mark a revision healthy or failed with tags (the rollback
      // target's evidence); on the revision terraform registered they are not drift.
      lifecycle: {
        ignoreChanges: [HEALTHY_TAG, FAILED_TAG].map((k) => `tags["${k}"]`),
        ...(this.databaseSecretCheck(sh, svc) ?? {}),
      },
    });
  }

  /** On an adopted cluster, a service naming `@database` needs a secret to name: refuse to plan without one, saying why. */
  private databaseSecretCheck(
    sh: Shared,
    svc: ServiceConfig,
  ): { precondition: { condition: unknown; errorMessage: string }[] } | undefined {
    const { props } = sh;
    if (!props.databaseSecretMayBeEmpty || !parseSecretRefs(svc).some((r) => r.secret === '@database')) return undefined;
    const n = names(props.env);
    const errorMessage =
      `services.${svc.name}.secrets: "@database" names the database cluster ${n.dbCluster}'s RDS-managed secret, and the adopted ` +
      `cluster has none (it keeps its own master password); name the secret that holds its credentials in resources.database.secret, ` +
      `or name that secret itself instead of "@database".`;
    return { precondition: [{ condition: Fn.can(Fn.regex('^arn:', props.databaseSecretArn)), errorMessage }] };
  }

  private ecsService(sh: Shared, svc: ServiceConfig, td: EcsTaskDefinition, tgArn: string): EcsService {
    const sn = serviceNames(sh.props.env, svc);
    return new EcsService(this, `${svc.name}-service`, {
      name: sn.service,
      cluster: sh.cluster.arn,
      taskDefinition: td.arn,
      desiredCount: svc.desiredCount,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: sh.props.privateSubnetIds, securityGroups: [sh.props.securityGroupId], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: tgArn, containerName: sn.container, containerPort: svc.port }],
      deploymentController: { type: 'ECS' },
      deploymentCircuitBreaker: { ...TERRAFORM_DEPLOYMENT.deploymentCircuitBreaker },
      deploymentMinimumHealthyPercent: TERRAFORM_DEPLOYMENT.minimumHealthyPercent,
      deploymentMaximumPercent: TERRAFORM_DEPLOYMENT.maximumPercent,
      ...(svc.deployment.alarms.length ? { alarms: { alarmNames: svc.deployment.alarms, enable: true, rollback: true } } : {}),
      healthCheckGracePeriodSeconds: svc.healthCheck.gracePeriodSeconds,
      enableExecuteCommand: false,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      waitForSteadyState: false,
      tags: { service: svc.name },
      // berth owns the running revision (deploy/rollback), autoscaling the count, and berth deploy the
      // load balancer wiring after creation (it adds advancedConfiguration; ECS may swap the target
      // groups' roles in a blue/green release): docs/deployment-ownership.md.
      lifecycle: { ignoreChanges: ['task_definition', 'desired_count', 'load_balancer'] },
    });
  }

  /** min..max tasks, target tracking on average CPU and memory with the service's cooldowns. */
  private autoscaling(sh: Shared, svc: ServiceConfig, service: EcsService): void {
    const k = svc.name;
    const sn = serviceNames(sh.props.env, svc);
    const target = new AppautoscalingTarget(this, `${k}-scaling-target`, {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${sh.cluster.name}/${service.name}`,
      minCapacity: svc.minCount,
      maxCapacity: svc.maxCount,
    });
    const sc = svc.scaling;
    const policy = (key: string, name: string, metric: string, targetValue: number) =>
      new AppautoscalingPolicy(this, `${k}-scaling-${key}`, {
        name,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: metric },
          targetValue,
          scaleOutCooldown: sc.scaleOutCooldownSeconds,
          scaleInCooldown: sc.scaleInCooldownSeconds,
          disableScaleIn: false,
        },
      });
    policy('cpu', sn.cpuScalingPolicy, 'ECSServiceAverageCPUUtilization', sc.cpuTargetPercent);
    policy('memory', sn.memoryScalingPolicy, 'ECSServiceAverageMemoryUtilization', sc.memoryTargetPercent);
  }
}
