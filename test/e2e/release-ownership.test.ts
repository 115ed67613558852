/**
 * Who owns which field, proven on the sandbox (docs/deployment-ownership.md): after real releases
 * (`berth deploy --strategy blue-green`, then `--strategy canary`, carried out by the emulator's ECS:
 * berth's UpdateService sets the strategy and advancedConfiguration on the service, ECS moves the new
 * revision onto the other target group and re-weights the production and test rules), `berth plan`
 * reports no change in any stack and `berth apply` moves no traffic and reverts nothing: not the
 * weights, not the running revision, not the service's load balancer wiring. Terraform runs: two
 * plans and one apply. The service ends on tag v1, settled, for the files after this one.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetGroupsCommand, type Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { names, serviceNames } from '../../src/config/names.js';
import { productionPriority, TEST_HEADER, testPriority } from '../../src/config/routes.js';
import { sandbox, type Sandbox } from './harness.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
const at: { primary?: string; alternate?: string; prod?: string; test?: string } = {};
/** Fast watches: the sandbox's ECS runs at 1/20 of real time. */
const WATCH = ['--poll-interval', '1s', '--timeout', '4m'];

const weights = (r: Rule | undefined) =>
  Object.fromEntries(
    (r?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: r?.Actions?.[0]?.TargetGroupArn, Weight: 1 }]).map((t) => [
      t.TargetGroupArn!,
      t.Weight ?? 1,
    ]),
  );

async function rules(): Promise<Rule[]> {
  const elb = await sb.client('elbv2');
  const rule = async (arn: string) => (await elb.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules![0]!;
  return [await rule(at.prod!), await rule(at.test!)];
}

async function service() {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new DescribeServicesCommand({ cluster: sb.cluster, services: [sb.env.services[0]!.name] }))).services![0]!;
}

/** What a release may leave and an apply must not touch: the rules' weights, the revision, the load balancer wiring. */
async function releaseState() {
  const s = await service();
  return { weights: (await rules()).map(weights), taskDefinition: s.taskDefinition, loadBalancers: s.loadBalancers };
}

async function release(tag: string, strategy: string) {
  const r = await sb.berth('deploy', '--env', 'sandbox', '--tag', tag, '--strategy', strategy, '--json', ...WATCH);
  expect(r.code, `${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`).toBe(0);
  const st = await releaseState();
  // All production traffic on one target group: the release finished its shift.
  expect(Object.values(st.weights[0]!).filter((w) => w > 0)).toHaveLength(1);
  return st;
}

async function planHasNoChanges() {
  const plan = await sb.berth('plan', '--env', 'sandbox', '--json');
  expect(plan.code, plan.stderr.slice(-2000)).toBe(0);
  const stacks = (plan.json as Json).stacks as Json[];
  expect(stacks).toHaveLength(9);
  expect(stacks.filter((x) => x.changes !== false).map((x) => x.stack)).toEqual([]);
}

beforeAll(async () => {
  sb = await sandbox();
  const svc = sb.env.services[0]!;
  const sn = serviceNames(sb.env, svc);
  const elb = await sb.client('elbv2');
  const tgs = (await elb.send(new DescribeTargetGroupsCommand({ Names: [sn.targetGroup, sn.alternateTargetGroup] }))).TargetGroups!;
  at.primary = tgs.find((t) => t.TargetGroupName === sn.targetGroup)!.TargetGroupArn;
  at.alternate = tgs.find((t) => t.TargetGroupName === sn.alternateTargetGroup)!.TargetGroupArn;
  const outputs = ((await sb.berth('outputs', '--env', 'sandbox', '--json')).json as Json).outputs as Json;
  at.prod = outputs.release_routes.value[svc.name].productionListenerRule;
  at.test = outputs.release_routes.value[svc.name].testListenerRule;
});

describe('terraform and berth own different fields: releases survive plan and apply', () => {
  it('the stacks made what ECS needs: alternate target group, production and test rules, the infrastructure role', async () => {
    const svc = sb.env.services[0]!;
    const [prod, test] = await rules();
    expect(Number(prod!.Priority)).toBe(productionPriority(sb.env.services, svc));
    expect(Number(test!.Priority)).toBe(testPriority(sb.env.services, svc));
    expect(test!.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toMatchObject({
      HttpHeaderName: TEST_HEADER,
      Values: [svc.name],
    });
    // Created forwarding primary 100 / alternate 0 (a file before this one may have released since).
    for (const r of [prod, test]) expect(Object.keys(weights(r)).sort()).toEqual([at.primary, at.alternate].sort());
    const iam = await sb.client('iam');
    const role = (await iam.send(new GetRoleCommand({ RoleName: names(sb.env).ecsInfrastructureRole }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ecs.amazonaws.com' });
  });

  it('after a blue/green release, plan reports no changes and apply moves no traffic', async () => {
    const released = await release('v2', 'blue-green');
    const s = await service();
    expect((s as Json).deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    await planHasNoChanges();
    const apply = await sb.berth('apply', '--env', 'sandbox', '--yes', '--json');
    expect(apply.code, apply.stderr.slice(-2000)).toBe(0);
    expect(await releaseState()).toEqual(released);
  });

  it('after a canary release, plan still reports no changes', async () => {
    const before = (await rules()).map(weights)[0]!;
    const released = await release('v1', 'canary');
    // The canary moved production to the other target group.
    expect(released.weights[0]).not.toEqual(before);
    await planHasNoChanges();
    expect(await releaseState()).toEqual(released);
  });
});
