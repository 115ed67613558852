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

/** Lifecycle stages during which test traffic reaches the new revision. */
const TEST_STAGES = new Set(['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT']);

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
      d.ops.metrics({ loadBalancerArn: t.loadBalancerArn, targetGroupArn: t.greenTargetGroupArn, start: d.metricsStart, end: at }),
      d.ops.alarmStates(id.alarms),
    ]);
    for (const task of tasks) {
      const tid = task.taskArn?.split('/').pop() ?? '';
      if (task.lastStatus !== 'STOPPED' || logCache.has(tid) || logCache.size >= maxLogTasks) continue;
      logCache.set(tid, await d.logLines(tid).catch(() => []));
    }
    const stage = deployment?.lifecycleStage ?? '';
    const testSmoke = d.testSmoke && id.testPath && TEST_STAGES.has(stage) ? await d.testSmoke() : undefined;
    return {
      at,
      deployment,
      listener: weightsOf(forward, t.blueTargetGroupArn, t.greenTargetGroupArn),
      targets,
      tasks,
      logs: Object.fromEntries(logCache),
      metrics: lessBaseline(sums, baseline),
      alarms,
      ...(testSmoke ? { testSmoke } : {}),
    };
  };
}
