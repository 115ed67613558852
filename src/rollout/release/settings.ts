/**
 * What a progressive release does, settled before any AWS call: the strategy (the service's
 * `deployment.strategy`, or `deploy --strategy` for one release), its steps and bakes, the alarms
 * that roll it back, the test-traffic smoke path and the thresholds each step is judged against.
 * The environment file's `deployment` (src/config) is already checked by ECS's rules. Pure.
 */
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import { ERROR_CODES, UsageError } from '../../output/errors.js';

export const STRATEGIES = ['rolling', 'blue-green', 'canary', 'linear'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export type ProgressiveStrategy = Exclude<Strategy, 'rolling'>;

/** The thresholds a traffic step is judged against (on the new revision's target group only). */
export interface Thresholds {
  /** HTTPCode_Target_5XX_Count / RequestCount, in percent, above which a step fails. */
  max5xxPercent: number;
  /** Average TargetResponseTime, in seconds, above which a step fails. */
  maxLatencySeconds: number;
  /** Requests the new revision must have answered before the rates are judged. */
  minRequests: number;
}

export interface ReleaseSettings {
  strategy: ProgressiveStrategy;
  canaryPercent: number;
  canaryBakeMinutes: number;
  linearStepPercent: number;
  linearBakeMinutes: number;
  /** bakeTimeInMinutes: both revisions kept after the last shift, before the old one is removed. */
  bakeMinutes: number;
  /** CloudWatch alarms that fail (and roll back) the release; ECS watches them too. */
  alarms: string[];
  /** Path checked through the test listener rule before production traffic moves. */
  testPath?: string;
  thresholds: Thresholds;
}

/** `services[].deployment` as src/config gives it (defaults filled). TODO(pd-stacks): import DeploymentConfig. */
interface DeploymentLike {
  strategy: Strategy;
  canary: { percent: number; bakeMinutes: number };
  linear: { stepPercent: number; stepBakeMinutes: number };
  bakeMinutes: number;
  alarms: string[];
  testPath?: string;
  thresholds: { max5xxPercent?: number; maxTargetResponseSeconds?: number };
}
const deploymentOf = (svc: ServiceConfig) => (svc as unknown as { deployment?: DeploymentLike }).deployment;

/** Requests the new revision answers before its 5xx share and response time are judged. */
const MIN_REQUESTS = 5;

/** `--strategy`: one of the four, or bad input (exit 2) naming the flag, the value and what is expected. */
export function parseStrategy(value: string): Strategy {
  if ((STRATEGIES as readonly string[]).includes(value)) return value as Strategy;
  throw new UsageError(`--strategy "${value}" is not a deployment strategy: expected one of ${STRATEGIES.join(', ')}.`, {
    code: ERROR_CODES.flagFormat,
  });
}

/** The strategy of this release: the flag, else the service's configuration (rolling by default). */
export function strategyOf(svc: ServiceConfig, override?: Strategy): Strategy {
  return override ?? deploymentOf(svc)?.strategy ?? 'rolling';
}

/** The settings of a progressive release of `svc` with `strategy` (from its `deployment`). */
export function releaseSettings(env: EnvironmentConfig, svc: ServiceConfig, strategy: ProgressiveStrategy): ReleaseSettings {
  const d = deploymentOf(svc)!;
  return {
    strategy,
    canaryPercent: d.canary.percent,
    canaryBakeMinutes: d.canary.bakeMinutes,
    linearStepPercent: d.linear.stepPercent,
    linearBakeMinutes: d.linear.stepBakeMinutes,
    bakeMinutes: d.bakeMinutes,
    alarms: [...d.alarms],
    testPath: d.testPath,
    thresholds: {
      max5xxPercent: d.thresholds.max5xxPercent ?? env.alarms.http5xxPercent,
      maxLatencySeconds: d.thresholds.maxTargetResponseSeconds ?? env.alarms.p95LatencySeconds,
      minRequests: MIN_REQUESTS,
    },
  };
}

/** The production traffic share of the new revision after each step, in order (the last is 100). TODO(pd-stacks): trafficSteps. */
export function plannedSteps(s: ReleaseSettings): number[] {
  if (s.strategy === 'blue-green') return [100];
  if (s.strategy === 'canary') return s.canaryPercent >= 100 ? [100] : [s.canaryPercent, 100];
  const out: number[] = [];
  for (let k = 1; Math.round(k * s.linearStepPercent * 10) < 1000; k++) out.push(Math.round(k * s.linearStepPercent * 10) / 10);
  return [...out, 100];
}

const ECS_STRATEGY = { 'blue-green': 'BLUE_GREEN', canary: 'CANARY', linear: 'LINEAR' } as const;

type RollingFields = {
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean };
};

/** UpdateService's deploymentConfiguration: the rolling fields terraform set, kept, and the strategy's (steps, bake, alarms). */
export function deploymentConfiguration(s: ReleaseSettings, current: RollingFields = {}) {
  return {
    ...(current.maximumPercent !== undefined ? { maximumPercent: current.maximumPercent } : {}),
    ...(current.minimumHealthyPercent !== undefined ? { minimumHealthyPercent: current.minimumHealthyPercent } : {}),
    ...(current.deploymentCircuitBreaker ? { deploymentCircuitBreaker: current.deploymentCircuitBreaker } : {}),
    strategy: ECS_STRATEGY[s.strategy],
    bakeTimeInMinutes: s.bakeMinutes,
    ...(s.strategy === 'canary'
      ? { canaryConfiguration: { canaryPercent: s.canaryPercent, canaryBakeTimeInMinutes: s.canaryBakeMinutes } }
      : {}),
    ...(s.strategy === 'linear'
      ? { linearConfiguration: { stepPercent: s.linearStepPercent, stepBakeTimeInMinutes: s.linearBakeMinutes } }
      : {}),
    alarms: { alarmNames: s.alarms, enable: s.alarms.length > 0, rollback: s.alarms.length > 0 },
  };
}

/**
 * The release settings of a deploy, or undefined for a rolling one. Bad input (exit 2, before any
 * AWS call): --no-rollback with a progressive strategy (ECS stops a release only by rolling it back).
 */
export function progressiveSettings(
  env: EnvironmentConfig,
  svc: ServiceConfig,
  override: Strategy | undefined,
  rollback: boolean,
): ReleaseSettings | undefined {
  const strategy = strategyOf(svc, override);
  if (strategy === 'rolling') return undefined;
  if (!rollback)
    throw new UsageError(
      `--no-rollback does not combine with the ${strategy} strategy${override ? '' : ` (services.${svc.name}.deployment.strategy)`}: a failing release is always rolled back (ECS's StopServiceDeployment stops a release only with ROLLBACK); expected --strategy rolling to keep a failed revision.`,
      { code: ERROR_CODES.flagCombination },
    );
  return releaseSettings(env, svc, strategy);
}
