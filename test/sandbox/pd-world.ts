/**
 * Test helper: what a blue/green, canary or linear deployment needs on top of the ecs-sim world
 * (world.ts): the alternate target group, the production listener rule (the world's /api/* rule), a
 * test listener rule on the same listener (header `X-Berth-Test: 1`), and the ECS infrastructure role
 * for load balancers; plus readers for the service deployments and the public URL's answers.
 */
import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import type { World } from './world.js';

export interface PdWorld {
  alternateTargetGroupArn: string;
  productionRule: string;
  testRule: string;
  roleArn: string;
  loadBalancerArn: string;
}

export async function addBlueGreen(w: World): Promise<PdWorld> {
  const primary = (await w.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [w.targetGroupArn] }))).TargetGroups![0]!;
  const alternateTargetGroupArn = (
    await w.elb.send(
      new CreateTargetGroupCommand({
        Name: 'demo-sandbox-api-alt',
        Protocol: 'HTTP',
        Port: 8001,
        VpcId: primary.VpcId,
        TargetType: 'ip',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
      }),
    )
  ).TargetGroups![0]!.TargetGroupArn!;
  await w.elb.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: alternateTargetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    }),
  );
  const loadBalancerArn = (await w.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!.LoadBalancerArn!;
  const https = (await w.elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }))).Listeners!.find(
    (l) => l.Port === 443,
  )!.ListenerArn!;
  const rules = (await w.elb.send(new DescribeRulesCommand({ ListenerArn: https }))).Rules!;
  const productionRule = rules.find((r) => r.Priority === '10')!.RuleArn!;
  const testRule = (
    await w.elb.send(
      new CreateRuleCommand({
        ListenerArn: https,
        Priority: 5,
        Conditions: [
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Berth-Test', Values: ['1'] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/health', '/api/*'] } },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: w.targetGroupArn }],
      }),
    )
  ).Rules![0]!.RuleArn!;
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  const roleArn = (
    await new IAMClient(w.cfg).send(
      new CreateRoleCommand({ RoleName: 'demo-sandbox-ecs-infrastructure', AssumeRolePolicyDocument: JSON.stringify(trust) }),
    )
  ).Role!.Arn!;
  return { alternateTargetGroupArn, productionRule, testRule, roleArn, loadBalancerArn };
}

/** UpdateService with a strategy and the load balancer's advancedConfiguration (no new deployment). */
export async function useStrategy(w: World, pd: PdWorld, dc: DeploymentConfiguration, withTestRule = true): Promise<void> {
  await w.ecs.send(
    new UpdateServiceCommand({
      cluster: w.cluster,
      service: w.service,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        ...dc,
      },
      loadBalancers: [
        {
          targetGroupArn: w.targetGroupArn,
          containerName: 'api',
          containerPort: 8001,
          advancedConfiguration: {
            alternateTargetGroupArn: pd.alternateTargetGroupArn,
            productionListenerRule: pd.productionRule,
            ...(withTestRule ? { testListenerRule: pd.testRule } : {}),
            roleArn: pd.roleArn,
          },
        },
      ],
    }),
  );
}

/** The newest service deployment, described. */
export async function latest(w: World): Promise<ServiceDeployment> {
  const list = await w.ecs.send(new ListServiceDeploymentsCommand({ cluster: w.cluster, service: w.service }));
  const arn = list.serviceDeployments![0]!.serviceDeploymentArn!;
  return (await w.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
}

/** Target group ARN -> weight of the rule's forward action, as DescribeRules shows it. */
export async function ruleWeights(w: World, ruleArn: string): Promise<Record<string, number>> {
  const rule = (await w.elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules![0]!;
  const fwd = rule.Actions!.find((a) => a.Type === 'forward')!;
  const groups = fwd.ForwardConfig?.TargetGroups;
  if (groups?.length) return Object.fromEntries(groups.map((g) => [g.TargetGroupArn!, g.Weight ?? 1]));
  return { [fwd.TargetGroupArn!]: 1 };
}

export interface Answer {
  status: number;
  version?: string;
}

/** One request to the public URL: its status and the version that served it. */
export async function hit(w: World, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await fetch(`${w.emu.publicUrl}${path}`, { headers });
  const text = await r.text();
  try {
    return { status: r.status, version: (JSON.parse(text) as { version?: string }).version };
  } catch {
    return { status: r.status };
  }
}
