/**
 * The RunTask request of a one-off task: the service's own placement (subnets, security groups,
 * public IP setting, launch type or capacity providers, platform version), one task of the given
 * task definition (its secrets, roles and log configuration come with it), the command overriding
 * the app container's, and the optional task size. Pure.
 */
import type { TaskSize } from './task-size.js';

export interface ServicePlacement {
  serviceName?: string;
  launchType?: string;
  platformVersion?: string;
  capacityProviderStrategy?: { capacityProvider?: string; weight?: number; base?: number }[];
  networkConfiguration?: { awsvpcConfiguration?: { subnets?: string[]; securityGroups?: string[]; assignPublicIp?: string } };
}

/** startedBy on every task berth runs (ECS allows 36 characters: letters, digits, - and _). */
export const STARTED_BY = 'berth-run';
/** The task tag naming the service a one-off task was run for. */
export const ONE_OFF_TASK_TAG = 'berth:one-off-for';

export interface RunTaskRequest {
  cluster: string;
  taskDefinition: string;
  count: 1;
  startedBy: string;
  group: string;
  launchType?: 'FARGATE';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  platformVersion?: string;
  networkConfiguration: { awsvpcConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' } };
  overrides: { containerOverrides: { name: string; command: string[] }[]; cpu?: string; memory?: string };
  propagateTags: 'TASK_DEFINITION';
  tags: { key: string; value: string }[];
}

export function runTaskRequest(p: {
  cluster: string;
  taskDefinition: string;
  container: string;
  command: string[];
  service: ServicePlacement;
  size?: TaskSize;
  startedByUser?: string;
}): RunTaskRequest {
  const vpc = p.service.networkConfiguration?.awsvpcConfiguration ?? {};
  const strategy = (p.service.capacityProviderStrategy ?? []).filter((s) => s.capacityProvider);
  const name = p.service.serviceName ?? p.container;
  return {
    cluster: p.cluster,
    taskDefinition: p.taskDefinition,
    count: 1,
    startedBy: STARTED_BY,
    group: `berth-run:${name}`.slice(0, 255),
    ...(strategy.length
      ? { capacityProviderStrategy: strategy.map((s) => ({ capacityProvider: s.capacityProvider!, weight: s.weight, base: s.base })) }
      : { launchType: 'FARGATE' as const }),
    ...(p.service.platformVersion ? { platformVersion: p.service.platformVersion } : {}),
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: vpc.subnets ?? [],
        securityGroups: vpc.securityGroups ?? [],
        assignPublicIp: vpc.assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED',
      },
    },
    overrides: {
      containerOverrides: [{ name: p.container, command: p.command }],
      ...(p.size?.cpu !== undefined ? { cpu: String(p.size.cpu) } : {}),
      ...(p.size?.memory !== undefined ? { memory: String(p.size.memory) } : {}),
    },
    propagateTags: 'TASK_DEFINITION',
    tags: [
      { key: ONE_OFF_TASK_TAG, value: name },
      ...(p.startedByUser ? [{ key: 'berth:run-by', value: p.startedByUser.slice(0, 256) }] : []),
    ],
  };
}
