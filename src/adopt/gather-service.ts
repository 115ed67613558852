/**
 * Reads of the ECS services (in the mapped cluster, by the map's service names), their scalable
 * targets and scaling policies, their current task definition's containers (a second container is
 * reported: berth's task definition has one) and the inline role policies.
 */
import type { AwsContext } from '../aws/context.js';
import * as clients from '../aws/clients.js';
import { orAbsent } from './absent.js';
import type { Facts, LeftAlone, SynthResource } from './facts.js';
import { ecsServiceId, rolePolicyId } from './import-ids.js';
import { refAddress, str } from './refs.js';
import type { ResourceMap } from './resource-map.js';

async function serviceFacts(ctx: AwsContext, cluster: string, r: SynthResource, map: ResourceMap, facts: Facts): Promise<void> {
  const svc = (r.config.tags as Record<string, string> | undefined)?.service ?? '';
  const own = str(r.config.name);
  if (!own) return;
  const real = map.services?.[svc]?.service ?? own;
  const m = await import('../aws/sdk/ecs.js');
  const client = await clients.ecs(ctx);
  const d = await client.send(new m.DescribeServicesCommand({ cluster, services: [real] }));
  const s = d.services?.find((x) => x.status === 'ACTIVE');
  if (!s) return;
  (facts.named.aws_ecs_service ??= {})[own] = ecsServiceId(cluster, real);
  const td = s.taskDefinition ? await client.send(new m.DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition })) : undefined;
  const containers = (td?.taskDefinition?.containerDefinitions ?? []).map((c) => c.name ?? '');
  facts.leftAlone.push(...extraContainers(s.taskDefinition ?? '', real, containers, map.services?.[svc]?.container ?? svc));
  const rid = `service/${cluster}/${real}`;
  const aas = await import('../aws/sdk/application-auto-scaling.js');
  const scaling = await clients.autoscaling(ctx);
  const t = await scaling.send(new aas.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [rid] }));
  if (t.ScalableTargets?.length) facts.scalableTargets.push(rid);
  const p = await scaling.send(new aas.DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: rid }));
  for (const x of p.ScalingPolicies ?? []) facts.scalingPolicies.push(`${rid}/${x.PolicyName}`);
}

/** The containers of the running task definition other than berth's one: reported, left running until the next deploy. Pure. */
export function extraContainers(taskDefinition: string, service: string, containers: string[], mine: string): LeftAlone[] {
  if (containers.length < 2) return [];
  return containers
    .filter((name) => name !== mine)
    .map((name) => ({
      kind: 'service' as const,
      resource: `${taskDefinition}#${name}`,
      why: `container ${name} of ${service}: berth's task definition has one container (${mine}); it runs until the next deploy of berth's revision`,
    }));
}

async function rolePolicies(ctx: AwsContext, resources: readonly SynthResource[], facts: Facts): Promise<void> {
  const byAddr = new Map(resources.map((r) => [r.address, r]));
  const m = await import('../aws/sdk/iam.js');
  const client = await clients.iam(ctx);
  for (const r of resources.filter((x) => x.type === 'aws_iam_role_policy')) {
    const roleName = str(byAddr.get(refAddress(r.config.role) ?? '')?.config.name);
    const role = roleName ? facts.named.aws_iam_role?.[roleName] : undefined;
    const name = str(r.config.name);
    if (!role || !name) continue;
    const got = await orAbsent(client.send(new m.GetRolePolicyCommand({ RoleName: role, PolicyName: name })));
    if (got?.PolicyName) (facts.named.aws_iam_role_policy ??= {})[rolePolicyId(role, name)] = rolePolicyId(role, name);
  }
}

export async function gatherService(ctx: AwsContext, resources: readonly SynthResource[], map: ResourceMap, facts: Facts): Promise<void> {
  const clusterRes = resources.find((r) => r.type === 'aws_ecs_cluster');
  const cluster = clusterRes ? facts.named.aws_ecs_cluster?.[str(clusterRes.config.name) ?? ''] : undefined;
  const services = resources.filter((r) => r.type === 'aws_ecs_service');
  await Promise.all([
    ...(cluster ? services.map((r) => serviceFacts(ctx, cluster, r, map, facts)) : []),
    rolePolicies(ctx, resources, facts),
  ]);
}
