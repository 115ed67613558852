/**
 * Test helper: a real, stock moto_server on 127.0.0.1 (src/sandbox/emulator.ts, plain), a temporary project whose
 * `.berth/sandbox/sandbox.json` points berth at it, a service seeded the way the stacks create it
 * (names from names.ts), and a way to run `main()` capturing stdout/stderr.
 * A missing moto_server makes startSandbox throw MissingToolError: the test fails, naming it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import type { AwsContext } from '../../src/aws/context.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';
import { runCli, type CliRun } from '../helpers/cli.js';

export interface MotoSandbox {
  emulator: Emulator;
  project: string;
  ctx: AwsContext;
  cfg: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

export async function startSandbox(
  opts: { env?: NodeJS.ProcessEnv; environment?: unknown; publicUrl?: string; plain?: boolean } = {},
): Promise<MotoSandbox> {
  // Stock moto_server by default: these tests check what plain moto can show (it records, never runs tasks).
  // plain: false runs berth's extended moto (set BERTH_SANDBOX_ECS_SIM=0 in env to keep its scheduler off).
  const emulator = await startEmulator({ env: opts.env, plain: opts.plain ?? true });
  const project = mkdtempSync(join(tmpdir(), 'berth-ops-'));
  mkdirSync(join(project, '.berth', 'sandbox'), { recursive: true });
  writeFileSync(
    join(project, '.berth', 'sandbox', 'sandbox.json'),
    JSON.stringify({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      pid: emulator.pid,
      port: emulator.port,
      startedAt: new Date().toISOString(),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    }),
  );
  if (opts.environment) {
    mkdirSync(join(project, 'environments'), { recursive: true });
    writeFileSync(join(project, 'environments', 'sandbox.json'), JSON.stringify(opts.environment, null, 2));
  }
  const previous = process.env.BERTH_PROJECT_DIR;
  process.env.BERTH_PROJECT_DIR = project;
  const cfg = { region: 'us-east-1', endpoint: emulator.endpoint, credentials: { ...FAKE_CREDENTIALS } };
  return {
    emulator,
    project,
    cfg,
    ctx: { region: 'us-east-1', endpoint: emulator.endpoint, credentials: { ...FAKE_CREDENTIALS }, sandbox: true },
    stop: async () => {
      await emulator.stop();
      if (previous === undefined) delete process.env.BERTH_PROJECT_DIR;
      else process.env.BERTH_PROJECT_DIR = previous;
      rmSync(project, { recursive: true, force: true });
    },
  };
}

export type { CliRun } from '../helpers/cli.js';

/** Run berth in-process (the one harness, test/helpers/cli.ts) and capture what it writes. */
export async function berth(...args: string[]): Promise<CliRun> {
  return runCli(args);
}

const MANIFEST = (tag: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 1469,
      digest: `sha256:${Buffer.from(tag).toString('hex').padEnd(64, '0').slice(0, 64)}`,
    },
    layers: [],
  });

export interface Seeded {
  repositoryUri: string;
  taskDefinitionArn: string;
}

/**
 * What the stacks would have created for the built-in sandbox environment's `api` service:
 * ECR repository demo/api (images v1, v2), cluster demo-sandbox, log group /ecs/demo-sandbox/api,
 * task family demo-sandbox-api rev 1 (image v1, awslogs prefix api), service api (desired 2),
 * autoscaling 1..4, and optionally one alarm in ALARM.
 */
export async function seedService(sb: MotoSandbox, opts: { alarm?: boolean; images?: string[]; service?: string } = {}): Promise<Seeded> {
  const ecrm = await import('@aws-sdk/client-ecr');
  const ecsm = await import('@aws-sdk/client-ecs');
  const logsm = await import('@aws-sdk/client-cloudwatch-logs');
  const aasm = await import('@aws-sdk/client-application-auto-scaling');
  const name = opts.service ?? 'api';
  const ecr = new ecrm.ECRClient(sb.cfg);
  const ecs = new ecsm.ECSClient(sb.cfg);
  const logs = new logsm.CloudWatchLogsClient(sb.cfg);
  const aas = new aasm.ApplicationAutoScalingClient(sb.cfg);
  const repo = await ecr.send(new ecrm.CreateRepositoryCommand({ repositoryName: `demo/${name}` }));
  const uri = repo.repository!.repositoryUri!;
  for (const tag of opts.images ?? ['v1', 'v2'])
    await ecr.send(new ecrm.PutImageCommand({ repositoryName: `demo/${name}`, imageTag: tag, imageManifest: MANIFEST(tag) }));
  await ecs.send(new ecsm.CreateClusterCommand({ clusterName: 'demo-sandbox' }));
  await logs.send(new logsm.CreateLogGroupCommand({ logGroupName: `/ecs/demo-sandbox/${name}` })).catch(() => undefined);
  const td = await ecs.send(
    new ecsm.RegisterTaskDefinitionCommand({
      family: `demo-sandbox-${name}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      executionRoleArn: `arn:aws:iam::123456789012:role/demo-sandbox-${name}-exec`,
      taskRoleArn: `arn:aws:iam::123456789012:role/demo-sandbox-${name}-task`,
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        {
          name,
          image: `${uri}:v1`,
          essential: true,
          portMappings: [{ containerPort: 8001, protocol: 'tcp' }],
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
          secrets: [
            { name: 'REDIS_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/sandbox/redis-AbCdEf:url::' },
          ],
          healthCheck: {
            command: ['CMD-SHELL', 'curl -f http://localhost:8001/health || exit 1'],
            interval: 5,
            timeout: 2,
            retries: 3,
            startPeriod: 10,
          },
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': `/ecs/demo-sandbox/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': name },
          },
        },
      ],
      tags: [{ key: 'app', value: 'demo' }],
    }),
  );
  await ecs.send(
    new ecsm.CreateServiceCommand({
      cluster: 'demo-sandbox',
      serviceName: name,
      taskDefinition: `demo-sandbox-${name}:1`,
      desiredCount: 2,
      launchType: 'FARGATE',
    }),
  );
  await aas.send(
    new aasm.RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs',
      ResourceId: `service/demo-sandbox/${name}`,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 4,
    }),
  );
  if (opts.alarm) {
    const cwm = await import('@aws-sdk/client-cloudwatch');
    const cw = new cwm.CloudWatchClient(sb.cfg);
    for (const alarm of [`demo-sandbox-${name}-cpu-high`, `demo-sandbox-${name}-memory-high`]) {
      await cw.send(
        new cwm.PutMetricAlarmCommand({
          AlarmName: alarm,
          Namespace: 'AWS/ECS',
          MetricName: alarm.includes('cpu') ? 'CPUUtilization' : 'MemoryUtilization',
          Dimensions: [
            { Name: 'ClusterName', Value: 'demo-sandbox' },
            { Name: 'ServiceName', Value: name },
          ],
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 5,
          Threshold: 80,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    await cw.send(
      new cwm.SetAlarmStateCommand({
        AlarmName: `demo-sandbox-${name}-cpu-high`,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 5 datapoints were greater than the threshold (80.0).',
      }),
    );
  }
  return { repositoryUri: uri, taskDefinitionArn: td.taskDefinition!.taskDefinitionArn! };
}
