/**
 * What ECS needs to run a blue/green, canary or linear release of a service, found by the names
 * berth gave it (src/config/names.ts): the service's two target groups, the production listener
 * rule and the test listener rule that forward to them (the test one is the rule with the
 * `X-Berth-Test` header condition), and the ECS infrastructure role. Which target group serves
 * production now (the old revision's) and which takes the new one is read from the production
 * rule's weights. Missing pieces: exit 16, nothing changed (`berth apply` creates them).
 */
import { names, serviceNames } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import { BerthError } from '../../output/errors.js';
import { EXIT } from '../../output/exit-codes.js';
import type { ServiceSnap } from '../types.js';
import type { ForwardTarget, ListenerInfo, ReleaseOps, RuleInfo } from './ops.js';

export interface ReleaseTraffic {
  loadBalancerArn: string;
  /** The service's target group as terraform set it (loadBalancers[].targetGroupArn). */
  primaryTargetGroupArn: string;
  alternateTargetGroupArn: string;
  productionRuleArn: string;
  testRuleArn?: string;
  roleArn: string;
  containerName: string;
  containerPort: number;
  /** The target group taking production traffic now (the old revision's). */
  blueTargetGroupArn: string;
  /** The one the new revision registers on. */
  greenTargetGroupArn: string;
}

/** The names of the pieces (src/config/names.ts: a resource map first, berth's convention otherwise). */
function releaseNames(env: EnvironmentConfig, svc: ServiceConfig) {
  const s = serviceNames(env, svc);
  return { targetGroup: s.targetGroup, alternateTargetGroup: s.alternateTargetGroup, role: names(env).ecsInfrastructureRole };
}

function notReady(svc: ServiceConfig, strategy: string, missing: string[]): BerthError {
  return new BerthError(`${svc.name} cannot be released with --strategy ${strategy}: ${missing.join('; ')}. Nothing was changed.`, {
    exitCode: EXIT.RELEASE_NOT_READY,
    code: 'release.not-ready',
    hint: `Set services[].deployment.strategy to "${strategy}" in the environment file and run \`berth apply\`: it creates the alternate target group, the test listener rule and the ECS infrastructure role.`,
    details: { missing },
  });
}

const forwardsTo = (r: RuleInfo, tgs: string[]) => !r.isDefault && r.forward.some((f) => tgs.includes(f.targetGroupArn));

/** The production and test rules among the listeners: production on HTTPS when there is one. */
export function findRules(listeners: ListenerInfo[], tgs: string[]): { production?: RuleInfo; test?: RuleInfo } {
  const ordered = [...listeners].sort((a, b) => Number(b.protocol === 'HTTPS') - Number(a.protocol === 'HTTPS'));
  for (const l of ordered) {
    const ours = l.rules.filter((r) => forwardsTo(r, tgs));
    const production = ours.find((r) => !r.conditionFields.includes('http-header'));
    if (production) return { production, test: ours.find((r) => r.conditionFields.includes('http-header')) };
  }
  return {};
}

/** Production split of a forward action, as percent to each of the two target groups. */
export function weightsOf(forward: ForwardTarget[], blue: string, green: string): { old: number; new: number } {
  const w = (tg: string) => forward.filter((f) => f.targetGroupArn === tg).reduce((n, f) => n + f.weight, 0);
  const total = w(blue) + w(green);
  if (!total) return { old: 100, new: 0 };
  return { old: Math.round((w(blue) / total) * 1000) / 10, new: Math.round((w(green) / total) * 1000) / 10 };
}

export async function resolveTraffic(
  ops: ReleaseOps,
  env: EnvironmentConfig,
  svc: ServiceConfig,
  snap: ServiceSnap,
  strategy: string,
): Promise<ReleaseTraffic> {
  const n = releaseNames(env, svc);
  const [tgs, roleArn] = await Promise.all([ops.targetGroups([n.targetGroup, n.alternateTargetGroup]), ops.roleArn(n.role)]);
  const primary = tgs.find((t) => t.name === n.targetGroup);
  const alternate = tgs.find((t) => t.name === n.alternateTargetGroup);
  const missing: string[] = [];
  if (!primary) missing.push(`target group ${n.targetGroup} not found`);
  if (!alternate) missing.push(`alternate target group ${n.alternateTargetGroup} not found`);
  if (!roleArn) missing.push(`ECS infrastructure role ${n.role} not found`);
  const lbRef = (snap.loadBalancers ?? [])[0];
  if (!lbRef?.containerName || !lbRef.containerPort) missing.push(`service ${svc.name} has no load balancer`);
  const loadBalancerArn = primary?.loadBalancerArns[0] ?? alternate?.loadBalancerArns[0];
  if (primary && !loadBalancerArn) missing.push(`target group ${n.targetGroup} is not attached to a load balancer`);
  if (missing.length) throw notReady(svc, strategy, missing);
  const pair = [primary!.arn, alternate!.arn];
  const rules = findRules(await ops.listeners(loadBalancerArn!), pair);
  if (!rules.production) throw notReady(svc, strategy, [`no listener rule forwards to ${n.targetGroup} or ${n.alternateTargetGroup}`]);
  if (!rules.test) throw notReady(svc, strategy, [`no test listener rule (X-Berth-Test header) forwards to ${n.targetGroup}`]);
  const split = weightsOf(rules.production.forward, primary!.arn, alternate!.arn);
  const primaryServes = split.old >= split.new;
  return {
    loadBalancerArn: loadBalancerArn!,
    primaryTargetGroupArn: primary!.arn,
    alternateTargetGroupArn: alternate!.arn,
    productionRuleArn: rules.production.ruleArn,
    testRuleArn: rules.test.ruleArn,
    roleArn: roleArn!,
    containerName: lbRef!.containerName!,
    containerPort: lbRef!.containerPort!,
    blueTargetGroupArn: primaryServes ? primary!.arn : alternate!.arn,
    greenTargetGroupArn: primaryServes ? alternate!.arn : primary!.arn,
  };
}

/** UpdateService's loadBalancers for the release (the advancedConfiguration the 5.x provider cannot express). */
export function releaseLoadBalancers(t: ReleaseTraffic) {
  return [
    {
      targetGroupArn: t.primaryTargetGroupArn,
      containerName: t.containerName,
      containerPort: t.containerPort,
      advancedConfiguration: {
        alternateTargetGroupArn: t.alternateTargetGroupArn,
        productionListenerRule: t.productionRuleArn,
        ...(t.testRuleArn ? { testListenerRule: t.testRuleArn } : {}),
        roleArn: t.roleArn,
      },
    },
  ];
}
