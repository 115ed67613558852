/**
 * The pure half of `berth status`: the answers of the SDK calls (StatusRaw, plain data) in, the
 * report out. No I/O and no clock of its own: `now` is handed in.
 */
import { revisionOf, shortTd } from '../ecs/ids.js';
import { isSettled } from '../ecs/settled.js';
import { tallyDescriptions } from '../ecs/targets.js';
import { toMs } from '../ecs/time.js';
import type { ServiceSnap, Time } from '../ecs/types.js';
import type { ServiceRevisionSummarySnap } from '../rollout/release/types.js';
import type {
  AlarmStatus,
  DeploymentStatus,
  RawAlarm,
  RawRelease,
  RawService,
  ReleaseRevision,
  ReleaseStatus,
  ServiceStatus,
  StatusRaw,
  StatusReport,
} from './types.js';

type Deployment = NonNullable<ServiceSnap['deployments']>[number];

function iso(at: Time | undefined): string | undefined {
  const ms = toMs(at);
  return ms !== undefined ? new Date(ms).toISOString() : undefined;
}

function alarmStatus(a: RawAlarm): AlarmStatus {
  return {
    name: a.AlarmName ?? '?',
    state: a.StateValue ?? '?',
    reason: a.StateReason,
    since: a.StateUpdatedTimestamp ? iso(a.StateUpdatedTimestamp) : undefined,
  };
}

export function deploymentStatus(d: Deployment, images: StatusRaw['images'], now: number): DeploymentStatus {
  const created = toMs(d.createdAt);
  return {
    id: d.id,
    status: d.status,
    revision: revisionOf(d.taskDefinition),
    taskDefinition: shortTd(d.taskDefinition),
    image: d.taskDefinition ? images[d.taskDefinition] : undefined,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    createdAt: created !== undefined ? new Date(created).toISOString() : undefined,
    ageSeconds: created !== undefined ? Math.max(0, Math.round((now - created) / 1000)) : undefined,
  };
}

/** The newest `count` events, newest first. */
export function lastEvents(snap: ServiceSnap, count: number): ServiceStatus['events'] {
  return (snap.events ?? [])
    .slice()
    .sort((a, b) => (toMs(b.createdAt) ?? 0) - (toMs(a.createdAt) ?? 0))
    .slice(0, count)
    .map((e) => ({ at: e.createdAt !== undefined ? iso(e.createdAt) : undefined, message: e.message ?? '' }));
}

function revisionStatus(
  r: ServiceRevisionSummarySnap | undefined,
  raw: RawRelease,
  images: StatusRaw['images'],
): ReleaseRevision | undefined {
  if (!r?.arn) return undefined;
  const td = raw.taskDefinitions[r.arn];
  return {
    serviceRevision: r.arn,
    taskDefinition: td ? shortTd(td) : undefined,
    revision: td ? revisionOf(td) : undefined,
    image: td ? images[td] : undefined,
    running: r.runningTaskCount ?? 0,
    requested: r.requestedTaskCount ?? 0,
    productionWeight: r.requestedProductionTrafficWeight,
    testWeight: r.requestedTestTrafficWeight,
  };
}

/** A release in progress: stage, the production split (ECS's requested weights) and both revisions. */
export function releaseStatus(raw: RawRelease, images: StatusRaw['images']): ReleaseStatus {
  const d = raw.deployment;
  const target = revisionStatus(d.targetServiceRevision, raw, images);
  const old = (d.sourceServiceRevisions ?? []).map((r) => revisionStatus(r, raw, images)).filter((x): x is ReleaseRevision => Boolean(x));
  const newW = target?.productionWeight ?? 0;
  const oldW = old.reduce((n, r) => n + (r.productionWeight ?? 0), 0);
  return {
    deploymentArn: d.serviceDeploymentArn ?? '?',
    strategy: d.deploymentConfiguration?.strategy,
    status: d.status,
    stage: d.lifecycleStage,
    startedAt: iso(d.startedAt ?? d.createdAt),
    production: { old: oldW || 100 - newW, new: newW },
    old,
    new: target,
  };
}

function missing(s: RawService): ServiceStatus {
  return {
    name: s.name,
    found: false,
    desired: 0,
    running: 0,
    pending: 0,
    deployments: [],
    autoscaling: s.range ?? null,
    events: [],
    targets: null,
    settled: false,
  };
}

export function serviceStatus(s: RawService, images: StatusRaw['images'], now: number, eventCount: number): ServiceStatus {
  const snap = s.snap;
  if (!snap) return missing(s);
  const targets = s.targets ? tallyDescriptions(s.targets) : null;
  return {
    name: s.name,
    found: true,
    status: snap.status,
    desired: snap.desiredCount ?? 0,
    running: snap.runningCount ?? 0,
    pending: snap.pendingCount ?? 0,
    taskDefinition: snap.taskDefinition,
    deployments: (snap.deployments ?? []).map((d) => deploymentStatus(d, images, now)),
    autoscaling: s.range ?? null,
    events: lastEvents(snap, eventCount),
    targets,
    settled: isSettled(snap, targets ? { tally: targets, groups: snap.loadBalancers?.length ?? 0 } : undefined),
    ...(s.release ? { release: releaseStatus(s.release, images) } : {}),
  };
}

export function buildStatus(raw: StatusRaw, now: number, eventCount = 5): StatusReport {
  return {
    environment: raw.environment,
    cluster: raw.cluster,
    at: new Date(now).toISOString(),
    notes: raw.notes,
    alarms: raw.alarms.map(alarmStatus),
    services: raw.services.map((s) => serviceStatus(s, raw.images, now, eventCount)),
  };
}

/** The exit code of a one-shot status: 0 when every service was found, 1 otherwise. */
export function exitCodeForStatus(r: StatusReport): 0 | 1 {
  return r.services.every((s) => s.found) ? 0 : 1;
}

/** What changed between two reports, ignoring the clock (for --watch in plain mode). */
export function statusKey(r: StatusReport): string {
  return JSON.stringify({
    ...r,
    at: undefined,
    services: r.services.map((s) => ({ ...s, deployments: s.deployments.map((d) => ({ ...d, ageSeconds: undefined })) })),
  });
}
