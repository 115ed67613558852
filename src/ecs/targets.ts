/**
 * Targets of a service in its ELBv2 target groups: the one tally of their states, which targets
 * are a task's (by its private addresses), and an unhealthy target in words. Pure.
 */
import type { TaskSnap } from './types.js';

export interface TargetTally {
  total: number;
  healthy: number;
  unhealthy: number;
  initial: number;
  draining: number;
  /** unused, unavailable, unknown: any other state. */
  other: number;
  /** Reason codes of targets that are not healthy, with how many have each. */
  reasons: Record<string, number>;
}

/** Count targets by state (DescribeTargetHealth's TargetHealth.State), with the reasons of the unhealthy ones. */
export function tallyTargets(list: { state?: string; reason?: string }[]): TargetTally {
  const c: TargetTally = { total: list.length, healthy: 0, unhealthy: 0, initial: 0, draining: 0, other: 0, reasons: {} };
  for (const t of list) {
    const s = t.state ?? 'unknown';
    if (s === 'healthy') c.healthy++;
    else if (s === 'unhealthy') c.unhealthy++;
    else if (s === 'initial') c.initial++;
    else if (s === 'draining') c.draining++;
    else c.other++;
    if (s !== 'healthy' && t.reason) c.reasons[t.reason] = (c.reasons[t.reason] ?? 0) + 1;
  }
  return c;
}

/** The tally of DescribeTargetHealth's TargetHealthDescriptions. */
export function tallyDescriptions(descriptions: { TargetHealth?: { State?: string; Reason?: string } }[]): TargetTally {
  return tallyTargets(descriptions.map((d) => ({ state: d.TargetHealth?.State, reason: d.TargetHealth?.Reason })));
}

/** Private IPv4 addresses of a task (awsvpc: its ENI attachment): its targets' ids. */
export function taskIps(t: TaskSnap): string[] {
  const ips = new Set<string>();
  for (const a of t.attachments ?? []) for (const d of a.details ?? []) if (d.name === 'privateIPv4Address' && d.value) ips.add(d.value);
  for (const c of t.containers ?? []) for (const n of c.networkInterfaces ?? []) if (n.privateIpv4Address) ips.add(n.privateIpv4Address);
  return [...ips];
}

/** Describe an unhealthy target as the ALB reports it. */
export function explainTarget(
  t: { id: string; port?: number; state: string; reason?: string; description?: string },
  healthPath?: string,
): string {
  const where = `${t.id}${t.port ? `:${t.port}` : ''}`;
  const what = [t.reason, t.description].filter(Boolean).join(': ');
  let fix = '';
  if (t.reason === 'Target.ResponseCodeMismatch') fix = ` — the app answers ${healthPath ?? 'the health path'} with an error; see its logs`;
  else if (t.reason === 'Target.Timeout')
    fix = ' — no answer in time: check the app listens on 0.0.0.0 at the container port and the app SG allows the ALB';
  else if (t.reason === 'Target.FailedHealthChecks')
    fix = ' — the connection failed: check the container port and the app SG ingress from the ALB SG';
  return `target ${where} ${t.state}${what ? ` (${what})` : ''}${fix}`;
}
