/**
 * The part of a stack that reads no other stack, applied early when it holds a resource the AWS
 * provider waits on after creating it (sandbox from nothing only: src/terraform/apply-direct.ts).
 *
 * A stack's terraform run starts once the stacks it reads are applied. In the sandbox most of that
 * wait is the provider sleeping, not the emulator working: provider 5.100 waits a fixed time before
 * its first poll (StateChangeConf.Delay) or polls until several answers in a row agree
 * (ContinuousTargetOccurence), whatever the emulator answers. A resource of a stack that references
 * no `terraform_remote_state` (directly or through the resources it references) can be created
 * before the stacks the rest of the stack reads exist: `terraform apply -target=<those resources>`
 * while the other stacks apply, then the whole stack as usual (it finds them in its state).
 *
 * Only worth a second terraform run (a second provider start) when the early part holds one of
 * these types; the waits are the provider's own (internal/service/<svc>/wait.go and the resource's
 * create function at v5.100.0), measured on the sandbox with TF_LOG=debug.
 */
export const SLOW_TO_CREATE: Readonly<Record<string, { seconds: number; why: string }>> = {
  aws_ecs_cluster: { seconds: 10, why: 'waitClusterAvailable: first DescribeClusters 10 s after CreateCluster (Delay)' },
  aws_kms_key: { seconds: 12, why: 'rotation, policy and tags propagation: each polled until several answers in a row agree' },
  aws_vpc: { seconds: 10, why: 'ModifyVpcAttribute (DNS hostnames): first DescribeVpcAttribute 10 s later (Delay)' },
  aws_lb: { seconds: 60, why: 'waitLoadBalancerActive after create and again after ModifyLoadBalancerAttributes: 30 s each (Delay)' },
  aws_rds_cluster: { seconds: 30, why: 'waitDBClusterCreated: first DescribeDBClusters 30 s after create (Delay)' },
  aws_rds_cluster_instance: { seconds: 30, why: 'waitDBClusterInstanceAvailable: first DescribeDBInstances 30 s after create (Delay)' },
  aws_elasticache_replication_group: { seconds: 30, why: 'waitReplicationGroupAvailable: first poll 30 s after create (Delay)' },
};

/** What one terraform run costs beyond its resources' waits: terraform, the provider's schema, plan, apply (s, quiet 2 cores). */
export const RUN_SECONDS = 5;

/** The seconds the provider waits creating these resources (addresses), by SLOW_TO_CREATE. */
export function waitSeconds(addresses: readonly string[]): number {
  return addresses.reduce((sum, a) => sum + (SLOW_TO_CREATE[a.split('.')[0]!]?.seconds ?? 0), 0);
}

/** The managed resources a stack declares (addresses). */
export function managedResources(tf: { resource?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
}

type Blocks = Record<string, Record<string, unknown>>;

interface StackJson {
  resource?: Blocks;
  data?: Blocks;
  provider?: unknown;
  locals?: unknown;
  module?: unknown;
}

/** Every address a stack declares: `type.name` for resources, `data.type.name` for data sources. */
function declared(tf: StackJson): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const [n, b] of Object.entries(byName)) out.set(`${type}.${n}`, b);
  for (const [type, byName] of Object.entries(tf.data ?? {})) for (const [n, b] of Object.entries(byName)) out.set(`data.${type}.${n}`, b);
  return out;
}

const TOKEN = /(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/g;

/**
 * The declared addresses a block mentions anywhere (expressions and depends_on). A token that only
 * looks like an address counts too: over-approximating keeps a resource that might read another
 * stack out of the early part, never in it. `local.`/`module.` references are not followed: such a
 * block is taken as reading another stack.
 */
function references(block: unknown, known: Map<string, unknown>): { refs: string[]; opaque: boolean } {
  const text = JSON.stringify(block);
  const refs = new Set<string>();
  for (const m of text.matchAll(TOKEN)) if (known.has(m[0])) refs.add(m[0]);
  return { refs: [...refs], opaque: /\b(?:local|module)\.[A-Za-z_]/.test(text) };
}

/**
 * The managed resources of a stack (its cdk.tf.json, parsed) that reference no other stack's state,
 * directly or through what they reference. Empty when the provider configuration itself reads one.
 */
export function independentResources(tf: StackJson): string[] {
  const known = declared(tf);
  if (/terraform_remote_state/.test(JSON.stringify(tf.provider ?? {}))) return [];
  const memo = new Map<string, boolean>();
  const readsOtherStack = (addr: string, path: Set<string>): boolean => {
    if (addr.startsWith('data.terraform_remote_state.')) return true;
    const seen = memo.get(addr);
    if (seen !== undefined) return seen;
    if (path.has(addr)) return true; // a cycle terraform would refuse: keep it out
    path.add(addr);
    const { refs, opaque } = references(known.get(addr), known);
    const result = opaque || refs.some((r) => r !== addr && readsOtherStack(r, path));
    path.delete(addr);
    memo.set(addr, result);
    return result;
  };
  return [...known.keys()].filter((a) => !a.startsWith('data.') && !readsOtherStack(a, new Set()));
}

/**
 * What to apply early for a stack, or [] when nothing is worth it: a stack that reads no other stack
 * is applied first anyway, and an early part without a slow resource would cost a provider start
 * for less than it saves.
 */
export function earlyTargets(tf: StackJson, dependencies: readonly string[]): string[] {
  if (!dependencies.length) return [];
  const early = independentResources(tf);
  return early.some((a) => a.split('.')[0]! in SLOW_TO_CREATE) ? early : [];
}
