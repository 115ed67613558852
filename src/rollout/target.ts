/**
 * Which service of an environment a command operates on (`--service`), and where its pieces live.
 */
import { names, serviceNames } from '../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';
import { UsageError } from '../output/errors.js';
import type { ServiceLocator } from './fetch.js';

/**
 * `--service`: required only when the environment has several services; a wrong name is a usage
 * error listing the valid ones.
 */
export function selectService(env: EnvironmentConfig, name?: string): ServiceConfig {
  const valid = env.services.map((s) => s.name);
  if (name) {
    const svc = env.services.find((s) => s.name === name);
    if (!svc)
      throw new UsageError(`--service ${name}: environment ${env.name} has no such service; expected one of ${valid.join(', ')}.`, {
        details: { valid },
        code: 'usage.unknown-name',
      });
    return svc;
  }
  if (env.services.length === 1) return env.services[0]!;
  throw new UsageError(
    `--service is required: environment ${env.name} has ${valid.length} services (${valid.join(', ')}); expected one of them.`,
    { details: { valid }, code: 'usage.missing-option' },
  );
}

/** `--service` for commands that default to every service (status, health). */
export function selectServices(env: EnvironmentConfig, name?: string): ServiceConfig[] {
  return name ? [selectService(env, name)] : env.services;
}

export function locate(env: EnvironmentConfig, svc: ServiceConfig): ServiceLocator {
  const sn = serviceNames(env, svc);
  return {
    cluster: names(env).cluster,
    service: sn.service,
    container: sn.container,
    logGroup: sn.logGroup,
    streamPrefix: sn.logStreamPrefix,
  };
}

/** Refine the log group / stream prefix from the task definition's awslogs options, when it has them. */
export function locateFromTaskDefinition(
  loc: ServiceLocator,
  td:
    { containerDefinitions?: { name?: string; logConfiguration?: { logDriver?: string; options?: Record<string, string> } }[] } | undefined,
): ServiceLocator {
  const c = td?.containerDefinitions?.find((x) => x.name === loc.container);
  const o = c?.logConfiguration?.logDriver === 'awslogs' ? (c.logConfiguration.options ?? {}) : {};
  return { ...loc, logGroup: o['awslogs-group'] ?? loc.logGroup, streamPrefix: o['awslogs-stream-prefix'] ?? loc.streamPrefix };
}

/** The Application Auto Scaling resource id of an ECS service. */
export function scalableResourceId(cluster: string, service: string): string {
  return `service/${cluster}/${service}`;
}
