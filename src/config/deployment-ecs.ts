/**
 * The ECS request shapes of `services[].deployment`: the `deploymentConfiguration` and the load
 * balancer's `advancedConfiguration` berth sends with UpdateService when it starts a release (the
 * fields the 5.x terraform provider cannot express; see docs/deployment-ownership.md). Plain data,
 * no SDK import, so the config layer stays pure; field names are ECS's.
 */
import type { DeploymentConfig } from './types.js';

/**
 * The rolling fields of DeploymentConfiguration, as terraform sets them on every service (the
 * service construct reads them from here): berth sends them unchanged with the strategy fields so a
 * release never makes terraform see drift in what it owns.
 */
export const TERRAFORM_DEPLOYMENT = {
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
} as const;

/** ECS's name of a strategy (DeploymentConfiguration.strategy). */
export const ECS_STRATEGY = { rolling: 'ROLLING', 'blue-green': 'BLUE_GREEN', canary: 'CANARY', linear: 'LINEAR' } as const;

export interface EcsDeploymentFields {
  strategy: (typeof ECS_STRATEGY)[keyof typeof ECS_STRATEGY];
  bakeTimeInMinutes?: number;
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  alarms: { alarmNames: string[]; enable: boolean; rollback: boolean };
}

/**
 * The strategy fields of DeploymentConfiguration for a release with `strategy` (the configured one
 * or `deploy --strategy`). Rolling sends no bake time (ECS applies its own) and no canary/linear
 * block (ECS refuses them outside their strategy). The caller merges them with the rolling fields
 * terraform set (maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker).
 */
export function ecsDeploymentFields(d: DeploymentConfig, strategy: DeploymentConfig['strategy'] = d.strategy): EcsDeploymentFields {
  const alarms = { alarmNames: [...d.alarms], enable: d.alarms.length > 0, rollback: d.alarms.length > 0 };
  const out: EcsDeploymentFields = { strategy: ECS_STRATEGY[strategy], alarms };
  if (strategy === 'rolling') return out;
  out.bakeTimeInMinutes = d.bakeMinutes;
  if (strategy === 'canary') out.canaryConfiguration = { canaryPercent: d.canary.percent, canaryBakeTimeInMinutes: d.canary.bakeMinutes };
  if (strategy === 'linear')
    out.linearConfiguration = { stepPercent: d.linear.stepPercent, stepBakeTimeInMinutes: d.linear.stepBakeMinutes };
  return out;
}

/** The whole DeploymentConfiguration berth sends when it starts a release: terraform's rolling fields and the strategy's. */
export function ecsDeploymentConfiguration(d: DeploymentConfig, strategy: DeploymentConfig['strategy'] = d.strategy) {
  return {
    maximumPercent: TERRAFORM_DEPLOYMENT.maximumPercent,
    minimumHealthyPercent: TERRAFORM_DEPLOYMENT.minimumHealthyPercent,
    deploymentCircuitBreaker: { ...TERRAFORM_DEPLOYMENT.deploymentCircuitBreaker },
    ...ecsDeploymentFields(d, strategy),
  };
}
