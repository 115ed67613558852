/**
 * The emulator's ECS (src/sandbox/moto/berth_moto/ecs_sim/) against plain AWS API calls: what
 * a client that is not berth sees when it deploys to the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTasksCommand, ListTasksCommand, StopTaskCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { demoManifest } from '../../src/sandbox/images.js';
import { deploy, describeService, imageOf, startWorld, steady, targets, waitFor, type World } from './world.js';

let w: World;

beforeAll(async () => {
  // Background log lines every second instead of every 5 s, so the test sees them quickly.
  w = await startWorld({ BERTH_SANDBOX_LOG_INTERVAL: '1' });
  await waitFor(w, (s) => steady(w, s));
});

afterAll(async () => {
  await w?.emu.stop();
});

const taskId = (arn: string | undefined) => (arn ?? '').split('/').pop()!;

async function tasks(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns = (await w.ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: w.service, desiredStatus }))).taskArns ?? [];
  if (!arns.length) return [];
  return (await w.ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: arns }))).tasks ?? [];
}

function ipOf(t: Task): string | undefined {
  return t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = (s: string) => s.split('.').reduce((a, x) => a * 256 + Number(x), 0);
  const mask = 2 ** 32 - 2 ** (32 - Number(bits));
  return (n(ip) & mask) >>> 0 === (n(net!) & mask) >>> 0;
}

async function streamLines(t: Task): Promise<string[]> {
  try {
    const out = await w.logs.send(
      new GetLogEventsCommand({ logGroupName: w.logGroup, logStreamName: `ecs/api/${taskId(t.taskArn)}`, startFromHead: true }),
    );
    return (out.events ?? []).map((e) => e.message ?? '');
  } catch {
    return [];
  }
}

/** Deploy a failing image and wait until the circuit breaker has rolled back and the service is steady again. */
async function failAndRollBack(image: string) {
  const before = await describeService(w);
  const good = before.deployments![0]!;
  const arn = await deploy(w, image);
  // Target health, sampled every 100 ms while the rollout runs (no state lasts less than 200 ms on the
  // emulator's clock: settings.py MIN_STEP).
  const statesSeen = new Set<string>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const t of await targets(w)) statesSeen.add(`${t.TargetHealth?.State}:${t.TargetHealth?.Reason ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const s = await waitFor(
    w,
    async (x) => x.deployments![0]!.taskDefinition === good.taskDefinition && x.deployments![0]!.id !== good.id && (await steady(w, x)),
    90_000,
  ).finally(() => (sampling = false));
  await sampler;
  const all = (await tasks('STOPPED')).filter((t) => t.taskDefinitionArn === arn);
  // At the rollback the scheduler stops the failed deployment's tasks still starting (as ECS does):
  // those are scale-ins, not failures; how many there are depends on timing.
  const drained = all.filter(
    (t) =>
      t.stopCode === 'ServiceSchedulerInitiated' &&
      /^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/.test(t.stoppedReason ?? ''),
  );
  const stopped = all.filter((t) => !drained.includes(t));
  const messages = (s.events ?? []).map((e) => e.message ?? '');
  return { arn, good, after: s, stopped, drained, messages, statesSeen };
}

describe('the emulator runs ECS services', () => {
  it('starts the desired count: RUNNING tasks with ENI addresses from the service subnets, registered healthy in the target group', async () => {
    const s = await describeService(w);
    expect(s.runningCount).toBe(2);
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]!.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(s.deployments![0]!.rolloutState).toBe('COMPLETED');
    const running = await tasks('RUNNING');
    expect(running).toHaveLength(2);
    const ips = running.map((t) => ipOf(t)!);
    for (const [i, t] of running.entries()) {
      expect(t.lastStatus).toBe('RUNNING');
      expect(t.group).toBe('service:api');
      expect(t.startedBy).toBe(s.deployments![0]!.id);
      expect(w.subnets.some((sn) => inCidr(ips[i]!, sn.cidr))).toBe(true);
    }
    const tg = await targets(w);
    expect(tg.map((t) => t.Target?.Id).sort()).toEqual([...ips].sort());
    expect(tg.every((t) => t.TargetHealth?.State === 'healthy' && t.Target?.Port === 8001)).toBe(true);
    expect(s.events?.[0]?.message).toBe('(service api) has reached a steady state.');
  });

  it('keeps the fields CreateService was given (health check grace period, deployment configuration, execute command)', async () => {
    const s = await describeService(w);
    expect(s.healthCheckGracePeriodSeconds).toBe(10);
    expect(s.enableExecuteCommand).toBe(false);
    expect(s.deploymentConfiguration).toMatchObject({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
  });

  it('a good UpdateService makes a new PRIMARY deployment whose tasks go PROVISIONING -> PENDING -> RUNNING, then drains the old ones and completes', async () => {
    const old = (await describeService(w)).deployments![0]!;
    const arn = await deploy(w, `${w.repositoryUri}:v2`);
    const right = await describeService(w);
    expect(right.deployments![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: arn, rolloutState: 'IN_PROGRESS' });
    expect(right.deployments![1]).toMatchObject({ id: old.id, status: 'ACTIVE' });
    const ours = right.deployments![0]!.id!;
    const seen = new Set<string>();
    const s = await waitFor(w, async (x) => {
      for (const t of await tasks('RUNNING')) if (t.startedBy === ours) seen.add(t.lastStatus!);
      return steady(w, x);
    });
    expect(s.deployments![0]!.id).toBe(ours);
    expect(s.deployments![0]!.runningCount).toBe(2);
    expect([...seen]).toEqual(expect.arrayContaining(['PROVISIONING', 'PENDING', 'RUNNING']));
    const running = await tasks('RUNNING');
    expect(running.every((t) => t.taskDefinitionArn === arn)).toBe(true);
    expect((await targets(w)).map((t) => t.Target?.Id).sort()).toEqual(running.map(ipOf).sort());
    const drained = (await tasks('STOPPED')).filter((t) => t.startedBy === old.id);
    expect(drained.length).toBe(2);
    for (const t of drained) {
      expect(t.lastStatus).toBe('STOPPED');
      expect(t.stoppedReason).toBe(`Scaling activity initiated by (deployment ${ours})`);
    }
    const messages = (s.events ?? []).map((e) => e.message);
    expect(messages).toContain(`(service api) (deployment ${ours}) deployment completed.`);
  });

  it('tasks write start-up, health-check and now and then ERROR lines to <prefix>/<container>/<task id>', async () => {
    const running = await tasks('RUNNING');
    const t = running[0]!;
    let lines: string[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      lines = await streamLines(t);
      if (lines.some((l) => /ELB-HealthChecker/.test(l)) && lines.some((l) => / ERROR /.test(l))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(lines[0]).toMatch(/INFO +Starting api version v2/);
    expect(lines.some((l) => /Listening on 0\.0\.0\.0:8001/.test(l))).toBe(true);
    expect(lines.some((l) => /"GET \/health HTTP\/1\.1" 200 .*ELB-HealthChecker\/2\.0/.test(l))).toBe(true);
    expect(lines.some((l) => / ERROR /.test(l))).toBe(true);
    // Names of secrets may be logged, never their values.
    expect(lines.join('\n')).not.toContain('rediss://');
  });

  it('the public endpoint routes by the listener rules to a healthy target and answers the health path with the serving version', async () => {
    const health = await fetch(`${w.emu.publicUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', version: 'v2' });
    const api = await fetch(`${w.emu.publicUrl}/api/items?page=1`);
    expect(api.status).toBe(200);
    const doc = (await api.json()) as { version: string; task: string; service: string };
    expect(doc).toMatchObject({ service: 'api', version: 'v2' });
    const nowhere = await fetch(`${w.emu.publicUrl}/elsewhere`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.text()).toBe('no route');
    const t = (await tasks('RUNNING')).find((x) => taskId(x.taskArn) === doc.task)!;
    expect((await streamLines(t)).some((l) => l.includes('"GET /api/items?page=1 HTTP/1.1" 200'))).toBe(true);
  });

  it('fail-exit: tasks stop with EssentialContainerExited (exit code 1), the circuit breaker fails the deployment and rolls back', async () => {
    const r = await failAndRollBack(`${w.repositoryUri}:fail-exit`);
    expect(r.stopped.length).toBeGreaterThanOrEqual(3);
    for (const t of r.stopped) {
      expect(t.stopCode).toBe('EssentialContainerExited');
      expect(t.stoppedReason).toBe('Essential container in task exited');
      expect(t.containers![0]!.exitCode).toBe(1);
    }
    const failed = r.messages.find((m) => /deployment failed: tasks failed to start\.$/.test(m))!;
    expect(failed).toMatch(/^\(service api\) \(deployment ecs-svc\/\d{19}\) deployment failed: tasks failed to start\.$/);
    expect(r.messages).toContain(`(service api) rolling back to deployment ${r.good.id}.`);
    expect(r.messages[0]).toBe('(service api) has reached a steady state.');
    expect((await streamLines(r.stopped[0]!)).some((l) => l.startsWith('RuntimeError'))).toBe(true);
    expect(r.after.deployments![0]!.rolloutStateReason).toBe(`ECS deployment ${r.after.deployments![0]!.id} completed.`);
    expect(await imageOf(w, r.after.taskDefinition!)).toBe(`${w.repositoryUri}:v2`);
  });

  it('fail-pull: TaskFailedToStart with CannotPullContainerError ... not found, then the rollback', async () => {
    const image = `${w.repositoryUri}:fail-pull`;
    const r = await failAndRollBack(image);
    expect(r.stopped.length).toBeGreaterThanOrEqual(3);
    for (const t of r.stopped) {
      expect(t.stopCode).toBe('TaskFailedToStart');
      expect(t.stoppedReason).toBe(
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`,
      );
      expect(t.containers![0]!.reason).toBe(t.stoppedReason);
      expect(t.containers![0]!.exitCode).toBeUndefined();
      expect(t.startedAt).toBeUndefined();
    }
    expect(r.messages).toContain(`(service api) rolling back to deployment ${r.good.id}.`);
  });

  it('fail-arch: exec format error in the log, the essential container exits 255, then the rollback', async () => {
    const r = await failAndRollBack(`${w.repositoryUri}:fail-arch`);
    for (const t of r.stopped) {
      expect(t.stopCode).toBe('EssentialContainerExited');
      expect(t.containers![0]!.exitCode).toBe(255);
    }
    expect(await streamLines(r.stopped[0]!)).toEqual(['exec /usr/local/bin/docker-entrypoint.sh: exec format error']);
    expect(r.messages).toContain(`(service api) rolling back to deployment ${r.good.id}.`);
  });

  it('fail-health: targets turn unhealthy (Target.ResponseCodeMismatch), ECS stops the tasks for failing ELB health checks, then the rollback', async () => {
    const r = await failAndRollBack(`${w.repositoryUri}:fail-health`);
    expect(r.statesSeen.has('unhealthy:Target.ResponseCodeMismatch')).toBe(true);
    expect(r.stopped.length).toBeGreaterThanOrEqual(3);
    for (const t of r.stopped) {
      expect(t.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${w.targetGroupArn})`);
      expect(t.stopCode).toBe('ServiceSchedulerInitiated');
    }
    expect(
      r.messages.some(
        (m) =>
          m ===
          `(service api) (port 8001) is unhealthy in (target-group ${w.targetGroupArn}) due to (reason Health checks failed with these codes: [500]).`,
      ),
    ).toBe(true);
    expect(
      (await streamLines(r.stopped[0]!)).some((l) => /"GET \/health HTTP\/1\.1" 500/.test(l) || /health check \/health failed/.test(l)),
    ).toBe(true);
    expect(r.messages).toContain(`(service api) rolling back to deployment ${r.good.id}.`);
  });

  it('StopTask on a service task: the task drains and stops (UserInitiated) and the service starts a replacement', async () => {
    const before = await tasks('RUNNING');
    const victim = before[0]!;
    await w.ecs.send(new StopTaskCommand({ cluster: w.cluster, task: victim.taskArn!, reason: 'restart by test' }));
    const s = await waitFor(w, async (x) => (await tasks('RUNNING')).every((t) => t.taskArn !== victim.taskArn) && (await steady(w, x)));
    expect(s.runningCount).toBe(2);
    const after = await tasks('RUNNING');
    expect(after.some((t) => !before.some((b) => b.taskArn === t.taskArn))).toBe(true);
    let stopped = (await w.ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: [victim.taskArn!] }))).tasks![0]!;
    for (let i = 0; i < 100 && stopped.lastStatus !== 'STOPPED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stopped = (await w.ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: [victim.taskArn!] }))).tasks![0]!;
    }
    expect(stopped).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'restart by test',
    });
  });

  it('a desiredCount change scales the PRIMARY deployment; at 0 the public endpoint answers 503 like an ALB with no healthy target', async () => {
    const primary = (await describeService(w)).deployments![0]!.id;
    await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, desiredCount: 3 }));
    let s = await waitFor(w, (x) => steady(w, x));
    expect(s.runningCount).toBe(3);
    expect(s.deployments![0]!.id).toBe(primary);
    await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, desiredCount: 0 }));
    s = await waitFor(w, async (x) => x.runningCount === 0 && (await targets(w)).length === 0);
    const down = await fetch(`${w.emu.publicUrl}/health`);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain('503 Service Temporarily Unavailable');
    await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, desiredCount: 2 }));
    s = await waitFor(w, (x) => steady(w, x));
    expect(s.runningCount).toBe(2);
  });

  it('with images in ECR: an arm64 image on an X86_64 task is an exec format error, and a tag the repository lacks cannot be pulled', async () => {
    for (const [tag, arch] of [
      ['v2', 'amd64'],
      ['v7-arm', 'arm64'],
    ] as const)
      await w.ecr.send(
        new PutImageCommand({
          repositoryName: 'demo/api',
          imageTag: tag,
          imageManifest: demoManifest('demo/api', tag, arch),
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        }),
      );
    const arm = await failAndRollBack(`${w.repositoryUri}:v7-arm`);
    expect(arm.stopped[0]!.stopCode).toBe('EssentialContainerExited');
    expect(await streamLines(arm.stopped[0]!)).toEqual(['exec /usr/local/bin/docker-entrypoint.sh: exec format error']);
    const missing = await failAndRollBack(`${w.repositoryUri}:v8`);
    expect(missing.stopped[0]!.stoppedReason).toMatch(/^CannotPullContainerError: .*demo\/api:v8: not found$/);
  });

  it('a secret the task definition references that does not exist: ResourceInitializationError, the task never starts', async () => {
    const missing = w.secretArn.replace(/redis-\w+$/, 'nope-AbCdEf');
    const before = (await describeService(w)).deployments![0]!;
    const { registerRevision } = await import('./world.js');
    const arn = await registerRevision(w, `${w.repositoryUri}:v2`, missing);
    await w.ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: w.service, taskDefinition: arn }));
    await waitFor(
      w,
      async (x) =>
        x.deployments![0]!.id !== before.id && x.deployments![0]!.taskDefinition === before.taskDefinition && (await steady(w, x)),
      90_000,
    );
    const stopped = (await tasks('STOPPED')).filter((t) => t.taskDefinitionArn === arn);
    expect(stopped[0]!.stopCode).toBe('TaskFailedToStart');
    expect(stopped[0]!.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/,
    );
    // The container never started: no log stream.
    expect(await streamLines(stopped[0]!)).toEqual([]);
  });
});
