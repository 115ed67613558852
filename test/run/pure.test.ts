import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/output/errors.js';
import { EXIT } from '../../src/output/exit-codes.js';
import { commandFromLine, commandFromWords } from '../../src/run/command.js';
import { interruptChoice } from '../../src/run/interrupt.js';
import { runOutcome } from '../../src/run/outcome.js';
import { releaseSteps } from '../../src/run/release-steps.js';
import { runTaskRequest } from '../../src/run/task-input.js';
import { taskSize } from '../../src/run/task-size.js';
import type { TaskSnap } from '../../src/rollout/types.js';

describe('task size (Fargate table)', () => {
  it('accepts valid pairs, either flag alone against the task definition', () => {
    expect(taskSize({}, { cpu: 512, memory: 1024 })).toEqual({});
    expect(taskSize({ cpu: '1024', memory: '2048' })).toEqual({ cpu: 1024, memory: 2048 });
    expect(taskSize({ memory: '4096' }, { cpu: 512, memory: 1024 })).toEqual({ memory: 4096 });
    expect(taskSize({ cpu: '256' }, { cpu: 512, memory: 1024 })).toEqual({ cpu: 256 });
    expect(taskSize({ cpu: '16384', memory: '122880' })).toEqual({ cpu: 16384, memory: 122880 });
  });

  it('refuses what Fargate refuses, naming the flag and the valid values', () => {
    expect(() => taskSize({ cpu: '300' })).toThrow(/--cpu 300: Fargate takes 256, 512, 1024/);
    expect(() => taskSize({ cpu: '256', memory: '4096' })).toThrow(/--memory 4096 does not go with --cpu 256.*512, 1024, 2048/);
    // memory alone must fit the task definition's cpu
    expect(() => taskSize({ memory: '512' }, { cpu: 1024, memory: 2048 })).toThrow(/does not go with the task definition's cpu 1024/);
    // cpu alone must fit the task definition's memory
    expect(() => taskSize({ cpu: '4096' }, { cpu: 512, memory: 1024 })).toThrow(
      /the task definition's memory 1024 does not go with --cpu 4096/,
    );
    expect(() => taskSize({ cpu: '1 vCPU' })).toThrow(UsageError);
    expect(() => taskSize({ memory: '1000' })).toThrow(/no Fargate task size/);
    expect(() => taskSize({ cpu: '8192', memory: '18432' })).toThrow(/16384 to 61440 in steps of 4096/);
  });
});

describe('one-off command', () => {
  it('takes the words after -- as they are, a line as sh -c', () => {
    expect(commandFromWords(['sh', '-c', 'echo migrating; exit 3'])).toEqual(['sh', '-c', 'echo migrating; exit 3']);
    expect(commandFromLine('npm run migrate')).toEqual(['sh', '-c', 'npm run migrate']);
    expect(() => commandFromWords([])).toThrow(/needs a command after `--`/);
    expect(() => commandFromLine('  ')).toThrow(/--run-first/);
    expect(() => commandFromWords(['echo', 'x'.repeat(9000)])).toThrow(/at most 8192/);
  });
});

describe('RunTask request', () => {
  const service = {
    serviceName: 'api',
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-app'], assignPublicIp: 'DISABLED' },
    },
  };
  it("uses the service's subnets, security groups and platform, overrides only the app container's command", () => {
    const r = runTaskRequest({
      cluster: 'demo-prod',
      taskDefinition: 'arn:td:7',
      container: 'api',
      command: ['sh', '-c', 'x'],
      service,
      size: { memory: 2048 },
      startedByUser: 'ops',
    });
    expect(r.networkConfiguration.awsvpcConfiguration).toEqual({
      subnets: ['subnet-a', 'subnet-b'],
      securityGroups: ['sg-app'],
      assignPublicIp: 'DISABLED',
    });
    expect(r.launchType).toBe('FARGATE');
    expect(r.platformVersion).toBe('LATEST');
    expect(r.overrides).toEqual({ containerOverrides: [{ name: 'api', command: ['sh', '-c', 'x'] }], memory: '2048' });
    expect(r.startedBy).toMatch(/^[A-Za-z0-9_-]{1,36}$/);
    expect(r.tags).toContainEqual({ key: 'berth:one-off-for', value: 'api' });
  });
  it('a service on capacity providers keeps its strategy instead of a launch type', () => {
    const r = runTaskRequest({
      cluster: 'c',
      taskDefinition: 't',
      container: 'api',
      command: ['x'],
      service: { ...service, launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
    });
    expect(r.launchType).toBeUndefined();
    expect(r.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: undefined }]);
  });
});

describe('run outcome', () => {
  const ctx = { container: 'api', cpuArchitecture: 'X86_64', memory: 1024 };
  const stopped = (over: Partial<TaskSnap>, container: Record<string, unknown> = {}): TaskSnap => ({
    lastStatus: 'STOPPED',
    startedAt: '2026-01-01T00:00:00Z',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'api', exitCode: 0, ...container }],
    ...over,
  });
  it("the command's exit code is the answer when it ran", () => {
    expect(runOutcome(stopped({}, { exitCode: 3 }), [], ctx)).toMatchObject({ status: 'exited', exitCode: 3, containerExitCode: 3 });
    expect(runOutcome(stopped({}), [], ctx)).toMatchObject({ status: 'exited', exitCode: 0 });
  });
  it('a task that never started is 40, explained by the deploy classifier', () => {
    const secret = stopped(
      {
        stopCode: 'TaskFailedToStart',
        startedAt: undefined,
        stoppedReason:
          'ResourceInitializationError: unable to pull secrets or registry auth: retrieved secret from Secrets Manager did not ' +
          'contain json key password',
      },
      { exitCode: undefined },
    );
    expect(runOutcome(secret, [], ctx)).toMatchObject({ status: 'not-started', exitCode: EXIT.RUN_NOT_STARTED, kind: 'secrets' });
    const pull = stopped(
      {
        stopCode: 'TaskFailedToStart',
        startedAt: undefined,
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref x: not found',
      },
      { exitCode: undefined },
    );
    expect(runOutcome(pull, [], ctx)).toMatchObject({ exitCode: 40, kind: 'image-not-found' });
    const arch = stopped({}, { exitCode: 255 });
    expect(runOutcome(arch, ['exec /usr/local/bin/docker-entrypoint.sh: exec format error'], ctx)).toMatchObject({
      exitCode: 40,
      kind: 'arch-mismatch',
    });
  });
  it('stopped before exiting (out of memory, someone else) is 41', () => {
    const oom = stopped(
      { stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' },
      { exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    );
    expect(runOutcome(oom, [], ctx)).toMatchObject({ status: 'stopped', exitCode: EXIT.RUN_STOPPED, kind: 'oom', containerExitCode: 137 });
    expect(
      runOutcome(stopped({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }, { exitCode: 143 }), [], ctx),
    ).toMatchObject({ status: 'stopped', exitCode: 41 });
  });
});

describe('Ctrl-C', () => {
  const ask = async () => true;
  it('stops with --yes, asks on a terminal, leaves the task without one', async () => {
    expect(await interruptChoice({ yes: true, interactive: false, taskId: 't', ask })).toBe('stop');
    expect(await interruptChoice({ yes: false, interactive: true, taskId: 't', ask })).toBe('stop');
    expect(await interruptChoice({ yes: false, interactive: true, taskId: 't', ask: async () => false })).toBe('leave');
    let asked = false;
    expect(await interruptChoice({ yes: false, interactive: false, taskId: 't', ask: async () => (asked = true) })).toBe('leave');
    expect(asked).toBe(false);
  });
});

describe('release steps', () => {
  it('run in order; the first stop ends the release', async () => {
    const seen: string[] = [];
    const stop = { exitCode: 45, reasons: ['snap'], failures: [], detail: null };
    const steps = releaseSteps([async () => (seen.push('snapshot'), stop), undefined, async () => (seen.push('migrate'), undefined)]);
    expect(await steps!({ arn: 'a' })).toBe(stop);
    expect(seen).toEqual(['snapshot']);
    expect(releaseSteps([undefined])).toBeUndefined();
  });
});
