/**
 * How the HTTPS listener routes to the services: the production rule of each service (path
 * condition; most specific pattern first) and, for a service whose deployment shifts traffic, its
 * test rule (the same path plus the header `X-Berth-Test: <service>`), placed just before its
 * production rule so test requests reach the test target group. The stacks create the rules in this
 * order; the config loader checks a test path reaches its own service by the same order. Pure.
 */
import type { ServiceConfig } from './types.js';

/** Whether an ALB path pattern (`*` any characters, `?` one; case-sensitive) matches a path. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(path);
}

/** The header a test request carries; its value is the service name. */
export const TEST_HEADER = 'X-Berth-Test';

/** The priority of the catch-all `/*` service's own rule when its deployment shifts traffic (ALB: 1..50000). */
export const CATCH_ALL_PRIORITY = 50000;

/** Listener rule priorities: most specific pattern first (longest), then by name; `/*` is the default action. */
export function routeOrder(services: ServiceConfig[]): { service: ServiceConfig; priority: number }[] {
  return services
    .filter((s) => s.pathPattern !== '/*')
    .sort((a, b) => b.pathPattern.length - a.pathPattern.length || a.pathPattern.localeCompare(b.pathPattern))
    .map((service, i) => ({ service, priority: (i + 1) * 10 }));
}

/** The priority of a service's production rule (the `/*` service: CATCH_ALL_PRIORITY). */
export function productionPriority(services: ServiceConfig[], svc: ServiceConfig): number {
  return routeOrder(services).find((r) => r.service.name === svc.name)?.priority ?? CATCH_ALL_PRIORITY;
}

/** The priority of a service's test rule: just before its production rule (production priorities step by 10). */
export function testPriority(services: ServiceConfig[], svc: ServiceConfig): number {
  return productionPriority(services, svc) - 5;
}

/** The service whose production rule (or the default action) takes a request for `path`. */
export function routedService(services: ServiceConfig[], path: string): ServiceConfig | undefined {
  return (
    routeOrder(services).find((r) => pathPatternMatches(r.service.pathPattern, path))?.service ??
    services.find((s) => s.pathPattern === '/*')
  );
}
