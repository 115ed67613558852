import { describe, expect, it } from 'vitest';
import { judge } from '../../src/rollout/verdict.js';
import type { Identity, Judgement, Snapshot } from '../../src/rollout/types.js';
import { loadFixture, timeline } from './load-fixture.js';

/** The verdict after each poll of the timeline, as a real watch would have seen it. */
function verdicts(id: Identity, snaps: Snapshot[]): Judgement[] {
  return snaps.map((_, i) => judge(id, snaps.slice(0, i + 1)));
}

describe('rollout verdict on recorded timelines', () => {
  it('clean rollout: in progress until the new deployment is COMPLETED with healthy targets, then succeeded', () => {
    const f = loadFixture('clean-rollout');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'in-progress', 'succeeded']);
    expect(js[1]!.reasons.join(' ')).toMatch(/targets healthy 0\/2, 2 initial/);
    const last = js[3]!;
    expect(last.evidence.deploymentId).toBe('ecs-svc/5318942207519377408');
    expect(last.evidence.running).toBe(2);
    expect(last.evidence.targets?.healthy).toBe(2);
    expect(last.reasons[0]).toMatch(/demo-sandbox-api:7: 2\/2 tasks running, 2 healthy targets/);
  });

  it('clean rollout with --smoke: asks for the health URL, succeeds on 2xx', () => {
    const f = loadFixture('clean-rollout');
    const id = { ...f.identity, smoke: true };
    const snaps = timeline(f);
    const before = judge(id, snaps);
    expect(before.verdict).toBe('in-progress');
    expect(before.evidence.needsSmoke).toBe(true);
    const withSmoke: Snapshot[] = [
      ...snaps.slice(0, -1),
      { ...snaps[snaps.length - 1]!, smoke: { url: 'https://api.berth.test/health', ok: true, status: 200 } },
    ];
    const after = judge(id, withSmoke);
    expect(after.verdict).toBe('succeeded');
    expect(after.reasons[0]).toContain('answered 200');
  });

  it('smoke check failing three times in a row while ECS is green: failed, naming the URL and status', () => {
    const f = loadFixture('clean-rollout');
    const id = { ...f.identity, smoke: true };
    const done = timeline(f).at(-1)!;
    const bad = (sec: number): Snapshot => ({
      ...done,
      at: new Date(Date.parse(String(done.at)) + sec * 1000).toISOString(),
      smoke: { url: 'https://api.berth.test/health', ok: false, status: 503 },
    });
    expect(judge(id, [...timeline(f), bad(1), bad(2)]).verdict).toBe('in-progress');
    const j = judge(id, [...timeline(f), bad(1), bad(2), bad(3)]);
    expect(j.verdict).toBe('failed');
    expect(j.reasons[0]).toMatch(/https:\/\/api\.berth\.test\/health answered 503 3 times/);
  });

  it('essential container exit 1: one failure is tolerated, the second (max-failed-tasks 2) fails, with the log lines', () => {
    const f = loadFixture('essential-exit');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'failed']);
    expect(js[1]!.reasons.join('\n')).toMatch(/1 task stopped: Essential container api exited with code 1 — see the log lines below/);
    const last = js[2]!;
    expect(last.reasons[0]).toBe('2 tasks of demo-sandbox-api:7 failed (--max-failed-tasks 2)');
    expect(last.evidence.failures).toHaveLength(1);
    const g = last.evidence.failures[0]!;
    expect(g).toMatchObject({
      kind: 'essential-exit',
      count: 2,
      stopCode: 'EssentialContainerExited',
      exitCode: 1,
      logTaskId: 'a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e1',
    });
    expect(g.logLines?.at(-1)).toBe('ERROR:    Application startup failed. Exiting.');
  });

  it('max-failed-tasks 1: the first essential exit already fails', () => {
    const f = loadFixture('essential-exit');
    const snaps = timeline(f).slice(0, 2);
    expect(judge({ ...f.identity, maxFailedTasks: 1 }, snaps).verdict).toBe('failed');
    expect(judge({ ...f.identity, maxFailedTasks: 3 }, timeline(f)).verdict).toBe('in-progress');
  });

  it('CannotPullContainerError (not found) fails at the first task, definitive, with the fix', () => {
    const f = loadFixture('pull-error');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'failed']);
    expect(js[1]!.reasons[0]).toBe(
      '1 task stopped: CannotPullContainerError: image 123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:v2 not found in ECR — push it or fix the tag',
    );
    expect(js[1]!.evidence.failures[0]).toMatchObject({ kind: 'image-not-found', definitive: true, stopCode: 'TaskFailedToStart' });
  });

  it('exec format error (seen in the log lines): fails at once and names the architecture and the build flag', () => {
    const f = loadFixture('exec-format');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'failed']);
    expect(js[1]!.reasons[0]).toContain(
      "exec format error: the image's architecture does not match runtimePlatform X86_64 — build with --platform linux/amd64",
    );
    const arm = judge({ ...f.identity, cpuArchitecture: 'ARM64' }, timeline(f));
    expect(arm.reasons[0]).toContain('runtimePlatform ARM64 — build with --platform linux/arm64');
  });

  it('unhealthy target of a new task: failed with the reason code and description', () => {
    const f = loadFixture('unhealthy-targets');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'failed']);
    expect(js[1]!.reasons[0]).toMatch(
      /^target 10\.0\.10\.54:8001 unhealthy \(Target\.ResponseCodeMismatch: Health checks failed with these codes: \[502\]\)/,
    );
    expect(js[1]!.evidence.targets).toMatchObject({ unhealthy: 1, initial: 1 });
  });

  it('unhealthy OLD targets do not fail the new deployment', () => {
    const f = loadFixture('clean-rollout');
    const snaps = timeline(f);
    const s = structuredClone(snaps[1]!);
    s.targets = s.targets!.map((t) =>
      t.Target?.Id === '10.0.10.21' ? { ...t, TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } } : t,
    );
    expect(judge(f.identity, [snaps[0]!, s]).verdict).toBe('in-progress');
  });

  it('OutOfMemoryError: explained as memory, failed at the second kill', () => {
    const f = loadFixture('oom');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'failed']);
    expect(js[2]!.reasons[1]).toBe(
      '2 tasks stopped: OutOfMemoryError: container killed — raise memory (the task has 1024 MiB) or find the leak',
    );
  });

  it('ResourceInitializationError on a secret: definitive, names the role and the secret', () => {
    const f = loadFixture('secrets');
    const j = judge(f.identity, timeline(f));
    expect(j.verdict).toBe('failed');
    expect(j.reasons[0]).toContain(
      'ResourceInitializationError: unable to pull secrets — the execution role demo-sandbox-api-exec cannot read the secret arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/sandbox/redis-Xy12Ab',
    );
  });

  it('circuit breaker: rolled-back-by-ecs (never success), with ECS reason and task failures; the rollback is then verified', () => {
    const f = loadFixture('circuit-breaker');
    const snaps = timeline(f);
    const js = verdicts(f.identity, snaps);
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'rolled-back-by-ecs', 'rolled-back-by-ecs']);
    const j = js[1]!;
    expect(j.evidence.rollbackDeploymentId).toBe(f.ecsRollbackDeploymentId);
    expect(j.reasons[0]).toBe("ECS's deployment circuit breaker rolled demo-sandbox-api:7 back to demo-sandbox-api:6");
    expect(j.reasons).toContain('ECS: ECS deployment circuit breaker: tasks failed to start.');
    expect(j.reasons.join('\n')).toMatch(/3 tasks stopped: Task failed the load balancer health check on \/health/);
    // Verifying ECS's rollback: watch the rollback deployment like any other.
    const verify: Identity = {
      ...f.identity,
      kind: 'ecs-rollback',
      newTaskDefinition: f.identity.oldTaskDefinition,
      oldTaskDefinition: f.identity.newTaskDefinition,
      previousDeploymentIds: [...f.identity.previousDeploymentIds, 'ecs-svc/5318942207519377408'],
      deploymentId: f.ecsRollbackDeploymentId,
    };
    expect(judge(verify, snaps.slice(0, 2)).verdict).toBe('in-progress');
    expect(judge(verify, snaps).verdict).toBe('succeeded');
  });

  it("berth's own rollback racing the circuit breaker: ECS's rollback to the same revision in the same second is success, not rolled-back-by-ecs", () => {
    const f = loadFixture('circuit-breaker');
    const snaps = timeline(f);
    // berth judged :7 failed and rolled back to :6 while ECS's breaker did the same (its event at our deployment's second).
    const rollback: Identity = {
      ...f.identity,
      kind: 'rollback',
      newTaskDefinition: f.identity.oldTaskDefinition,
      oldTaskDefinition: f.identity.newTaskDefinition,
      previousDeploymentIds: [...f.identity.previousDeploymentIds, 'ecs-svc/5318942207519377408'],
    };
    expect(verdicts(rollback, snaps).map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'succeeded']);
    // A deploy still reads the same event as ECS rolling it back.
    expect(judge(f.identity, snaps).verdict).toBe('rolled-back-by-ecs');
  });

  it('a "rolling back" event alone (the failed deployment already gone) is enough', () => {
    const f = loadFixture('circuit-breaker');
    const s = structuredClone(timeline(f)[2]!);
    // ECS dropped both deployments' details but the events remain.
    s.service!.deployments = s.service!.deployments!.map((d) => ({
      ...d,
      taskDefinition: f.identity.newTaskDefinition.replace(':7', ':9'),
    }));
    const j = judge(f.identity, [s]);
    expect(j.verdict).toBe('rolled-back-by-ecs');
  });

  it('superseded by a deploy of another revision: superseded, not failed', () => {
    const f = loadFixture('superseded');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'superseded']);
    expect(js[1]!.evidence.supersededBy).toEqual({ id: 'ecs-svc/2765239118437781248', taskDefinition: expect.stringMatching(/:8$/) });
  });

  it('throttling in the middle: throttled polls carry no data, the verdict keeps the last real one and still succeeds', () => {
    const f = loadFixture('throttling');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'in-progress', 'in-progress', 'in-progress', 'succeeded']);
    expect(js[2]!.evidence.failedPolls).toBe(2);
    expect(js[2]!.evidence.running).toBe(0); // still the last good snapshot's numbers
  });

  it('timeout: in progress at 14m59s, timed-out at 15m05s, saying what it was waiting for', () => {
    const f = loadFixture('timeout');
    const js = verdicts(f.identity, timeline(f));
    expect(js.map((j) => j.verdict)).toEqual(['in-progress', 'in-progress', 'in-progress', 'timed-out']);
    expect(js[3]!.reasons[0]).toMatch(/^not done after 15m; still waiting for: rollout in progress; 0\/2 tasks running, 2 pending/);
    // ECS's own explanation, once, although it repeated it
    expect(js[3]!.reasons.filter((r) => r.startsWith('ECS: '))).toEqual([
      'ECS: (service api) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.',
    ]);
  });

  it('a throttled first poll after the timeout still times out', () => {
    const f = loadFixture('timeout');
    const j = judge({ ...f.identity, timeoutMs: 1000 }, [{ at: '2025-05-01T10:00:05Z', error: 'ThrottlingException: Rate exceeded' }]);
    expect(j.verdict).toBe('timed-out');
  });
});
