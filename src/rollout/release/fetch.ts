/**
 * One poll of a progressive release: DescribeServiceDeployments of the release, the production
 * listener rule's weights, the new target group's target health, the new revision's tasks (and the
 * last log lines of those that stopped), the new target group's CloudWatch metrics since the
 * release began (less what was counted in the same periods before it), the named alarms, and the
 * test path through the test listener rule once test traffic reaches the new revision.
 */
import type { SmokeResult, TaskSnap } from '../types.js';
import type { MetricSums, ReleaseOps } from './ops.js';
import type { ReleaseTraffic } from './setup.js';
import { weightsOf } from './setup.js';
import type { ReleaseIdentity, ReleaseSnapshot, StepMetrics } from './types.js';

/** Requests of the test path made while berth's hook holds the release; all must answer 2xx/3xx. */
const TEST_REQUESTS = 3;

export interface ReleaseFetchDeps {
  ops: ReleaseOps;
  traffic: ReleaseTraffic;
  /** The service's tasks, running and stopped (fetch.ts serviceTasks). */
  tasks: () => Promise<TaskSnap[]>;
  /** Last log lines of a stopped task ([] when there are none). */
  logLines: (taskId: string) => Promise<string[]>;
  /** The test path through the test listener rule; undefined when it cannot be requested from here. */
  testSmoke?: () => Promise<SmokeResult>;
  now: () => number;
  /** Metric periods start on whole minutes: the window starts at the minute the release began. */
  metricsStart: Date;
  maxLogTasks?: number;
}

/** Sums since the release began: the window's sums less the baseline counted in it before the release. */
export function lessBaseline(now: MetricSums, base: MetricSums | undefined): StepMetrics {
  const requests = Math.max(0, now.requests - (base?.requests ?? 0));
  const http5xx = Math.max(0, now.http5xx - (base?.http5xx ?? 0));
  const total = Math.max(0, now.latencyTotalSeconds - (base?.latencyTotalSeconds ?? 0));
  return { requests, http5xx, ...(requests > 0 ? { latencySeconds: total / requests } : {}) };
}

export type ReleaseFetcher = (id: ReleaseIdentity) => Promise<ReleaseSnapshot>;

/**
 * The end of the metrics window: now, but never less than the start's whole minute. CloudWatch
 * refuses a GetMetricData whose EndTime is not after its StartTime (ValidationException), which a
 * poll in the first second of the release's minute would otherwise send; an EndTime ahead of now
 * only holds no data yet.
 */
function metricsEnd(start: Date, at: Date): Date {
  return new Date(Math.max(at.getTime(), start.getTime() + 60_000));
}

export function makeReleaseFetcher(d: ReleaseFetchDeps, baseline: MetricSums | undefined): ReleaseFetcher {
  const logCache = new Map<string, string[]>();
  const maxLogTasks = d.maxLogTasks ?? 3;
  const t = d.traffic;
  return async (id) => {
    const at = new Date(d.now());
    const [deployment, forward, targets, tasks, sums, alarms] = await Promise.all([
      d.ops.describeServiceDeployment(id.deploymentArn),
      d.ops.ruleForward(t.productionRuleArn),
      d.ops.targetHealth(t.greenTargetGroupArn),
      d.tasks().then((ts) => ts.filter((x) => x.taskDefinitionArn === id.newTaskDefinition)),
      d.ops.metrics({
        loadBalancerArn: t.loadBalancerArn,
        targetGroupArn: t.greenTargetGroupArn,
        start: d.metricsStart,
        end: metricsEnd(d.metricsStart, at),
      }),
      d.ops.alarmStates(id.alarms),
    ]);
    for (const task of tasks) {
      const tid = task.taskArn?.split('/').pop() ?? '';
      if (task.lastStatus !== 'STOPPED' || logCache.has(tid) || logCache.size >= maxLogTasks) continue;
      logCache.set(tid, await d.logLines(tid).catch(() => []));
    }
    const test = await testHook(d, id, deployment);
    return {
      at,
      deployment,
      listener: weightsOf(forward, t.blueTargetGroupArn, t.greenTargetGroupArn),
      targets,
      tasks,
      logs: Object.fromEntries(logCache),
      metrics: lessBaseline(sums, baseline),
      alarms,
      ...test,
    };
  };
}

/**
 * Berth's PAUSE hook holds the release after the test traffic shift: request the test path through
 * the test listener rule; when every answer is 2xx/3xx, let the release go on (ContinueServiceDeployment
 * CONTINUE). A failed answer is left to the judgement, which rolls the release back.
 */
async function testHook(
  d: ReleaseFetchDeps,
  id: ReleaseIdentity,
  dep: ReleaseSnapshot['deployment'],
): Promise<Pick<ReleaseSnapshot, 'testSmoke' | 'testPassed'>> {
  const hook = (dep?.lifecycleHookDetails ?? []).find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId);
  // Only while the release itself waits: once it rolls back, test traffic is the old revision's again.
  if (!hook || !d.testSmoke || !id.testPath || dep?.lifecycleStage !== 'POST_TEST_TRAFFIC_SHIFT' || dep.status !== 'IN_PROGRESS') return {};
  let last: SmokeResult | undefined;
  for (let i = 0; i < TEST_REQUESTS; i++) {
    last = await d.testSmoke();
    if (!last.ok) return { testSmoke: last };
  }
  await d.ops.continueServiceDeployment(id.deploymentArn, hook.hookId!, 'CONTINUE');
  return { testSmoke: last, testPassed: true };
}
