/**
 * The resource map's rules beyond its formats (src/config/resource-map-schema.ts): each name by the
 * naming rule of the service that holds it, ARNs of the environment's region (and account, when
 * set), the load balancer named the same way in its name and its ARNs, services keyed by berth
 * service names, no id twice in one list. What AWS would refuse, or what cannot be the same
 * platform, refused at validation. Pure.
 */
import { NAME_RULES, nameProblem, type NameRule } from './aws-names.js';
import type { Issue } from './spec.js';
import type { EnvironmentConfig, ResourceMap, ServiceResources } from './types.js';

const P = 'resources';

type Named = [path: string, value: string | undefined, rule: NameRule];

function envNames(r: ResourceMap): Named[] {
  const R = NAME_RULES;
  return [
    [`${P}.cluster`, r.cluster, R.ecsCluster],
    [`${P}.loadBalancer.name`, r.loadBalancer?.name, R.alb],
    [`${P}.database.cluster`, r.database?.cluster, R.dbCluster],
    [`${P}.database.subnetGroup`, r.database?.subnetGroup, R.dbSubnetGroup],
    [`${P}.database.writerInstance`, r.database?.writerInstance, R.dbInstance],
    [`${P}.cache.replicationGroup`, r.cache?.replicationGroup, R.cacheReplicationGroup],
    [`${P}.cache.subnetGroup`, r.cache?.subnetGroup, R.cacheSubnetGroup],
  ];
}

function serviceNamesOf(key: string, s: ServiceResources): Named[] {
  const R = NAME_RULES;
  const at = `${P}.services.${key}`;
  return [
    [`${at}.service`, s.service, R.ecsService],
    [`${at}.taskFamily`, s.taskFamily, R.taskFamily],
    [`${at}.container`, s.container, R.ecsService],
    [`${at}.targetGroup`, s.targetGroup, R.targetGroup],
    [`${at}.logGroup`, s.logGroup, R.logGroup],
    [`${at}.executionRole`, s.executionRole, R.iamRole],
    [`${at}.taskRole`, s.taskRole, R.iamRole],
  ];
}

/** The parts of an ARN: partition, service, region, account, resource. */
function arnParts(arn: string) {
  const [, partition, service, region, account, ...rest] = arn.split(':');
  return { partition, service, region, account, resource: rest.join(':') };
}

/** The load balancer name inside an elasticloadbalancing ARN (loadbalancer/, listener/ or listener-rule/app/<name>/...). */
export function loadBalancerNameOfArn(arn: string): string | undefined {
  return /:(?:loadbalancer|listener|listener-rule)\/app\/([^/]+)\//.exec(arn)?.[1];
}

function arns(r: ResourceMap): [string, string | undefined][] {
  const out: [string, string | undefined][] = [
    [`${P}.loadBalancer.arn`, r.loadBalancer?.arn],
    [`${P}.loadBalancer.httpListener`, r.loadBalancer?.httpListener],
    [`${P}.loadBalancer.httpsListener`, r.loadBalancer?.httpsListener],
    [`${P}.certificate`, r.certificate],
    [`${P}.database.secret`, r.database?.secret?.startsWith('arn:') ? r.database.secret : undefined],
    [`${P}.cache.secret`, r.cache?.secret?.startsWith('arn:') ? r.cache.secret : undefined],
  ];
  for (const [k, s] of Object.entries(r.services ?? {})) out.push([`${P}.services.${k}.listenerRule`, s?.listenerRule]);
  return out;
}

function arnChecks(env: EnvironmentConfig, r: ResourceMap, issues: Issue[]): void {
  const lbNames = new Map<string, string>();
  if (r.loadBalancer?.name) lbNames.set(r.loadBalancer.name, `${P}.loadBalancer.name`);
  for (const [path, arn] of arns(r)) {
    if (!arn) continue;
    const a = arnParts(arn);
    if (a.region !== env.region)
      issues.push({ path, value: arn, expected: `an ARN in the environment's region ${env.region} (this one is in ${a.region})` });
    if (env.account && a.account !== env.account)
      issues.push({ path, value: arn, expected: `an ARN in the environment's account ${env.account} (this one is in ${a.account})` });
    const lb = a.service === 'elasticloadbalancing' ? loadBalancerNameOfArn(arn) : undefined;
    if (!lb) continue;
    const first = [...lbNames.entries()][0];
    if (first && first[0] !== lb)
      issues.push({
        path,
        value: arn,
        expected: `an ARN of the load balancer "${first[0]}" named by ${first[1]} (this one is of "${lb}")`,
      });
    else if (!first) lbNames.set(lb, path);
  }
}

function listChecks(r: ResourceMap, issues: Issue[]): void {
  const lists: [string, string[] | undefined][] = [[`${P}.natGateways`, r.natGateways]];
  for (const t of ['public', 'private', 'database'] as const) {
    lists.push([`${P}.subnets.${t}`, r.subnets?.[t]], [`${P}.routeTables.${t}`, r.routeTables?.[t]]);
  }
  for (const [path, xs] of lists) {
    (xs ?? []).forEach((x, i) => {
      if (x && xs!.indexOf(x) !== i)
        issues.push({ path: `${path}[${i}]`, value: x, expected: `an id not already listed at ${path}[${xs!.indexOf(x)}]` });
    });
  }
}

function serviceKeyChecks(env: EnvironmentConfig, r: ResourceMap, issues: Issue[]): void {
  const known = new Set((env.services ?? []).map((s) => s?.name));
  const ecsNames = new Map<string, string>();
  for (const [k, s] of Object.entries(r.services ?? {})) {
    if (!known.has(k))
      issues.push({
        path: `${P}.services.${k}`,
        value: k,
        expected: `the name of a service of this environment (${[...known].join(', ') || 'none'})`,
      });
    const ecs = s?.service ?? k;
    const other = ecsNames.get(ecs);
    if (other) issues.push({ path: `${P}.services.${k}.service`, value: ecs, expected: `an ECS service other than ${other}'s` });
    else ecsNames.set(ecs, `${P}.services.${k}`);
  }
}

/** Push an issue for every value of the resource map AWS would refuse or that contradicts the rest of the environment. */
export function checkResourceMap(env: EnvironmentConfig, issues: Issue[]): void {
  const r = env.resources;
  if (!r) return;
  const named = [...envNames(r), ...Object.entries(r.services ?? {}).flatMap(([k, s]) => (s ? serviceNamesOf(k, s) : []))];
  for (const [path, value, rule] of named) {
    if (typeof value !== 'string') continue;
    const problem = nameProblem(rule, value);
    if (problem) issues.push({ path, value, expected: `a valid ${problem}` });
  }
  arnChecks(env, r, issues);
  listChecks(r, issues);
  serviceKeyChecks(env, r, issues);
  if (r.hostedZone && env.domain?.zoneId && r.hostedZone !== env.domain.zoneId)
    issues.push({ path: `${P}.hostedZone`, value: r.hostedZone, expected: `the same zone as domain.zoneId (${env.domain.zoneId})` });
}
