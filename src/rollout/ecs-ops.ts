/**
 * The AWS calls of deploy, rollback, restart and scale, behind one narrow interface (EcsOps). The
 * orchestration (operate.ts) sees only this interface; sdkEcsOps answers it with the SDK. Each
 * method is one request (or one paginated read) and maps the SDK's answer to plain data.
 */
import type { AwsContext } from '../aws/context.js';
import { autoscaling, ecr, ecs } from '../aws/clients.js';
import { UsageError } from '../output/errors.js';
import { describeService, type ServiceLocator } from './fetch.js';
import type { HistoryEntry } from './rollback-target.js';
import type { TaskDefinitionLike } from './taskdef.js';
import type { ServiceSnap } from './types.js';

export type TaskDefinitionInfo = TaskDefinitionLike & {
  taskDefinitionArn?: string;
  status?: string;
  runtimePlatform?: { cpuArchitecture?: string };
  memory?: string;
};
export type ResourceTag = { key?: string; value?: string };
export type ServiceRef = Pick<ServiceLocator, 'cluster' | 'service'>;
/** What berth changes with UpdateService: the revision, a restart, the count; for a progressive release the strategy and the load balancers' advancedConfiguration. */
export interface UpdateServiceInput {
  taskDefinition?: string;
  forceNewDeployment?: boolean;
  desiredCount?: number;
  deploymentConfiguration?: Record<string, unknown>;
  loadBalancers?: Record<string, unknown>[];
}
export type ImageId = { imageDigest: string } | { imageTag?: string };

export interface EcsOps {
  describeService(loc: ServiceRef): Promise<ServiceSnap>;
  /** A revision with its tags; a revision that does not exist is bad input (UsageError). */
  describeTaskDefinition(td: string): Promise<{ taskDefinition: TaskDefinitionInfo; tags: ResourceTag[] }>;
  /** Registers a revision; its ARN and what ECS stored. */
  registerTaskDefinition(input: Record<string, unknown>): Promise<{ arn?: string; taskDefinition?: TaskDefinitionInfo }>;
  updateService(loc: ServiceRef, input: UpdateServiceInput): Promise<void>;
  tagResource(arn: string, key: string, value: string): Promise<void>;
  /** ACTIVE revision ARNs of a family, newest first. */
  listTaskDefinitions(family: string, max: number): Promise<string[]>;
  /** ECS's successful service deployments and the revision each ran (ListServiceDeployments). */
  successfulDeployments(loc: ServiceRef): Promise<HistoryEntry[]>;
  repositoryUri(repository: string): Promise<string | undefined>;
  /** Resolves when the image exists; rejects with ECR's error otherwise. */
  describeImage(repository: string, image: ImageId): Promise<void>;
  describeScalableTarget(resourceId: string): Promise<{ min: number; max: number } | undefined>;
  registerScalableTarget(resourceId: string, min: number, max: number): Promise<void>;
}

const DIMENSION = 'ecs:service:DesiredCount';

async function describeTaskDefinition(ctx: AwsContext, td: string): Promise<{ taskDefinition: TaskDefinitionInfo; tags: ResourceTag[] }> {
  const { DescribeTaskDefinitionCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  try {
    const r = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: td, include: ['TAGS'] }));
    return { taskDefinition: r.taskDefinition as never, tags: r.tags ?? [] };
  } catch (e) {
    if ((e as Error).name === 'ClientException' || (e as Error).name === 'InvalidParameterException')
      throw new UsageError(`task definition ${td} not found: ${(e as Error).message}`);
    throw e;
  }
}

async function successfulDeployments(ctx: AwsContext, loc: ServiceRef): Promise<HistoryEntry[]> {
  const { ListServiceDeploymentsCommand, DescribeServiceRevisionsCommand } = await import('../aws/sdk/ecs.js');
  const client = await ecs(ctx);
  const r = await client.send(
    new ListServiceDeploymentsCommand({ cluster: loc.cluster, service: loc.service, status: ['SUCCESSFUL'], maxResults: 20 }),
  );
  const deps = r.serviceDeployments ?? [];
  const revArns = [...new Set(deps.map((d) => d.targetServiceRevisionArn).filter((x): x is string => Boolean(x)))];
  if (!revArns.length) return [];
  const revs = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revArns.slice(0, 20) }));
  const tdOf = new Map((revs.serviceRevisions ?? []).map((x) => [x.serviceRevisionArn, x.taskDefinition]));
  return deps.flatMap((d) => {
    const td = tdOf.get(d.targetServiceRevisionArn);
    return td ? [{ taskDefinition: td, status: d.status ?? '', finishedAt: d.finishedAt }] : [];
  });
}

function ecsCalls(ctx: AwsContext): Pick<EcsOps, 'registerTaskDefinition' | 'updateService' | 'tagResource' | 'listTaskDefinitions'> {
  return {
    registerTaskDefinition: async (input) => {
      const { RegisterTaskDefinitionCommand } = await import('../aws/sdk/ecs.js');
      const reg = await (await ecs(ctx)).send(new RegisterTaskDefinitionCommand(input as never));
      return { arn: reg.taskDefinition?.taskDefinitionArn, taskDefinition: reg.taskDefinition as never };
    },
    updateService: async (loc, input) => {
      const { UpdateServiceCommand } = await import('../aws/sdk/ecs.js');
      await (await ecs(ctx)).send(new UpdateServiceCommand({ cluster: loc.cluster, service: loc.service, ...(input as object) }));
    },
    tagResource: async (arn, key, value) => {
      const { TagResourceCommand } = await import('../aws/sdk/ecs.js');
      await (await ecs(ctx)).send(new TagResourceCommand({ resourceArn: arn, tags: [{ key, value }] }));
    },
    listTaskDefinitions: async (family, max) => {
      const { ListTaskDefinitionsCommand } = await import('../aws/sdk/ecs.js');
      const r = await (
        await ecs(ctx)
      ).send(new ListTaskDefinitionsCommand({ familyPrefix: family, sort: 'DESC', status: 'ACTIVE', maxResults: max }));
      return r.taskDefinitionArns ?? [];
    },
  };
}

function ecrCalls(ctx: AwsContext): Pick<EcsOps, 'repositoryUri' | 'describeImage'> {
  return {
    repositoryUri: async (repository) => {
      const { DescribeRepositoriesCommand } = await import('../aws/sdk/ecr.js');
      const r = await (await ecr(ctx)).send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
      return r.repositories?.[0]?.repositoryUri;
    },
    describeImage: async (repository, image) => {
      const { DescribeImagesCommand } = await import('../aws/sdk/ecr.js');
      await (await ecr(ctx)).send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [image] }));
    },
  };
}

function scalingCalls(ctx: AwsContext): Pick<EcsOps, 'describeScalableTarget' | 'registerScalableTarget'> {
  return {
    describeScalableTarget: async (resourceId) => {
      const { DescribeScalableTargetsCommand } = await import('../aws/sdk/application-auto-scaling.js');
      const r = await (
        await autoscaling(ctx)
      ).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId], ScalableDimension: DIMENSION }));
      const t = r.ScalableTargets?.[0];
      return t ? { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 } : undefined;
    },
    registerScalableTarget: async (resourceId, min, max) => {
      const { RegisterScalableTargetCommand } = await import('../aws/sdk/application-auto-scaling.js');
      await (
        await autoscaling(ctx)
      ).send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
          MinCapacity: min,
          MaxCapacity: max,
        }),
      );
    },
  };
}

/** EcsOps answered by the AWS SDK (clients from src/aws/clients.ts: time limits and retries included). */
export function sdkEcsOps(ctx: AwsContext): EcsOps {
  return {
    describeService: (loc) => describeService(ctx, loc),
    describeTaskDefinition: (td) => describeTaskDefinition(ctx, td),
    successfulDeployments: (loc) => successfulDeployments(ctx, loc),
    ...ecsCalls(ctx),
    ...ecrCalls(ctx),
    ...scalingCalls(ctx),
  };
}
