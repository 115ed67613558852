import type { Task } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { checkTaskStart } from '../../src/doctor/checks/task-start.js';
import { readManifest } from '../../src/doctor/lib/image.js';
import { ID, input, taskStart } from './fixtures/world.js';
import { fixText, of, one, statuses } from './helpers.js';

const stopped = (id: string, over: Partial<Task>): Task => ({
  taskArn: `arn:aws:ecs:ap-northeast-2:123456789012:task/chatbot-platform/${id}`,
  taskDefinitionArn: ID.td,
  group: 'service:api',
  lastStatus: 'STOPPED',
  stoppedAt: new Date('2026-11-19T23:50:00Z'),
  ...over,
});

const ARM_ONLY = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:' + '3'.repeat(64),
      size: 1000,
      platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
    },
  ],
});

function notRunning(f: ReturnType<typeof taskStart>) {
  const s = f.services[0]!;
  s.service!.runningCount = 0;
  s.service!.deployments![0]!.runningCount = 0;
  s.service!.deployments![0]!.rolloutState = 'IN_PROGRESS';
  return s;
}

describe('doctor task-start (pure)', () => {
  it('passes on the healthy recorded account (a scale-in stop is not a failure)', () => {
    const fs = checkTaskStart(taskStart(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
    expect(one(fs, 'task-start.stopped-tasks').message).toMatch(/none of 1 recently stopped task failed/);
  });

  it('incident 4: an arm64-only image for an X86_64 task FAILs with a linux/amd64 rebuild, and exec format error stops are explained', () => {
    const f = taskStart();
    const s = notRunning(f);
    s.image!.manifest = readManifest(ARM_ONLY);
    s.stoppedTasks = ['a1', 'a2', 'a3'].map((id) =>
      stopped(`${id}00000000000000000000000000000`, {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'api', exitCode: 255, lastStatus: 'STOPPED' }],
      }),
    );
    s.logLines = { a100000000000000000000000000000: ['exec /usr/local/bin/uvicorn: exec format error'] };
    const fs = checkTaskStart(f, input());
    const arch = one(fs, 'task-start.architecture');
    expect(arch.status).toBe('FAIL');
    expect(arch.resource).toBe(ID.image);
    expect(arch.message).toContain('arm64/v8');
    expect(arch.fix?.commands).toContain(`docker buildx build --platform linux/amd64 -t ${ID.image} --push .`);
    expect(arch.fix?.config).toContain('services[0].cpuArchitecture = "ARM64"');
    const stop = one(fs, 'task-start.stopped-tasks');
    expect(stop.status).toBe('FAIL');
    expect(stop.evidence.kind).toBe('exec-format');
    expect(stop.evidence.tasks).toBe(3);
    expect(stop.see).toContain('task-start.architecture');
    expect(stop.evidence.logLines).toEqual(['exec /usr/local/bin/uvicorn: exec format error']);
    // the fixed image passes
    s.image!.manifest = readManifest(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ platform: { architecture: 'amd64', os: 'linux' } }, { platform: { architecture: 'arm64', os: 'linux' } }],
      }),
    );
    expect(one(checkTaskStart(f, input()), 'task-start.architecture').status).toBe('PASS');
  });

  it('groups stops by cause and explains each: image pull, secrets, out of memory, app exit', () => {
    const f = taskStart();
    const s = notRunning(f);
    s.stoppedTasks = [
      ...['p1', 'p2'].map((id) =>
        stopped(`${id}0000000000000000000000000000000`.slice(0, 32), {
          stopCode: 'TaskFailedToStart',
          stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ID.image}: not found`,
        }),
      ),
      stopped('s1000000000000000000000000000000', {
        stopCode: 'TaskFailedToStart',
        stoppedReason: `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${ID.redisSecret}`,
      }),
      stopped('m1000000000000000000000000000000', {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'OutOfMemoryError: Container killed due to memory usage',
        containers: [{ name: 'api', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
      }),
      stopped('x1000000000000000000000000000000', {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'api', exitCode: 1 }],
      }),
    ];
    const fs = of(checkTaskStart(f, input()), 'task-start.stopped-tasks');
    expect(fs.map((x) => x.evidence.kind).sort()).toEqual(['app-exit', 'image-pull', 'out-of-memory', 'secrets']);
    expect(fs.every((x) => x.status === 'FAIL')).toBe(true);
    const pull = fs.find((x) => x.evidence.kind === 'image-pull')!;
    expect(pull.evidence.tasks).toBe(2);
    expect(pull.see).toEqual(expect.arrayContaining(['task-start.image', 'iam.ecr-pull', 'network.private-route']));
    const secrets = fs.find((x) => x.evidence.kind === 'secrets')!;
    expect(secrets.see).toEqual(expect.arrayContaining(['iam.secret-read', 'task-start.secrets']));
    // ARNs are blanked in the grouped reason
    expect(String(secrets.evidence.stoppedReason)).not.toContain('123456789012');
    const oom = fs.find((x) => x.evidence.kind === 'out-of-memory')!;
    expect(oom.fix?.config).toContain('services[0].memory');
    const exit = fs.find((x) => x.evidence.kind === 'app-exit')!;
    expect(exit.message).toContain('1 (the application failed');
    expect(fixText(exit)).toContain('berth logs --env platform --service api --since 1h');
  });

  it('failed stops while the service is steady again are a WARN', () => {
    const f = taskStart();
    f.services[0]!.stoppedTasks.push(
      stopped('x2000000000000000000000000000000', {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'api', exitCode: 1 }],
      }),
    );
    const s = one(checkTaskStart(f, input()), 'task-start.stopped-tasks');
    expect(s.status).toBe('WARN');
  });

  it('a missing JSON key in a secret FAILs naming the variable, the secret and its keys (never values)', () => {
    const f = taskStart();
    const redis = f.services[0]!.secrets.find((x) => x.arn === ID.redisSecret)!;
    redis.keys = ['host', 'port', 'password'];
    const fs = checkTaskStart(f, input());
    const bad = one(fs, 'task-start.secrets');
    expect(bad.status).toBe('FAIL');
    expect(bad.resource).toBe(ID.redisSecret);
    expect(bad.message).toContain('REDIS_URL');
    expect(bad.message).toContain('no key "url"');
    expect(bad.evidence.keys).toEqual(['host', 'port', 'password']);
    expect(fixText(bad)).toContain('put-secret-value --secret-id chatbot/platform/redis');
  });

  it('a secret that does not exist, or holds no value yet, FAILs', () => {
    const f = taskStart();
    const i = f.services[0]!.secrets.findIndex((x) => x.arn === ID.openaiSecret);
    f.services[0]!.secrets[i] = { ref: ID.openaiSecret, found: false, json: false, keys: [], urls: {}, plain: {} };
    let bad = one(checkTaskStart(f, input()), 'task-start.secrets');
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toMatch(/OPENAI_API_KEY: secret .* does not exist/);
    f.services[0]!.secrets[i] = {
      ref: ID.openaiSecret,
      found: true,
      arn: ID.openaiSecret,
      name: 'chatbot/openai',
      noValue: true,
      json: false,
      keys: [],
      urls: {},
      plain: {},
    };
    bad = one(checkTaskStart(f, input()), 'task-start.secrets');
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain('holds no value yet');
  });

  it('a secret passed as a plain environment variable FAILs by name only', () => {
    const f = taskStart();
    f.services[0]!.taskDefinition!.containerDefinitions![0]!.environment!.push(
      { name: 'JWT_SECRET_KEY', value: 'supersecretvalue123' },
      { name: 'CACHE_URL', value: 'rediss://:hunter2hunter2@h:6379/0' },
    );
    const bad = one(checkTaskStart(f, input()), 'task-start.task-definition');
    expect(bad.status).toBe('FAIL');
    expect(bad.evidence.plainSecrets).toEqual(['JWT_SECRET_KEY', 'CACHE_URL']);
    expect(JSON.stringify(bad)).not.toContain('supersecretvalue123');
    expect(JSON.stringify(bad)).not.toContain('hunter2hunter2');
  });

  it('an image missing from ECR FAILs with login + build + push', () => {
    const f = taskStart();
    f.services[0]!.image = { ref: f.services[0]!.image!.ref, found: false, error: 'ImageNotFound: Requested image not found' };
    const bad = one(checkTaskStart(f, input()), 'task-start.image');
    expect(bad.status).toBe('FAIL');
    expect(bad.fix?.commands?.[0]).toContain('aws ecr get-login-password --region ap-northeast-2');
    expect(bad.fix?.commands?.[1]).toBe(`docker buildx build --platform linux/amd64 -t ${ID.image} --push .`);
  });

  it('a missing log group FAILs with create-log-group and the configured retention', () => {
    const f = taskStart();
    f.services[0]!.logGroup = { name: ID.logGroup, exists: false };
    const bad = one(checkTaskStart(f, input()), 'task-start.log-group');
    expect(bad.status).toBe('FAIL');
    expect(bad.fix?.commands).toEqual([
      `aws logs create-log-group --log-group-name ${ID.logGroup}`,
      `aws logs put-retention-policy --log-group-name ${ID.logGroup} --retention-in-days 7`,
    ]);
  });

  it('no ECS service at all: FAIL with apply', () => {
    const f = taskStart();
    f.services[0]!.service = undefined;
    const bad = one(checkTaskStart(f, input()), 'task-start.service');
    expect(bad.status).toBe('FAIL');
    expect(bad.resource).toBe('chatbot-platform/api');
  });
});
