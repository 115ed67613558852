/**
 * The rules of `services[].deployment` that span fields or that a range cannot state, as ECS
 * documents them: canaryPercent and stepPercent are multiples of 0.1 (CanaryConfiguration,
 * LinearConfiguration); an alarm is named once (DeploymentAlarms); the test path must reach the
 * service through its own path pattern (the test listener rule carries the same path condition).
 * Pure.
 */
import { pathPatternMatches, routedService } from './routes.js';
import type { Issue } from './spec.js';
import type { DeploymentConfig, ServiceConfig } from './types.js';

/** Whether x is a multiple of 0.1 (as ECS takes a percent), allowing for binary floating point. */
export function isTenth(x: number): boolean {
  return Math.abs(x * 10 - Math.round(x * 10)) < 1e-9;
}

/** Push an issue for every deployment setting of services[i] that ECS (or the test rule) would refuse. */
export function checkDeployment(svc: ServiceConfig, i: number, issues: Issue[]): void {
  const d: DeploymentConfig | undefined = svc.deployment;
  if (!d || typeof d !== 'object') return;
  const at = `services[${i}].deployment`;
  if (typeof d.canary?.percent === 'number' && !isTenth(d.canary.percent))
    issues.push({
      path: `${at}.canary.percent`,
      value: d.canary.percent,
      expected: 'a multiple of 0.1 from 0.1 to 100 (ECS canaryPercent)',
    });
  if (typeof d.linear?.stepPercent === 'number' && !isTenth(d.linear.stepPercent))
    issues.push({
      path: `${at}.linear.stepPercent`,
      value: d.linear.stepPercent,
      expected: 'a multiple of 0.1 from 3 to 100 (ECS stepPercent)',
    });
  const seen = new Map<string, number>();
  (Array.isArray(d.alarms) ? d.alarms : []).forEach((name, j) => {
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first !== undefined)
      issues.push({ path: `${at}.alarms[${j}]`, value: name, expected: `an alarm not already named at ${at}.alarms[${first}]` });
    else seen.set(name, j);
  });
}

/**
 * services[i].deployment.testPath reaches services[i] through the test rule: its own path pattern
 * matches it, and no more specific service's production rule (evaluated before the test rule) takes it.
 */
export function checkTestPath(services: ServiceConfig[], i: number, issues: Issue[]): void {
  const svc = services[i]!;
  const path = svc.deployment?.testPath;
  if (typeof path !== 'string' || typeof svc.pathPattern !== 'string') return;
  const at = `services[${i}].deployment.testPath`;
  if (!pathPatternMatches(svc.pathPattern, path))
    return void issues.push({
      path: at,
      value: path,
      expected: `a path that services[${i}].pathPattern "${svc.pathPattern}" routes (the test listener rule has the same path condition)`,
    });
  const taker = routedService(services, path);
  if (taker && taker !== svc)
    issues.push({
      path: at,
      value: path,
      expected: `a path routed to services[${i}]; "${taker.name}" (pathPattern "${taker.pathPattern}") takes it first`,
    });
}

/**
 * The traffic steps of a strategy, as the percentages of production traffic on the new revision
 * after each shift (blue-green [100]; canary [p, 100]; linear [s, 2s, ..., 100]). Pure; what the
 * verdict and the emulator agree on.
 */
export function trafficSteps(d: Pick<DeploymentConfig, 'strategy' | 'canary' | 'linear'>): number[] {
  if (d.strategy === 'rolling' || d.strategy === 'blue-green') return [100];
  if (d.strategy === 'canary') return d.canary.percent >= 100 ? [100] : [d.canary.percent, 100];
  const out: number[] = [];
  for (let k = 1; Math.round(k * d.linear.stepPercent * 10) < 1000; k++) out.push(Math.round(k * d.linear.stepPercent * 10) / 10);
  return [...out, 100];
}
