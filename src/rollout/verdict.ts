/**
 * Is this rollout done, failed, rolled back by ECS, superseded, or timed out — and why?
 *
 * Pure: takes the watched change's identity and the timeline of snapshots polled so far (oldest
 * first) and returns a verdict with reasons and evidence. The loop in watch.ts only fetches and
 * feeds this function; tests feed it recorded API responses.
 *
 * The rules, in the order they are applied:
 *  1. superseded — a deployment that is neither ours nor one of those that existed before, on a task
 *     definition that is neither ours nor the old one, appeared after ours: someone else deployed.
 *  2. rolled-back-by-ecs — the circuit breaker rolled back: a new deployment on the OLD task
 *     definition, or an ECS event "rolling back" / "circuit breaker" after we started.
 *  3. failed — as soon as the evidence is in: a definitive task failure (image not found, wrong
 *     architecture, unreadable secret, ...), `maxFailedTasks` failed tasks of our deployment, a
 *     target of our tasks `unhealthy` in the target group, ECS marking our rollout FAILED, or the
 *     health URL failing `smokeAttempts` times in a row once everything else was green.
 *  4. succeeded — our deployment is PRIMARY and COMPLETED, running = desired, every task of ours
 *     healthy in the target group, and (if asked) the health URL answered 2xx.
 *  5. timed-out — none of the above within `timeoutMs` of the start.
 *  6. in-progress — otherwise, with what it is waiting for.
 */
import { shortTd, taskId } from '../ecs/ids.js';
import { explainStop, type StopContext } from '../ecs/stop-explanations.js';
import { isBenignStop, normaliseReason } from '../ecs/stops.js';
import { explainTarget, tallyTargets, taskIps } from '../ecs/targets.js';
import { toMs } from '../ecs/time.js';
import type {
  Deployment,
  Evidence,
  FailureGroup,
  Identity,
  Judgement,
  ServiceEvent,
  ServiceSnap,
  Snapshot,
  TargetState,
  TaskSnap,
} from './types.js';

const CLOCK_SKEW_MS = 60_000;

/** Which deployment is ours. Returns its id, found in any snapshot of the timeline. */
export function findOurDeploymentId(id: Identity, timeline: Snapshot[]): string | undefined {
  if (id.deploymentId) return id.deploymentId;
  const prev = new Set(id.previousDeploymentIds);
  for (const s of timeline) {
    const ds = s.service?.deployments ?? [];
    if (id.kind === 'scale') {
      const p = ds.find((d) => d.status === 'PRIMARY');
      if (p?.id) return p.id;
      continue;
    }
    const mine = ds
      .filter((d) => d.id && !prev.has(d.id) && d.taskDefinition === id.newTaskDefinition)
      .sort((a, b) => (toMs(a.createdAt) ?? 0) - (toMs(b.createdAt) ?? 0))[0];
    if (mine?.id) return mine.id;
  }
  return undefined;
}

function isOurTask(t: TaskSnap, id: Identity, ourId: string | undefined, startMs: number): boolean {
  if (t.startedBy && ourId && t.startedBy.startsWith('ecs-svc/')) return t.startedBy === ourId;
  if (id.kind === 'restart' || id.kind === 'scale') {
    const created = toMs(t.createdAt);
    return t.taskDefinitionArn === id.newTaskDefinition && created !== undefined && created >= startMs - CLOCK_SKEW_MS;
  }
  return t.taskDefinitionArn === id.newTaskDefinition;
}

/** Latest state of every task of ours seen anywhere in the timeline. */
function ourTasks(id: Identity, timeline: Snapshot[], ourId: string | undefined, startMs: number): TaskSnap[] {
  const byArn = new Map<string, TaskSnap>();
  for (const s of timeline) for (const t of s.tasks ?? []) if (t.taskArn && isOurTask(t, id, ourId, startMs)) byArn.set(t.taskArn, t);
  return [...byArn.values()];
}

function latestLogs(timeline: Snapshot[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of timeline) Object.assign(out, s.logs ?? {});
  return out;
}

export function groupFailures(tasks: TaskSnap[], logs: Record<string, string[]>, id: StopContext): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  const stopped = tasks
    .filter((t) => t.lastStatus === 'STOPPED' && !isBenignStop(t))
    .sort((a, b) => (toMs(a.stoppedAt) ?? 0) - (toMs(b.stoppedAt) ?? 0));
  for (const t of stopped) {
    const tid = taskId(t.taskArn);
    const ex = explainStop(t, logs[tid], id);
    const key = `${ex.kind}|${t.stopCode ?? ''}|${normaliseReason(t.stoppedReason)}|${ex.exitCode ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        kind: ex.kind,
        explanation: ex.explanation,
        definitive: ex.definitive,
        count: 0,
        taskIds: [],
        stopCode: t.stopCode,
        stoppedReason: t.stoppedReason,
        container: ex.container,
        exitCode: ex.exitCode,
      };
      groups.set(key, g);
    }
    g.count++;
    g.taskIds.push(tid);
    if (!g.logLines && logs[tid]) {
      g.logTaskId = tid;
      g.logLines = logs[tid];
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function describeFailure(g: FailureGroup): string {
  const n = g.count === 1 ? '1 task' : `${g.count} tasks`;
  return `${n} stopped: ${g.explanation}`;
}

function targetStates(s: Snapshot, ours: TaskSnap[]): { list: TargetState[]; matched: boolean } | null {
  if (s.targets === null || s.targets === undefined) return null;
  const ourIps = new Set(ours.filter((t) => t.lastStatus !== 'STOPPED').flatMap(taskIps));
  const list = s.targets.map((d) => ({
    id: d.Target?.Id ?? '?',
    port: d.Target?.Port,
    state: d.TargetHealth?.State ?? 'unknown',
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
    ours: ourIps.has(d.Target?.Id ?? ''),
  }));
  return { list, matched: ourIps.size > 0 };
}

const ROLLBACK_EVENT = /rolling back|circuit breaker/i;
/** Service events that explain why a rollout is not progressing (ECS's own sentences). */
const PROBLEM_EVENT = /unable to|insufficient|capacity is unavailable|limit|failed|is unhealthy|not authorized|error/i;

/** The latest distinct problem events since the start (task ids folded), newest first, at most `n`. */
export function problemEvents(events: { message?: string }[], n = 3): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of events) {
    const m = e.message ?? '';
    if (!PROBLEM_EVENT.test(m) || ROLLBACK_EVENT.test(m)) continue;
    const key = m.replace(/\(task [0-9a-f]+\)/g, '(task …)');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
    if (out.length >= n) break;
  }
  return out;
}

/** What one judgement works on: the watched change, the latest complete poll, and the evidence so far. */
interface Judging {
  id: Identity;
  timeline: Snapshot[];
  startMs: number;
  nowMs: number;
  timedOut: boolean;
  ev: Evidence;
  out: (verdict: Judgement['verdict'], reasons: string[]) => Judgement;
  svc: ServiceSnap;
  deployments: Deployment[];
  ourId?: string;
  ours?: Deployment;
  desired: number;
  tasks: TaskSnap[];
  failures: FailureGroup[];
  failureReasons: string[];
  /** Service events since the start (ECS lists them newest first). */
  events: ServiceEvent[];
  /** Target states of the latest poll; matched: told ours from theirs by task address. */
  targets?: { list: TargetState[]; matched: boolean } | null;
}

export function judge(id: Identity, timeline: Snapshot[]): Judgement {
  const startMs = toMs(id.startedAt) ?? 0;
  const nowSnap = timeline[timeline.length - 1];
  const nowMs = toMs(nowSnap?.at) ?? startMs;
  const elapsedMs = Math.max(0, nowMs - startMs);
  const complete = timeline.filter((s) => s.service && !s.error);
  const last = complete[complete.length - 1];
  const failedPolls = timeline.filter((s) => s.error).length;
  const ev: Evidence = {
    desired: 0,
    running: 0,
    pending: 0,
    failedTasks: 0,
    failures: [],
    targets: null,
    oldRunning: 0,
    needsSmoke: false,
    elapsedMs,
    waitingFor: [],
    failedPolls,
  };
  const timedOut = elapsedMs >= id.timeoutMs;
  const out = (verdict: Judgement['verdict'], reasons: string[]): Judgement => ({ verdict, reasons, evidence: ev });
  if (!last) {
    ev.waitingFor.push(
      failedPolls
        ? `an answer from ECS (${failedPolls} poll${failedPolls === 1 ? '' : 's'} failed: ${nowSnap?.error ?? ''})`
        : 'the first answer from ECS',
    );
    return timedOut ? out('timed-out', [`no answer from ECS within ${fmtDuration(id.timeoutMs)}`]) : out('in-progress', ev.waitingFor);
  }
  const j = observe(id, timeline, complete, last, { startMs, nowMs, timedOut, ev, out });
  const decided = takenOver(j) ?? failedNow(j);
  if (decided) return decided;
  const waiting = waitingForSuccess(j);
  const smoke = waiting.length ? undefined : smokeCheck(j, waiting);
  return smoke ?? conclude(j, waiting);
}

/** The evidence of the latest complete poll: our deployment, its counts, our tasks and why some stopped. */
function observe(
  id: Identity,
  timeline: Snapshot[],
  complete: Snapshot[],
  last: Snapshot,
  base: Pick<Judging, 'startMs' | 'nowMs' | 'timedOut' | 'ev' | 'out'>,
): Judging {
  const { ev, startMs } = base;
  const svc = last.service!;
  const deployments = svc.deployments ?? [];
  const ourId = findOurDeploymentId(id, complete);
  const ours = ourId ? deployments.find((d) => d.id === ourId) : undefined;
  ev.deploymentId = ourId;
  ev.deploymentStatus = ours?.status;
  ev.rolloutState = ours?.rolloutState;
  ev.rolloutStateReason = ours?.rolloutStateReason;
  const desired = id.kind === 'scale' ? (id.desiredCount ?? svc.desiredCount ?? 0) : (ours?.desiredCount ?? svc.desiredCount ?? 0);
  ev.desired = desired;
  ev.running = ours?.runningCount ?? 0;
  ev.pending = ours?.pendingCount ?? 0;
  ev.oldRunning = deployments.filter((d) => d.id !== ourId && (d.runningCount ?? 0) > 0).reduce((n, d) => n + (d.runningCount ?? 0), 0);
  const tasks = ourTasks(id, complete, ourId, startMs);
  const failures = groupFailures(tasks, latestLogs(timeline), id);
  ev.failures = failures;
  ev.failedTasks = failures.reduce((n, g) => n + g.count, 0);
  const events = (svc.events ?? []).filter((e) => (toMs(e.createdAt) ?? 0) >= startMs - 1000);
  return {
    ...base,
    id,
    timeline,
    svc,
    deployments,
    ourId,
    ours,
    desired,
    tasks,
    failures,
    failureReasons: failures.map(describeFailure),
    events,
    targets: targetStates(last, tasks),
  };
}

/** Rules 1 and 2: another deployment appeared after ours (superseded), or ECS rolled ours back. */
function takenOver(j: Judging): Judgement | undefined {
  const { id, ours, ourId, out, ev } = j;
  const prev = new Set(id.previousDeploymentIds);
  const ourCreated = toMs(ours?.createdAt) ?? j.startMs;
  const others = j.deployments.filter((d): d is Deployment & { id: string } => Boolean(d.id) && !prev.has(d.id!) && d.id !== ourId);
  const sameTd = id.newTaskDefinition === id.oldTaskDefinition;
  const rollbackDep = others.find((d) => !sameTd && d.taskDefinition === id.oldTaskDefinition && id.kind !== 'ecs-rollback');
  // A rollback event must come after our deployment was created (both ECS's clock): one that
  // rolled back an EARLIER deployment moments before we started is not about ours. A rollback's own
  // watch (berth's or ECS's) reads none: the circuit breaker rolling the failed deployment back to the
  // same revision, in the same second as our update, is the outcome we want, not a failure of ours;
  // had ECS rolled OUR deployment back, its rollout state says FAILED (rule 3).
  const rollbackEvent =
    id.kind === 'ecs-rollback' || id.kind === 'rollback' || sameTd
      ? undefined
      : j.events.find((e) => {
          if (ours?.createdAt !== undefined && (toMs(e.createdAt) ?? 0) < ourCreated) return false;
          const m = e.message ?? '';
          return /rolling back/i.test(m) || (ROLLBACK_EVENT.test(m) && (!ourId || m.includes(ourId)));
        });
  const newer = others.filter(
    (d) => d !== rollbackDep && (toMs(d.createdAt) ?? j.nowMs) >= ourCreated && (d.taskDefinition !== id.oldTaskDefinition || sameTd),
  );
  const usurper = newer.find((d) => d.taskDefinition !== id.newTaskDefinition || d.status === 'PRIMARY');
  if (usurper && !rollbackEvent && (ours || usurper.status === 'PRIMARY')) {
    ev.supersededBy = { id: usurper.id, taskDefinition: usurper.taskDefinition };
    return out('superseded', [
      `another deployment (${usurper.id}, ${shortTd(usurper.taskDefinition)}) replaced ours${ourId ? ` (${ourId})` : ''} — someone else deployed; berth leaves it alone`,
    ]);
  }
  if (!rollbackDep && !rollbackEvent) return undefined;
  ev.rollbackDeploymentId = rollbackDep?.id;
  return out('rolled-back-by-ecs', [
    `ECS's deployment circuit breaker rolled ${shortTd(id.newTaskDefinition)} back to ${shortTd(id.oldTaskDefinition)}`,
    ...(ours?.rolloutStateReason ? [`ECS: ${ours.rolloutStateReason}`] : rollbackEvent?.message ? [`ECS: ${rollbackEvent.message}`] : []),
    ...j.failureReasons,
  ]);
}

/** Rule 3: failures, as soon as the evidence is in (also counts our targets into the evidence). */
function failedNow(j: Judging): Judgement | undefined {
  const { id, ev, out, failures, failureReasons, ours } = j;
  const maxFailed = Math.max(1, id.maxFailedTasks);
  const definitive = failures.filter((g) => g.definitive);
  if (definitive.length)
    return out('failed', [...definitive.map(describeFailure), ...failures.filter((g) => !g.definitive).map(describeFailure)]);
  if (ev.failedTasks >= maxFailed)
    return out('failed', [
      `${ev.failedTasks} task${ev.failedTasks === 1 ? '' : 's'} of ${shortTd(id.newTaskDefinition)} failed (--max-failed-tasks ${maxFailed})`,
      ...failureReasons,
    ]);
  if (ours?.rolloutState === 'FAILED')
    return out('failed', [`ECS marked the deployment FAILED: ${ours.rolloutStateReason ?? 'no reason given'}`, ...failureReasons]);
  const ts = j.targets;
  if (!ts) return undefined;
  const mine = ts.matched ? ts.list.filter((t) => t.ours) : ts.list;
  ev.targets = { ...tallyTargets(mine), list: ts.list };
  const bad = mine.filter((t) => t.state === 'unhealthy');
  // Without IPs to match we only blame unhealthy targets once no old task is left to own them.
  if (bad.length && (ts.matched || ev.oldRunning === 0))
    return out('failed', [...bad.map((t) => explainTarget(t, id.healthPath)), ...failureReasons]);
  return undefined;
}

/** Rule 4, ECS's part: what our deployment still lacks to be done. */
function waitingForSuccess(j: Judging): string[] {
  const { id, ev, ours, ourId, desired } = j;
  const waiting: string[] = [];
  if (!ourId || !ours) return [`ECS to start the deployment of ${shortTd(id.newTaskDefinition)}`];
  if (ours.status !== 'PRIMARY') waiting.push(`deployment ${ourId} to become PRIMARY (it is ${ours.status ?? 'unknown'})`);
  if (ours.rolloutState && ours.rolloutState !== 'COMPLETED') waiting.push(`rollout ${ours.rolloutState.toLowerCase().replace('_', ' ')}`);
  if (ev.running !== desired || (id.kind === 'scale' && (j.svc.desiredCount ?? desired) !== desired))
    waiting.push(`${ev.running}/${desired} tasks running${ev.pending ? `, ${ev.pending} pending` : ''}`);
  if (!ours.rolloutState && ev.oldRunning > 0) waiting.push(`${ev.oldRunning} old task${ev.oldRunning === 1 ? '' : 's'} to stop`);
  if (ev.targets && desired > 0) {
    // With task IPs we require every target of ours healthy; without, enough healthy targets and none starting.
    const t = ev.targets;
    const settling = t.initial + t.other + (j.targets!.matched ? t.draining : 0);
    if (t.healthy < desired || settling > 0)
      waiting.push(`targets healthy ${t.healthy}/${desired}${t.initial ? `, ${t.initial} initial` : ''}`);
  }
  return waiting;
}

/** Rule 4, the health URL's part (when asked): failed after `smokeAttempts` failures in a row, else what it waits for. */
function smokeCheck(j: Judging, waiting: string[]): Judgement | undefined {
  const { id, ev, timeline } = j;
  if (!id.smoke || j.desired <= 0) return undefined;
  const smokes = timeline.filter((s) => s.smoke);
  const lastSmoke = smokes[smokes.length - 1]?.smoke;
  ev.smoke = lastSmoke;
  if (lastSmoke?.ok && timeline[timeline.length - 1]?.smoke) return undefined; // the check belongs to the latest poll: all green.
  let fails = 0;
  for (let i = smokes.length - 1; i >= 0 && !smokes[i]!.smoke!.ok; i--) fails++;
  if (fails >= (id.smokeAttempts ?? 3)) {
    const s = lastSmoke!;
    return j.out('failed', [
      `the health URL ${s.url} ${s.status ? `answered ${s.status}` : `did not answer (${s.error ?? 'no response'})`} ${fails} times in a row although ECS and the target group report healthy — the app or its routing (listener rule, host) is broken`,
      ...j.failureReasons,
    ]);
  }
  ev.needsSmoke = true;
  waiting.push(lastSmoke ? `the health URL to answer 2xx (last: ${lastSmoke.status ?? lastSmoke.error})` : `a 2xx from the health URL`);
  return undefined;
}

/** Rules 4 to 6: succeeded when nothing is awaited, else timed out or in progress, with what ECS says. */
function conclude(j: Judging, waiting: string[]): Judgement {
  const { id, ev, out, failures, failureReasons, desired } = j;
  ev.waitingFor = waiting;
  if (!waiting.length) {
    const reasons = [
      `${shortTd(id.newTaskDefinition)}: ${ev.running}/${desired} tasks running${ev.targets ? `, ${ev.targets.healthy} healthy target${ev.targets.healthy === 1 ? '' : 's'}` : ''}${ev.smoke?.ok ? `, ${ev.smoke.url} answered ${ev.smoke.status}` : ''}`,
    ];
    if (ev.failedTasks)
      reasons.push(
        `(${ev.failedTasks} task${ev.failedTasks === 1 ? '' : 's'} failed on the way: ${failures.map((g) => g.explanation).join('; ')})`,
      );
    return out('succeeded', reasons);
  }
  const ecsSays = problemEvents(j.events).map((m) => `ECS: ${m}`);
  if (j.timedOut)
    return out('timed-out', [
      `not done after ${fmtDuration(id.timeoutMs)}; still waiting for: ${waiting.join('; ')}`,
      ...failureReasons,
      ...ecsSays,
    ]);
  return out('in-progress', [...waiting, ...failureReasons, ...ecsSays]);
}

export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
}

/** One line for progress output (the step's title names the revision): counts only, so that it changes only when something happens. */
export function progressLine(id: Identity, j: Judgement): string {
  const e = j.evidence;
  const parts = [`${e.running}/${e.desired} running`];
  if (e.pending) parts.push(`${e.pending} pending`);
  if (e.oldRunning) parts.push(`${e.oldRunning} old`);
  if (e.targets)
    parts.push(
      `targets ${e.targets.healthy} healthy${e.targets.initial ? ` ${e.targets.initial} initial` : ''}${e.targets.unhealthy ? ` ${e.targets.unhealthy} unhealthy` : ''}`,
    );
  if (e.failedTasks) parts.push(`${e.failedTasks} failed`);
  if (e.rolloutState) parts.push(`rollout ${e.rolloutState.toLowerCase().replace('_', ' ')}`);
  return parts.join(', ');
}
