/**
 * The service, registry, data, cache and alarms stacks' resources that hang off another one: an
 * ECS service in its cluster, its scaling target and policies, an inline role policy, a
 * repository's lifecycle policy, a secret's current version, a topic's policy. Task definitions are never imported: a revision is immutable, so berth registers its own
 * as the family's next one and the running revision stays until the next `berth deploy`. Pure.
 */
import { rolePolicyId, scalableTargetId, scalingPolicyId, secretVersionId } from './import-ids.js';
import { refAddress, refAddresses, str } from './refs.js';
import { found, type Resolver } from './resolve-types.js';

const ecsService: Resolver = (r, ctx) => {
  const cluster = ctx.idOf(refAddress(r.config.cluster) ?? '');
  const name = str(r.config.name);
  if (!cluster || !name) return { why: 'its cluster is created' };
  const id = ctx.facts.named.aws_ecs_service?.[name];
  return found(id, `the ECS service ${id?.split('/')[1] ?? name}`, `ECS service ${name} created`);
};

/** `service/<cluster>/<service>` from the target's resource_id template. */
function scalingResource(resourceId: unknown, idOf: (a: string) => string | undefined): string | undefined {
  const [cluster, service] = refAddresses(resourceId);
  const c = cluster ? idOf(cluster) : undefined;
  const s = service ? idOf(service)?.split('/')[1] : undefined;
  return c && s ? `service/${c}/${s}` : undefined;
}

const scalingTarget: Resolver = (r, ctx) => {
  const rid = scalingResource(r.config.resource_id, ctx.idOf);
  const ok = rid && ctx.facts.scalableTargets.includes(rid);
  return found(
    ok ? scalableTargetId('ecs', rid, 'ecs:service:DesiredCount') : undefined,
    'the scalable target',
    'service autoscaling added',
  );
};

const scalingPolicy: Resolver = (r, ctx) => {
  const target = refAddress(r.config.resource_id);
  const tid = target ? ctx.idOf(target) : undefined;
  const name = str(r.config.name);
  const rid = tid?.split('/').slice(1, 4).join('/');
  const ok = rid && name && ctx.facts.scalingPolicies.includes(`${rid}/${name}`);
  return found(
    ok ? scalingPolicyId('ecs', rid, 'ecs:service:DesiredCount', name) : undefined,
    'the scaling policy',
    `scaling policy ${name ?? ''} added`,
  );
};

const rolePolicy: Resolver = (r, ctx) => {
  const role = ctx.idOf(refAddress(r.config.role) ?? '');
  const name = str(r.config.name);
  const id = role && name ? rolePolicyId(role, name) : undefined;
  return found(
    id && ctx.facts.named.aws_iam_role_policy?.[id] ? id : undefined,
    `the inline policy ${name}`,
    `inline policy ${name ?? ''} added`,
  );
};

const lifecyclePolicy: Resolver = (r, ctx) => {
  const repo = ctx.idOf(refAddress(r.config.repository) ?? '');
  return found(
    repo && ctx.facts.named.aws_ecr_lifecycle_policy?.[repo] ? repo : undefined,
    'the lifecycle policy',
    'image lifecycle policy set',
  );
};

const secretVersion: Resolver = (r, ctx) => {
  const arn = ctx.idOf(refAddress(r.config.secret_id) ?? '');
  const v = arn ? ctx.facts.secretVersions[arn] : undefined;
  return found(arn && v ? secretVersionId(arn, v) : undefined, "the secret's current value (kept)", 'secret value written');
};

export const SERVICE_RESOLVERS: Record<string, Resolver> = {
  aws_ecs_service: ecsService,
  aws_appautoscaling_target: scalingTarget,
  aws_appautoscaling_policy: scalingPolicy,
  aws_iam_role_policy: rolePolicy,
  aws_ecr_lifecycle_policy: lifecyclePolicy,
  aws_secretsmanager_secret_version: secretVersion,
  aws_sns_topic_policy: (r, ctx) => found(ctx.idOf(refAddress(r.config.arn) ?? ''), 'the topic policy', 'topic policy set'),
  aws_ecs_task_definition: () => ({
    why: 'a new revision of the family is registered (revisions are immutable); the running one stays until the next deploy',
  }),
  terraform_data: () => ({ why: 'not an AWS object' }),
  aws_sns_topic_subscription: () => ({ why: 'subscribed (SNS returns the existing subscription for the same endpoint)' }),
};
