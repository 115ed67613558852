/**
 * Is this progressive release done, failing, rolled back, stopped or timed out, and why?
 *
 * Pure, like src/rollout/verdict.ts for a rolling deploy: takes the release's identity and the
 * timeline of polls (oldest first) and returns a verdict with reasons and evidence. The loop in
 * watch.ts only fetches and feeds it; tests feed it recorded DescribeServiceDeployments answers.
 *
 * The rules, in order:
 *  1. rolled-back-by-ecs / stopped / superseded — ECS is rolling the release back or has stopped
 *     it without berth asking: its circuit breaker or its alarms (rolled-back-by-ecs), a person or
 *     another tool (stopped), a newer deployment (superseded).
 *  2. failed — as soon as the evidence is in, at any stage: a definitive task failure of the new
 *     revision or `maxFailedTasks` failed tasks (the words of a rolling deploy), a target of the
 *     new target group `unhealthy`, a named alarm in ALARM, the test path failing `smokeAttempts`
 *     times in a row, and — once the new revision has answered `minRequests` requests — its 5xx
 *     share or its average response time above the thresholds.
 *  3. succeeded — ECS reports the deployment SUCCESSFUL.
 *  4. timed-out — none of the above within `timeoutMs` of the start.
 *  5. in-progress — otherwise, with the stage and split it is in.
 */
import { shortTd } from '../../ecs/ids.js';
import { explainTarget, tallyTargets } from '../../ecs/targets.js';
import { toMs } from '../../ecs/time.js';
import type { FailureGroup, TaskSnap } from '../types.js';
import { groupFailures } from '../verdict.js';
import { currentSplit, stagesOf } from './stages.js';
import type { ReleaseEvidence, ReleaseIdentity, ReleaseJudgement, ReleaseSnapshot, ReleaseVerdict, Signal } from './types.js';

const ROLLBACK_STATUSES = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

function pct(n: number): string {
  return `${Math.round(n * 10) / 10}%`;
}

/** Latest state of every task of the new revision seen anywhere in the timeline. */
function newTasks(id: ReleaseIdentity, timeline: ReleaseSnapshot[]): TaskSnap[] {
  const byArn = new Map<string, TaskSnap>();
  for (const s of timeline)
    for (const t of s.tasks ?? []) if (t.taskArn && t.taskDefinitionArn === id.newTaskDefinition) byArn.set(t.taskArn, t);
  return [...byArn.values()];
}

function logsOf(timeline: ReleaseSnapshot[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of timeline) Object.assign(out, s.logs ?? {});
  return out;
}

function describeFailure(g: FailureGroup): string {
  return `${g.count === 1 ? '1 task' : `${g.count} tasks`} stopped: ${g.explanation}`;
}

/** The metric, alarm and test-path signals of the latest poll that cross a line. */
export function signalsOf(id: ReleaseIdentity, timeline: ReleaseSnapshot[]): Signal[] {
  const last = [...timeline].reverse().find((s) => !s.error);
  if (!last) return [];
  const out: Signal[] = [];
  const t = id.thresholds;
  const m = last.metrics;
  if (m && m.requests >= Math.max(1, t.minRequests)) {
    const share = (m.http5xx / m.requests) * 100;
    if (m.http5xx > 0 && share > t.max5xxPercent)
      out.push({
        kind: 'http-5xx',
        value: Math.round(share * 10) / 10,
        threshold: t.max5xxPercent,
        explanation: `the new revision answered HTTP 5xx to ${m.http5xx} of ${m.requests} requests (${pct(share)}, above ${pct(t.max5xxPercent)}) — HTTPCode_Target_5XX_Count on its target group; see its logs`,
      });
    if (m.latencySeconds !== undefined && m.latencySeconds > t.maxLatencySeconds)
      out.push({
        kind: 'latency',
        value: m.latencySeconds,
        threshold: t.maxLatencySeconds,
        explanation: `the new revision answers in ${m.latencySeconds.toFixed(3)} s on average (TargetResponseTime), above ${t.maxLatencySeconds} s`,
      });
  }
  for (const a of last.alarms ?? [])
    if (a.state === 'ALARM' && id.alarms.includes(a.name))
      out.push({ kind: 'alarm', explanation: `alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}` });
  const need = id.smokeAttempts ?? 3;
  const smokes = timeline.filter((s) => s.testSmoke).map((s) => s.testSmoke!);
  const tail = smokes.slice(-need);
  const last2 = smokes[smokes.length - 1];
  // An HTTP answer that is not 2xx/3xx stops the release at once; no answer at all, `need` times in a row.
  const answered = last2 && !last2.ok && last2.status !== undefined;
  if (answered || (tail.length >= need && tail.every((r) => !r.ok))) {
    const r = last2!;
    out.push({
      kind: 'test-path',
      explanation: `the test path ${r.url} failed through the test listener rule, before production traffic moved (${r.status ? `HTTP ${r.status}` : (r.error ?? 'no answer')}${answered ? '' : `, ${need} times in a row`})`,
    });
  }
  return out;
}

function emptyEvidence(id: ReleaseIdentity, timeline: ReleaseSnapshot[]): ReleaseEvidence {
  const startMs = toMs(id.startedAt) ?? 0;
  const nowMs = toMs(timeline[timeline.length - 1]?.at) ?? startMs;
  return {
    deploymentArn: id.deploymentArn,
    production: currentSplit(timeline),
    stages: stagesOf(timeline),
    failures: [],
    signals: [],
    targets: { healthy: 0, unhealthy: 0, total: 0 },
    elapsedMs: Math.max(0, nowMs - startMs),
    waitingFor: [],
    failedPolls: timeline.filter((s) => s.error).length,
  };
}

/** When the first sign of trouble was seen: a 5xx counted, a task of the new revision failing, a target unhealthy. */
function firstTrouble(id: ReleaseIdentity, timeline: ReleaseSnapshot[]): string | undefined {
  for (const s of timeline) {
    if (s.error) continue;
    const bad =
      (s.metrics?.http5xx ?? 0) > 0 ||
      (s.targets ?? []).some((t) => t.TargetHealth?.State === 'unhealthy') ||
      (s.alarms ?? []).some((a) => a.state === 'ALARM' && id.alarms.includes(a.name)) ||
      (s.tasks ?? []).some(
        (t) => t.taskDefinitionArn === id.newTaskDefinition && t.lastStatus === 'STOPPED' && t.stopCode !== 'UserInitiated',
      );
    if (bad) return new Date(toMs(s.at) ?? 0).toISOString();
  }
  return undefined;
}

/** Rule 1: ECS rolled the release back or stopped it without berth asking. */
function takenOver(id: ReleaseIdentity, ev: ReleaseEvidence, timeline: ReleaseSnapshot[]): ReleaseJudgement | undefined {
  const d = [...timeline].reverse().find((s) => s.deployment && !s.error)?.deployment;
  const status = d?.status ?? '';
  if (id.rollbackRequestedAt !== undefined || !(ROLLBACK_STATUSES.has(status) || status === 'STOPPED' || status === 'STOP_REQUESTED'))
    return undefined;
  const out = (verdict: ReleaseVerdict, reasons: string[]): ReleaseJudgement => ({ verdict, reasons, evidence: ev });
  const why = d?.rollback?.reason ?? d?.statusReason;
  const triggered = d?.alarms?.triggeredAlarmNames ?? [];
  if (d?.deploymentCircuitBreaker?.status === 'TRIGGERED' || triggered.length || d?.alarms?.status === 'TRIGGERED') {
    const by = triggered.length ? `alarm${triggered.length > 1 ? 's' : ''} ${triggered.join(', ')}` : "ECS's deployment circuit breaker";
    return out('rolled-back-by-ecs', [
      `${by} rolled ${shortTd(id.newTaskDefinition)} back to ${shortTd(id.oldTaskDefinition)}`,
      ...(why ? [`ECS: ${why}`] : []),
      ...ev.failures.map(describeFailure),
    ]);
  }
  if (/new deployment|superseded|replaced/i.test(why ?? ''))
    return out('superseded', [`another deployment replaced the release ${id.deploymentArn}${why ? ` (ECS: ${why})` : ''}`]);
  return out('stopped', [
    `the release was stopped from outside berth's watch (\`berth rollback\` or StopServiceDeployment)${why ? ` — ECS: ${why}` : ''}`,
  ]);
}

/** Rule 2: the evidence against the new revision, as soon as it is in. */
function failedNow(id: ReleaseIdentity, ev: ReleaseEvidence, timeline: ReleaseSnapshot[]): ReleaseJudgement | undefined {
  const reasons: string[] = [];
  const definitive = ev.failures.filter((g) => g.definitive);
  const failedTasks = ev.failures.reduce((n, g) => n + g.count, 0);
  if (definitive.length) reasons.push(...ev.failures.map(describeFailure));
  else if (failedTasks >= Math.max(1, id.maxFailedTasks))
    reasons.push(
      `${failedTasks} task${failedTasks === 1 ? '' : 's'} of ${shortTd(id.newTaskDefinition)} failed (--max-failed-tasks ${Math.max(1, id.maxFailedTasks)})`,
      ...ev.failures.map(describeFailure),
    );
  const last = [...timeline].reverse().find((s) => !s.error);
  const targets = (last?.targets ?? []).map((d) => ({
    id: d.Target?.Id ?? '?',
    port: d.Target?.Port,
    state: d.TargetHealth?.State ?? 'unknown',
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
  }));
  const tally = tallyTargets(targets);
  ev.targets = { healthy: tally.healthy, unhealthy: tally.unhealthy, total: tally.total };
  reasons.push(...targets.filter((t) => t.state === 'unhealthy').map((t) => explainTarget(t, id.healthPath)));
  ev.signals = signalsOf(id, timeline);
  reasons.push(...ev.signals.map((s) => s.explanation));
  if (!reasons.length) return undefined;
  ev.firstFailureAt = firstTrouble(id, timeline) ?? new Date(toMs(last?.at) ?? 0).toISOString();
  return { verdict: 'failed', reasons, evidence: ev };
}

export function judgeRelease(id: ReleaseIdentity, timeline: ReleaseSnapshot[]): ReleaseJudgement {
  const ev = emptyEvidence(id, timeline);
  const last = [...timeline].reverse().find((s) => s.deployment && !s.error);
  const timedOut = ev.elapsedMs >= id.timeoutMs;
  if (!last) {
    ev.waitingFor.push(ev.failedPolls ? `an answer from ECS (${ev.failedPolls} polls failed)` : 'the first answer from ECS');
    return timedOut
      ? { verdict: 'timed-out', reasons: [`no answer from ECS within ${Math.round(id.timeoutMs / 1000)} s`], evidence: ev }
      : { verdict: 'in-progress', reasons: ev.waitingFor, evidence: ev };
  }
  const d = last.deployment!;
  ev.status = d.status;
  ev.stage = d.lifecycleStage;
  ev.metrics = [...timeline].reverse().find((s) => s.metrics && !s.error)?.metrics;
  ev.failures = groupFailures(newTasks(id, timeline), logsOf(timeline), id);
  const decided = takenOver(id, ev, timeline) ?? failedNow(id, ev, timeline);
  if (decided) return decided;
  if (d.status === 'SUCCESSFUL') return { verdict: 'succeeded', reasons: [], evidence: ev };
  ev.waitingFor.push(
    `${(d.lifecycleStage ?? d.status ?? 'PENDING').toLowerCase().replace(/_/g, ' ')}: ${pct(ev.production.new)} of production traffic on ${shortTd(id.newTaskDefinition)}`,
  );
  if (timedOut)
    return {
      verdict: 'timed-out',
      reasons: [`the release did not finish within ${Math.round(id.timeoutMs / 1000)} s (it was at ${ev.waitingFor[0]})`],
      evidence: ev,
    };
  return { verdict: 'in-progress', reasons: ev.waitingFor, evidence: ev };
}

/** After berth asked ECS to roll back: is all production traffic back on the old revision, and is ECS done? */
export function rollbackState(timeline: ReleaseSnapshot[]): 'in-progress' | 'succeeded' | 'failed' {
  const last = [...timeline].reverse().find((s) => s.deployment && !s.error);
  const status = last?.deployment?.status ?? '';
  if (status === 'ROLLBACK_FAILED') return 'failed';
  if (status === 'ROLLBACK_SUCCESSFUL' && currentSplit(timeline).new === 0) return 'succeeded';
  return 'in-progress';
}

/** When production traffic was first seen all back on the old revision after `sinceMs` (ms), if it was. */
export function trafficBackAt(timeline: ReleaseSnapshot[], sinceMs: number): number | undefined {
  for (const s of timeline) {
    const at = toMs(s.at) ?? 0;
    if (at < sinceMs || s.error || !s.listener) continue;
    if (s.listener.new === 0) return at;
  }
  return undefined;
}
