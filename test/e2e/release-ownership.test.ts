/**
 * Who owns which field, proven on the sandbox (docs/deployment-ownership.md): after a blue/green
 * release has done to the service and the listener rules what ECS does (a new task definition, the
 * strategy and the load balancer's advancedConfiguration set by berth's UpdateService, the
 * production and test rules re-weighted to the alternate target group), `berth plan` reports no
 * change in any stack and `berth apply` moves no traffic and reverts nothing. The release is
 * simulated with the SDK calls ECS and berth make, so the proof holds whatever the emulator's
 * deployment engine does. Everything is put back afterwards for the files that follow.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetGroupsCommand, ModifyRuleCommand, type Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsDeploymentConfiguration } from '../../src/config/deployment-ecs.js';
import { names, serviceNames } from '../../src/config/names.js';
import { productionPriority, TEST_HEADER, testPriority } from '../../src/config/routes.js';
import { sandbox, type Sandbox } from './harness.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
const before: { taskDefinition?: string; primary?: string; alternate?: string; prod?: string; test?: string } = {};

const weights = (r: Rule | undefined) =>
  Object.fromEntries((r?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn!, t.Weight ?? 1]));

async function rules(): Promise<Rule[]> {
  const elb = await sb.client('elbv2');
  const rule = async (arn: string) => (await elb.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules![0]!;
  return [await rule(before.prod!), await rule(before.test!)];
}

async function service() {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new DescribeServicesCommand({ cluster: sb.cluster, services: [sb.env.services[0]!.name] }))).services![0]!;
}

async function shift(to: 'primary' | 'alternate'): Promise<void> {
  const elb = await sb.client('elbv2');
  const [p, a] = to === 'alternate' ? [0, 100] : [100, 0];
  for (const arn of [before.prod!, before.test!])
    await elb.send(
      new ModifyRuleCommand({
        RuleArn: arn,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: before.primary!, Weight: p },
                { TargetGroupArn: before.alternate!, Weight: a },
              ],
            },
          },
        ],
      }),
    );
}

beforeAll(async () => {
  sb = await sandbox();
  const svc = sb.env.services[0]!;
  const sn = serviceNames(sb.env, svc);
  const elb = await sb.client('elbv2');
  const tgs = (await elb.send(new DescribeTargetGroupsCommand({ Names: [sn.targetGroup, sn.alternateTargetGroup] }))).TargetGroups!;
  before.primary = tgs.find((t) => t.TargetGroupName === sn.targetGroup)!.TargetGroupArn;
  before.alternate = tgs.find((t) => t.TargetGroupName === sn.alternateTargetGroup)!.TargetGroupArn;
  const outputs = ((await sb.berth('outputs', '--env', 'sandbox', '--json')).json as Json).outputs as Json;
  const route = outputs.release_routes.value[svc.name];
  before.prod = route.productionListenerRule;
  before.test = route.testListenerRule;
  before.taskDefinition = (await service()).taskDefinition;
});

afterAll(async () => {
  if (!before.taskDefinition) return;
  await shift('primary');
  const ecs = await sb.client('ecs');
  const svc = sb.env.services[0]!;
  await ecs.send(
    new UpdateServiceCommand({
      cluster: sb.cluster,
      service: svc.name,
      taskDefinition: before.taskDefinition,
      loadBalancers: [{ targetGroupArn: before.primary, containerName: serviceNames(sb.env, svc).container, containerPort: svc.port }],
      deploymentConfiguration: ecsDeploymentConfiguration(svc.deployment, 'rolling'),
    }),
  );
  // Leave it as the files after this one expect it: one deployment, the desired count running.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = await service();
    if ((s.deployments?.length ?? 0) <= 1 && s.runningCount === s.desiredCount) break;
    if (Date.now() > deadline) throw new Error(`the sandbox service did not settle back on ${before.taskDefinition}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
});

describe('terraform and berth own different fields: a release survives plan and apply', () => {
  it('the stacks made what ECS needs: alternate target group, production and test rules, the infrastructure role', async () => {
    const svc = sb.env.services[0]!;
    const [prod, test] = await rules();
    expect(Number(prod!.Priority)).toBe(productionPriority(sb.env.services, svc));
    expect(Number(test!.Priority)).toBe(testPriority(sb.env.services, svc));
    expect(test!.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toMatchObject({
      HttpHeaderName: TEST_HEADER,
      Values: [svc.name],
    });
    for (const r of [prod, test]) expect(weights(r)).toEqual({ [before.primary!]: 100, [before.alternate!]: 0 });
    const iam = await sb.client('iam');
    const role = (await iam.send(new GetRoleCommand({ RoleName: names(sb.env).ecsInfrastructureRole }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ecs.amazonaws.com' });
  });

  it('after a blue/green release as ECS leaves it, plan reports no changes and apply moves no traffic', async () => {
    const svc = sb.env.services[0]!;
    const sn = serviceNames(sb.env, svc);
    const ecs = await sb.client('ecs');
    const iam = await sb.client('iam');
    // berth deploy: a new revision, the strategy and advancedConfiguration in one UpdateService.
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: before.taskDefinition }))).taskDefinition!;
    const input = {
      family: td.family,
      containerDefinitions: td.containerDefinitions,
      cpu: td.cpu,
      memory: td.memory,
      networkMode: td.networkMode,
      requiresCompatibilities: td.requiresCompatibilities,
      executionRoleArn: td.executionRoleArn,
      taskRoleArn: td.taskRoleArn,
      runtimePlatform: td.runtimePlatform,
    } as RegisterTaskDefinitionCommandInput;
    const next = (await ecs.send(new RegisterTaskDefinitionCommand(input))).taskDefinition!.taskDefinitionArn!;
    const roleArn = (await iam.send(new GetRoleCommand({ RoleName: names(sb.env).ecsInfrastructureRole }))).Role!.Arn!;
    await ecs.send(
      new UpdateServiceCommand({
        cluster: sb.cluster,
        service: svc.name,
        taskDefinition: next,
        deploymentConfiguration: ecsDeploymentConfiguration(svc.deployment, 'blue-green') as never,
        loadBalancers: [
          {
            targetGroupArn: before.primary,
            containerName: sn.container,
            containerPort: svc.port,
            advancedConfiguration: {
              alternateTargetGroupArn: before.alternate!,
              productionListenerRule: before.prod,
              testListenerRule: before.test,
              roleArn,
            },
          },
        ],
      }),
    );
    // ECS: all production and test traffic on the alternate target group at the end of the release.
    await shift('alternate');
    const moved = await rules();
    for (const r of moved) expect(weights(r)).toEqual({ [before.primary!]: 0, [before.alternate!]: 100 });

    const plan = await sb.berth('plan', '--env', 'sandbox', '--json');
    expect(plan.code, plan.stderr.slice(-2000)).toBe(0);
    const changed = ((plan.json as Json).stacks as Json[]).filter((s) => s.changes !== false).map((s) => s.stack);
    expect(changed).toEqual([]);

    const apply = await sb.berth('apply', '--env', 'sandbox', '--yes', '--json');
    expect(apply.code, apply.stderr.slice(-2000)).toBe(0);
    const after = await rules();
    for (const r of after) expect(weights(r)).toEqual({ [before.primary!]: 0, [before.alternate!]: 100 });
    const s = await service();
    expect(s.taskDefinition).toBe(next);
    expect(s.loadBalancers?.map((l) => l.targetGroupArn)).toEqual([before.primary]);
  });
});
