// The progressive release's judgement (pure) on recorded timelines: DescribeServiceDeployments
// shapes as the AWS documentation shows them, the listener's weights, the new target group's
// targets and CloudWatch sums, the named alarms, the test path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stagesOf } from '../../../src/rollout/release/stages.js';
import type { ReleaseSnapshot, ServiceDeploymentSnap } from '../../../src/rollout/release/types.js';
import { judgeRelease, rollbackState, trafficBackAt } from '../../../src/rollout/release/verdict.js';
import { judge } from '../../../src/rollout/verdict.js';
import type { TaskSnap } from '../../../src/rollout/types.js';
import { goodCanary, identity, poll, T0, TD } from './timeline.js';

const documented = JSON.parse(readFileSync(new URL('./fixtures/describe-service-deployments-rollback.json', import.meta.url), 'utf8')) as {
  serviceDeployments: ServiceDeploymentSnap[];
};

const upTo = (tl: ReleaseSnapshot[], n: number) => tl.slice(0, n);

describe('judgeRelease: a good release', () => {
  it('in progress at every poll before ECS says SUCCESSFUL, then succeeded', () => {
    const tl = goodCanary();
    for (let n = 1; n < tl.length; n++) expect(judgeRelease(identity(), upTo(tl, n)).verdict).toBe('in-progress');
    const j = judgeRelease(identity(), tl);
    expect(j.verdict).toBe('succeeded');
    expect(j.evidence.production).toEqual({ old: 0, new: 100 });
    expect(j.evidence.signals).toEqual([]);
  });

  it('the stages: one record per lifecycle stage and split, with start, end and weights', () => {
    const st = stagesOf(goodCanary());
    expect(st.map((s) => [s.stage, s.production.new, s.production.old])).toEqual([
      ['PRE_SCALE_UP', 0, 100],
      ['SCALE_UP', 0, 100],
      ['POST_SCALE_UP', 0, 100],
      ['TEST_TRAFFIC_SHIFT', 0, 100],
      ['PRODUCTION_TRAFFIC_SHIFT', 10, 90],
      ['PRODUCTION_TRAFFIC_SHIFT', 100, 0],
      ['BAKE_TIME', 100, 0],
      ['CLEAN_UP', 100, 0],
    ]);
    const canary = st[4]!;
    expect(canary.startedAt).toBe(new Date(T0 + 13_000).toISOString());
    expect(canary.endedAt).toBe(new Date(T0 + 43_000).toISOString());
    expect(st[7]!.endedAt).toBe(new Date(T0 + 64_000).toISOString());
    expect(canary.testToNew).toBe(100);
  });

  it('without the listener weights, the split is the one ECS reports it requested', () => {
    const tl = goodCanary().map(({ listener: _l, ...s }) => s);
    expect(stagesOf(tl)[4]!.production).toEqual({ old: 90, new: 10 });
  });
});

describe('judgeRelease: evidence against the new revision', () => {
  const canaryStep = (over: Partial<ReleaseSnapshot>) => [
    ...upTo(goodCanary(), 4),
    poll(13, 'PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', 10, { metrics: { requests: 2, http5xx: 0 } }),
    poll(16, 'PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', 10, over),
  ];

  it('5xx share above the threshold at the first step: failed, with the counts, the share and when the first 5xx was seen', () => {
    const tl = canaryStep({ metrics: { requests: 40, http5xx: 6, latencySeconds: 0.01 } });
    const j = judgeRelease(identity(), tl);
    expect(j.verdict).toBe('failed');
    expect(j.evidence.signals).toEqual([expect.objectContaining({ kind: 'http-5xx', value: 15, threshold: 1 })]);
    expect(j.reasons[0]).toMatch(/6 of 40 requests \(15%, above 1%\)/);
    expect(j.evidence.production).toEqual({ old: 90, new: 10 });
    expect(j.evidence.firstFailureAt).toBe(new Date(T0 + 16_000).toISOString());
  });

  it('fewer requests than minRequests are not judged yet; a share at the threshold passes', () => {
    expect(judgeRelease(identity(), canaryStep({ metrics: { requests: 4, http5xx: 4 } })).verdict).toBe('in-progress');
    expect(judgeRelease(identity(), canaryStep({ metrics: { requests: 200, http5xx: 2 } })).verdict).toBe('in-progress');
    expect(judgeRelease(identity(), canaryStep({ metrics: { requests: 200, http5xx: 3 } })).verdict).toBe('failed');
  });

  it('average response time above the threshold: failed (latency)', () => {
    const j = judgeRelease(identity(), canaryStep({ metrics: { requests: 50, http5xx: 0, latencySeconds: 2.5 } }));
    expect(j.verdict).toBe('failed');
    expect(j.evidence.signals.map((s) => s.kind)).toEqual(['latency']);
  });

  it('a named alarm in ALARM fails the step; an alarm berth was not told about does not', () => {
    const named = judgeRelease(
      identity(),
      canaryStep({ alarms: [{ name: 'demo-sandbox-api-5xx', state: 'ALARM', reason: 'Threshold Crossed' }] }),
    );
    expect(named.verdict).toBe('failed');
    expect(named.evidence.signals.map((s) => s.kind)).toEqual(['alarm']);
    expect(judgeRelease(identity(), canaryStep({ alarms: [{ name: 'other', state: 'ALARM' }] })).verdict).toBe('in-progress');
  });

  it("an unhealthy target on the new target group: failed, in a rolling deploy's words", () => {
    const j = judgeRelease(
      identity(),
      canaryStep({
        targets: [
          {
            Target: { Id: '10.0.1.21', Port: 8080 },
            TargetHealth: {
              State: 'unhealthy',
              Reason: 'Target.ResponseCodeMismatch',
              Description: 'Health checks failed with these codes: [500]',
            },
          },
        ],
      }),
    );
    expect(j.verdict).toBe('failed');
    expect(j.reasons).toEqual([
      'target 10.0.1.21:8080 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500]) — the app answers /health with an error; see its logs',
    ]);
  });

  it('a task of the new revision that cannot pull its image: failed at once, with the same kind and sentence as a rolling deploy', () => {
    const stopped: TaskSnap = {
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/demo-sandbox/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      taskDefinitionArn: TD(8),
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/api:nope: not found',
      containers: [{ name: 'api', lastStatus: 'STOPPED' }],
      startedBy: 'ecs-svc/1234567890123456789',
    };
    const j = judgeRelease(identity(), [poll(1, 'SCALE_UP', 'IN_PROGRESS', 0, { targets: [], tasks: [stopped] })]);
    expect(j.verdict).toBe('failed');
    expect(j.evidence.failures.map((f) => [f.kind, f.definitive])).toEqual([['image-not-found', true]]);
    const rolling = judge(
      {
        kind: 'deploy',
        service: 'api',
        newTaskDefinition: TD(8),
        oldTaskDefinition: TD(7),
        previousDeploymentIds: [],
        startedAt: T0,
        timeoutMs: 60_000,
        maxFailedTasks: 2,
        smoke: false,
        container: 'api',
        healthPath: '/health',
        port: 8080,
      },
      [
        {
          at: T0 + 1000,
          service: { deployments: [{ id: 'ecs-svc/1234567890123456789', taskDefinition: TD(8), status: 'PRIMARY' }] },
          tasks: [stopped],
          targets: null,
        },
      ],
    );
    expect(j.reasons).toEqual(rolling.reasons);
  });

  it('the test path through the test listener rule: one HTTP error fails the release; no answer fails only three times in a row', () => {
    const url = 'https://api.example.org/api/ping';
    const answered = { url, ok: false, status: 502 };
    const silent = { url, ok: false, error: 'ETIMEDOUT' };
    const good = { url, ok: true, status: 200 };
    const test = (smokes: { url: string; ok: boolean; status?: number; error?: string }[]) => [
      ...upTo(goodCanary(), 3),
      ...smokes.map((s, i) => poll(10 + i, 'POST_TEST_TRAFFIC_SHIFT', 'IN_PROGRESS', 0, { testSmoke: s })),
    ];
    const id = identity({ testPath: '/api/ping' });
    const j = judgeRelease(id, test([answered]));
    expect(j.verdict).toBe('failed');
    expect(j.evidence.signals.map((s) => s.kind)).toEqual(['test-path']);
    expect(j.reasons[0]).toMatch(/before production traffic moved \(HTTP 502\)/);
    expect(judgeRelease(id, test([silent, silent, good])).verdict).toBe('in-progress');
    expect(judgeRelease(id, test([silent, silent, silent])).verdict).toBe('failed');
  });
});

describe('judgeRelease: ECS or someone else ended it', () => {
  it('the AWS-documented DescribeServiceDeployments of a circuit-breaker rollback: rolled back by ECS, with its reason', () => {
    const d = documented.serviceDeployments[0]!;
    const j = judgeRelease(identity({ deploymentArn: d.serviceDeploymentArn!, startedAt: '2024-09-10T16:40:02Z' }), [
      { at: '2024-09-10T16:49:36Z', deployment: d },
    ]);
    expect(j.verdict).toBe('rolled-back-by-ecs');
    expect(j.reasons).toEqual([
      "ECS's deployment circuit breaker rolled demo-sandbox-api:8 back to demo-sandbox-api:7",
      'ECS: Service deployment rolled back because the circuit breaker threshold was exceeded.',
    ]);
  });

  it('an alarm ECS watched triggered the rollback: rolled back by ECS, naming the alarm', () => {
    const tl = [
      ...upTo(goodCanary(), 5),
      poll(20, 'PRODUCTION_TRAFFIC_SHIFT', 'ROLLBACK_IN_PROGRESS', 10, {
        deployment: {
          ...goodCanary()[4]!.deployment!,
          status: 'ROLLBACK_IN_PROGRESS',
          alarms: { status: 'TRIGGERED', alarmNames: ['demo-sandbox-api-5xx'], triggeredAlarmNames: ['demo-sandbox-api-5xx'] },
        },
      }),
    ];
    const j = judgeRelease(identity(), tl);
    expect(j.verdict).toBe('rolled-back-by-ecs');
    expect(j.reasons[0]).toMatch(/^alarm demo-sandbox-api-5xx rolled /);
  });

  it('rolled back without a trigger and without berth asking: stopped from outside (berth rollback elsewhere)', () => {
    const tl = [...upTo(goodCanary(), 5), poll(20, 'PRODUCTION_TRAFFIC_SHIFT', 'ROLLBACK_REQUESTED', 10)];
    expect(judgeRelease(identity(), tl).verdict).toBe('stopped');
  });

  it('no verdict within the timeout: timed out, saying where it was', () => {
    const j = judgeRelease(identity({ timeoutMs: 30_000 }), upTo(goodCanary(), 6));
    expect(j.verdict).toBe('timed-out');
    expect(j.reasons[0]).toMatch(/production traffic shift: 10% of production traffic/);
  });
});

describe('after berth asked for the rollback', () => {
  it('done only when ECS says ROLLBACK_SUCCESSFUL and the listener sends nothing to the new revision; when traffic came back', () => {
    const base = upTo(goodCanary(), 5);
    const requested = T0 + 16_000;
    const tl = [
      ...base,
      poll(16, 'PRODUCTION_TRAFFIC_SHIFT', 'ROLLBACK_REQUESTED', 10),
      poll(17, 'PRODUCTION_TRAFFIC_SHIFT', 'ROLLBACK_IN_PROGRESS', 0),
    ];
    expect(rollbackState(tl)).toBe('in-progress');
    expect(trafficBackAt(tl, requested)).toBe(T0 + 17_000);
    tl.push(poll(19, 'CLEAN_UP', 'ROLLBACK_SUCCESSFUL', 0));
    expect(rollbackState(tl)).toBe('succeeded');
    expect(rollbackState([...base, poll(19, 'CLEAN_UP', 'ROLLBACK_FAILED', 10)])).toBe('failed');
  });
});
