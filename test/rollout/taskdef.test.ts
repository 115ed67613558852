import { describe, expect, it } from 'vitest';
import { checkImage, checkTag } from '../../src/cli-args/image.js';
import { parseImage } from '../../src/ecs/image-ref.js';
import { READ_ONLY_FIELDS, copyWithImage } from '../../src/rollout/taskdef.js';

/** A task definition as DescribeTaskDefinition returns it (trimmed to the interesting parts). */
const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-sandbox-api:6',
  family: 'demo-sandbox-api',
  taskRoleArn: 'arn:aws:iam::123456789012:role/demo-sandbox-api-task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/demo-sandbox-api-exec',
  networkMode: 'awsvpc',
  revision: 6,
  volumes: [],
  status: 'ACTIVE',
  requiresAttributes: [
    { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
    { name: 'ecs.capability.secrets.asm.environment-variables' },
  ],
  placementConstraints: [],
  compatibilities: ['EC2', 'FARGATE'],
  runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  registeredAt: '2025-04-30T09:12:44.120000+00:00',
  registeredBy: 'arn:aws:sts::123456789012:assumed-role/deployer/ci',
  containerDefinitions: [
    {
      name: 'api',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v1',
      essential: true,
      portMappings: [{ containerPort: 8001, hostPort: 8001, protocol: 'tcp' }],
      environment: [{ name: 'LOG_LEVEL', value: 'info' }],
      secrets: [{ name: 'REDIS_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/sandbox/redis-Xy12Ab:url::' }],
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8001/health || exit 1'],
        interval: 30,
        timeout: 5,
        retries: 3,
        startPeriod: 60,
      },
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/demo-sandbox/api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'api' },
      },
    },
    { name: 'xray', image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.12', essential: false },
  ],
};

describe('task-definition copy', () => {
  it('changes only the app container image and drops the read-only fields', () => {
    const copy = copyWithImage(described, 'api', '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v2');
    for (const f of READ_ONLY_FIELDS) expect(copy).not.toHaveProperty(f);
    const expected = structuredClone(described) as Record<string, unknown>;
    for (const f of READ_ONLY_FIELDS) delete expected[f];
    (expected.containerDefinitions as { image: string }[])[0]!.image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v2';
    expect(copy).toEqual(expected);
    // the input is not modified
    expect(described.containerDefinitions[0]!.image).toMatch(/:v1$/);
    expect(described.revision).toBe(6);
  });

  it('keeps user tags and drops aws: and berth: marks', () => {
    const copy = copyWithImage(described, 'api', 'x/y:z', [
      { key: 'team', value: 'platform' },
      { key: 'berth:healthy-at', value: '2025-04-30T09:20:00Z' },
      { key: 'aws:cloudformation:stack-name', value: 's' },
    ]);
    expect(copy.tags).toEqual([{ key: 'team', value: 'platform' }]);
  });

  it('fails when the container is missing, naming the ones there are', () => {
    expect(() => copyWithImage(described, 'web', 'x/y:z')).toThrow(/no container named "web" \(it has: api, xray\)/);
  });
});

describe('image references', () => {
  it('parses ECR, Docker Hub, digests', () => {
    expect(parseImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:3f2c1ab')).toEqual({
      registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      repository: 'demo/api',
      tag: '3f2c1ab',
      digest: undefined,
    });
    expect(parseImage('nginx:1.27')).toMatchObject({ repository: 'nginx', tag: '1.27' });
    expect(parseImage(`ghcr.io/acme/app@sha256:${'a'.repeat(64)}`)).toMatchObject({
      registry: 'ghcr.io',
      repository: 'acme/app',
      digest: `sha256:${'a'.repeat(64)}`,
    });
    expect(parseImage('localhost:5000/app:dev')).toMatchObject({ registry: 'localhost:5000', repository: 'app', tag: 'dev' });
  });

  it('rejects bad references and untagged images with exit code 2', () => {
    for (const bad of ['', 'UPPER/case:tag', 'repo:tag with space', 'repo::tag', 'https://x/y:z']) {
      try {
        checkImage(bad);
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect((e as { exitCode?: number }).exitCode, bad).toBe(2);
      }
    }
    expect(() => checkImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api')).toThrow(/has no tag/);
    expect(() => checkTag('-bad')).toThrow(/not a valid image tag/);
    expect(checkTag('v1.2.3_rc-1')).toBe('v1.2.3_rc-1');
  });
});
