/** Small helpers over ECS task definitions and services. */
import type { ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';

/** The service's main container: the one named like the service, else the load-balanced one, else the first essential one. */
export function mainContainer(td: TaskDefinition | undefined, name: string, service?: Service): ContainerDefinition | undefined {
  const cs = td?.containerDefinitions ?? [];
  return (
    cs.find((c) => c.name === name) ??
    cs.find((c) => c.name === service?.loadBalancers?.[0]?.containerName) ??
    cs.find((c) => c.essential !== false) ??
    cs[0]
  );
}

/** Every `secrets` entry of every container: env name -> valueFrom. */
export function secretRefs(td: TaskDefinition | undefined): { container: string; name: string; valueFrom: string }[] {
  return (td?.containerDefinitions ?? []).flatMap((c) =>
    (c.secrets ?? []).map((s) => ({ container: c.name ?? '?', name: s.name ?? '?', valueFrom: s.valueFrom ?? '' })),
  );
}

export function toIso(d: Date | string | undefined): string | undefined {
  if (!d) return undefined;
  const x = d instanceof Date ? d : new Date(d);
  return Number.isNaN(x.getTime()) ? undefined : x.toISOString();
}
