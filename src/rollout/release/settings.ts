/**
 * What a progressive release does, settled before any AWS call: the strategy (the service's
 * `deployment.strategy`, or `deploy --strategy` for one release), its steps and bakes, the alarms
 * that roll it back, the test-traffic smoke path and the thresholds each step is judged against.
 * The environment file's `deployment` (src/config) is already checked by ECS's rules; the ECS
 * request fields come from src/config/deployment-ecs.ts. Pure.
 */
import { ecsDeploymentConfiguration } from '../../config/deployment-ecs.js';
import { trafficSteps } from '../../config/deployment-rules.js';
import { DEPLOYMENT_STRATEGIES } from '../../config/deployment-schema.js';
import type { DeploymentConfig, DeploymentStrategy, EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import { ERROR_CODES, UsageError } from '../../output/errors.js';

export type Strategy = DeploymentStrategy;
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
  /** The service's `deployment` (steps, bakes, alarms, test path), its strategy overridden by --strategy. */
  deployment: DeploymentConfig;
  thresholds: Thresholds;
}

/** Requests the new revision answers before its 5xx share and response time are judged. */
const MIN_REQUESTS = 5;

/** `--strategy`: one of the four, or bad input (exit 2) naming the flag, the value and what is expected. */
export function parseStrategy(value: string): Strategy {
  if ((DEPLOYMENT_STRATEGIES as readonly string[]).includes(value)) return value as Strategy;
  throw new UsageError(`--strategy "${value}" is not a deployment strategy: expected one of ${DEPLOYMENT_STRATEGIES.join(', ')}.`, {
    code: ERROR_CODES.flagFormat,
  });
}

/** The settings of a progressive release of `svc` with `strategy` (from its `deployment`). */
export function releaseSettings(svc: ServiceConfig, strategy: ProgressiveStrategy): ReleaseSettings {
  const d = svc.deployment;
  return {
    strategy,
    deployment: { ...d, strategy },
    thresholds: {
      max5xxPercent: d.thresholds.max5xxPercent,
      maxLatencySeconds: d.thresholds.maxTargetResponseSeconds,
      minRequests: MIN_REQUESTS,
    },
  };
}

/**
 * The release settings of a deploy, or undefined for a rolling one. Bad input (exit 2, before any
 * AWS call): --no-rollback with a progressive strategy (ECS stops a release only by rolling it back).
 */
export function progressiveSettings(
  _env: EnvironmentConfig,
  svc: ServiceConfig,
  override: Strategy | undefined,
  rollback: boolean,
): ReleaseSettings | undefined {
  const strategy = override ?? svc.deployment.strategy;
  if (strategy === 'rolling') return undefined;
  if (!rollback)
    throw new UsageError(
      `--no-rollback does not combine with the ${strategy} strategy${override ? '' : ` (services.${svc.name}.deployment.strategy)`}: a failing release is always rolled back (ECS's StopServiceDeployment stops a release only with ROLLBACK); expected --strategy rolling to keep a failed revision.`,
      { code: ERROR_CODES.flagCombination },
    );
  return releaseSettings(svc, strategy);
}

/** The production traffic share of the new revision after each step, in order (the last is 100). */
export function plannedSteps(s: ReleaseSettings): number[] {
  return trafficSteps(s.deployment);
}

/**
 * A rolling change (deploy --strategy rolling, rollback, restart) on a service a release left on
 * BLUE_GREEN, CANARY or LINEAR: the deploymentConfiguration that puts it back on ROLLING (else ECS
 * would run the change as the last release's strategy). Undefined when the service is rolling already.
 */
export function backToRolling(svc: ServiceConfig, current: { strategy?: string } | undefined) {
  if (!current?.strategy || current.strategy === 'ROLLING') return undefined;
  return ecsDeploymentConfiguration(svc.deployment, 'rolling');
}

/**
 * The PAUSE hook that holds the release after the test traffic shift while berth requests the test
 * path; if berth is gone, ECS rolls the release back when it times out.
 */
export function testHook(timeoutMinutes: number) {
  return {
    targetType: 'PAUSE',
    lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    timeoutConfiguration: { timeoutInMinutes: Math.min(1440, Math.max(1, Math.ceil(timeoutMinutes))), action: 'ROLLBACK' },
  };
}

/**
 * UpdateService's deploymentConfiguration for the release: terraform's rolling fields and the
 * strategy's (src/config/deployment-ecs.ts: the same values terraform sets, so no drift), and
 * berth's test hook when there is a test path to request.
 */
export function deploymentConfiguration(s: ReleaseSettings, hookMinutes?: number) {
  return {
    ...ecsDeploymentConfiguration(s.deployment, s.strategy),
    ...(hookMinutes !== undefined ? { lifecycleHooks: [testHook(hookMinutes)] } : {}),
  };
}
