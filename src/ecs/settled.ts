/**
 * Is a service settled? The one answer berth gives (rollout, doctor, status, the sandbox): the
 * service is ACTIVE, it has one deployment, the PRIMARY one, COMPLETED and running its desired
 * count, and, when the caller counted its targets, every target of it is healthy. Pure.
 */
import type { TargetTally } from './targets.js';
import type { ServiceSnap } from './types.js';

/** The service's targets, when it is load-balanced: their tally over `groups` target groups. */
export interface SettledTargets {
  tally: TargetTally;
  groups: number;
}

export function isSettled(svc: ServiceSnap | undefined, targets?: SettledTargets): boolean {
  if (!svc || (svc.status !== undefined && svc.status !== 'ACTIVE')) return false;
  const ds = svc.deployments ?? [];
  const p = ds.find((d) => d.status === 'PRIMARY');
  if (ds.length !== 1 || !p || p.rolloutState !== 'COMPLETED') return false;
  const desired = p.desiredCount ?? svc.desiredCount ?? 0;
  if ((p.runningCount ?? svc.runningCount ?? 0) !== desired || (svc.desiredCount ?? desired) !== desired) return false;
  if (!targets || targets.groups === 0) return true;
  return targets.tally.healthy === desired * targets.groups && targets.tally.total === targets.tally.healthy;
}

/** Settled, and running at least one task: what proves that the revision it runs works. */
export function isSettledWithTasks(svc: ServiceSnap | undefined, targets?: SettledTargets): boolean {
  return isSettled(svc, targets) && (svc?.desiredCount ?? 0) > 0;
}
