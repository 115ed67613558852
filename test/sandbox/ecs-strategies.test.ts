/**
 * The emulator's blue/green, canary and linear deployments (src/sandbox/moto/berth_moto/ecs_sim/
 * strategy.py, progressive.py, service_deployments.py, traffic.py), its public URL's weighted
 * forwarding and its ALB metrics, seen through the plain AWS SDK on a bare emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { CloudWatchClient, GetMetricDataCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { deploy, describeService, startWorld, steady, waitFor, type World } from './world.js';
import { addBlueGreen, hit, latest, ruleWeights, useStrategy, type Answer, type PdWorld } from './pd-world.js';

let w: World;
let pd: PdWorld;

beforeAll(async () => {
  w = await startWorld();
  pd = await addBlueGreen(w);
  await waitFor(w, (s) => steady(w, s));
});

afterAll(async () => {
  await w?.emu.stop();
});

const errorOf = async (p: Promise<unknown>) => p.then(() => undefined).catch((e: { name?: string; message?: string }) => e);

async function healthyIn(tg: string): Promise<number> {
  const d = await w.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
  return (d.TargetHealthDescriptions ?? []).filter((t) => t.TargetHealth?.State === 'healthy').length;
}

/**
 * Poll the newest service deployment until `done`, sampling the public URL meanwhile: `perPoll`
 * requests per poll, one poll every POLL_MS at most (up to 50 requests a second: a canary step of 3 s
 * on the emulator's clock gets ~150 samples; the shortest stage, 1 s of test traffic, several polls).
 */
const POLL_MS = 100;
async function follow(done: (sd: ServiceDeployment) => boolean, limitMs = 60_000, perPoll = 5) {
  const samples: { stage?: string; pct?: number; a: Answer }[] = [];
  const stages = new Set<string>();
  const deadline = Date.now() + limitMs;
  for (;;) {
    const started = Date.now();
    const sd = await latest(w);
    if (sd.lifecycleStage) stages.add(sd.lifecycleStage);
    if (done(sd)) return { sd, samples, stages };
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify({ status: sd.status, stage: sd.lifecycleStage })}`);
    for (let i = 0; i < perPoll; i++)
      samples.push({
        stage: sd.lifecycleStage,
        pct: sd.targetServiceRevision?.requestedProductionTrafficWeight,
        a: await hit(w, '/api/items'),
      });
    const rest = (perPoll ? POLL_MS : 250) - (Date.now() - started);
    if (rest > 0) await new Promise((res) => setTimeout(res, rest));
  }
}

describe('deployment strategies on the emulator', () => {
  it('refuses what ECS refuses, before changing anything: no advancedConfiguration, percents and bake times out of range, a role ECS cannot assume', async () => {
    const bad = async (dc: object, adv?: object) =>
      errorOf(
        w.ecs.send(
          new UpdateServiceCommand({
            cluster: w.cluster,
            service: w.service,
            deploymentConfiguration: dc,
            loadBalancers: [
              {
                targetGroupArn: w.targetGroupArn,
                containerName: 'api',
                containerPort: 8001,
                ...(adv ? { advancedConfiguration: adv } : {}),
              },
            ],
          }),
        ),
      );
    const adv = { alternateTargetGroupArn: pd.alternateTargetGroupArn, productionListenerRule: pd.productionRule, roleArn: pd.roleArn };
    const cases = [
      await bad({ strategy: 'BLUE_GREEN' }),
      await bad({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.05 } }, adv),
      await bad({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10.25 } }, adv),
      await bad({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }, adv),
      await bad({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, adv),
      await bad({ strategy: 'BLUE_GREEN' }, { ...adv, roleArn: 'arn:aws:iam::123456789012:role/nobody' }),
      await bad({ strategy: 'BLUE_GREEN' }, { ...adv, alternateTargetGroupArn: w.targetGroupArn }),
    ];
    for (const e of cases) expect(e?.name).toBe('InvalidParameterException');
    expect(cases[0]!.message).toContain('loadBalancers[0].advancedConfiguration');
    expect(cases[1]!.message).toContain('canaryPercent');
    expect(cases[3]!.message).toContain('stepPercent');
    expect(cases[4]!.message).toContain('bakeTimeInMinutes');
    const s = await describeService(w);
    expect(s.deploymentConfiguration?.strategy).toBeUndefined();
    expect(s.loadBalancers![0]!.advancedConfiguration).toBeUndefined();
  });

  it('keeps the strategy fields, records every deployment as a service deployment and a service revision', async () => {
    await useStrategy(w, pd, {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 },
      bakeTimeInMinutes: 0,
    });
    const s = await describeService(w);
    expect(s.deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 },
    });
    expect(s.loadBalancers![0]!.advancedConfiguration).toMatchObject({
      alternateTargetGroupArn: pd.alternateTargetGroupArn,
      testListenerRule: pd.testRule,
    });
    expect(s.deployments).toHaveLength(1); // a configuration change is no deployment
    const first = await latest(w);
    expect(first.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-east-1:\d{12}:service-deployment\/demo-sandbox\/api\/[\w-]{21}$/);
    expect(first).toMatchObject({ status: 'SUCCESSFUL', sourceServiceRevisions: [] });
    const revArn = first.targetServiceRevision!.arn!;
    expect(revArn).toBe(
      `arn:aws:ecs:us-east-1:${revArn.split(':')[4]}:service-revision/demo-sandbox/api/${s.deployments![0]!.id!.split('/')[1]}`,
    );
    const rev = await w.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revArn, `${revArn}0`] }));
    expect(rev.serviceRevisions![0]).toMatchObject({
      taskDefinition: s.taskDefinition,
      resolvedConfiguration: { loadBalancers: [{ targetGroupArn: w.targetGroupArn }] },
    });
    expect(rev.failures).toEqual([{ arn: `${revArn}0`, reason: 'MISSING' }]);
    expect(s.currentServiceDeployment).toBe(first.serviceDeploymentArn);
  });

  it('canary: new tasks healthy in the alternate group, test traffic, then 20 % of production for the bake, then 100 %; no failed request; the old tasks go', async () => {
    await deploy(w, `${w.repositoryUri}:v2`);
    const r = await follow((sd) => !['PENDING', 'IN_PROGRESS'].includes(sd.status!));
    expect(r.sd.status).toBe('SUCCESSFUL');
    expect([...r.stages]).toEqual(expect.arrayContaining(['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'CLEAN_UP']));
    expect(r.samples.every((x) => x.a.status === 200)).toBe(true);
    const atCanary = r.samples.filter((x) => x.stage === 'PRODUCTION_TRAFFIC_SHIFT' && x.pct === 20);
    expect(atCanary.length).toBeGreaterThanOrEqual(10);
    const share = atCanary.filter((x) => x.a.version === 'v2').length / atCanary.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    expect(r.samples.filter((x) => x.stage === 'SCALE_UP').every((x) => x.a.version === 'v1')).toBe(true);
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [w.targetGroupArn]: 0, [pd.alternateTargetGroupArn]: 100 });
    expect(await ruleWeights(w, pd.testRule)).toEqual({ [w.targetGroupArn]: 0, [pd.alternateTargetGroupArn]: 100 });
    const s = await waitFor(w, (x) => x.deployments?.length === 1 && x.runningCount === 2);
    expect(s.deployments).toHaveLength(1);
    expect(await healthyIn(pd.alternateTargetGroupArn)).toBe(2);
    for (let i = 0; i < 10; i++) expect(await hit(w, '/api/items')).toEqual({ status: 200, version: 'v2' });
    expect(r.sd.sourceServiceRevisions![0]!.requestedProductionTrafficWeight).toBe(0);
    expect(r.sd.targetServiceRevision!.requestedProductionTrafficWeight).toBe(100);
  });

  it('blue/green the other way (the groups swapped roles); StopServiceDeployment ROLLBACK returns all traffic to the old group at once, then stops the new tasks', async () => {
    await useStrategy(w, pd, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    await deploy(w, `${w.repositoryUri}:fail-api`);
    const r = await follow((sd) => sd.lifecycleStage === 'BAKE_TIME' || !['PENDING', 'IN_PROGRESS'].includes(sd.status!));
    expect(r.sd.status).toBe('IN_PROGRESS');
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [pd.alternateTargetGroupArn]: 0, [w.targetGroupArn]: 100 });
    const bad = await hit(w, '/api/items');
    expect(bad).toEqual({ status: 500, version: 'fail-api' });
    expect(await hit(w, '/health')).toEqual({ status: 200, version: 'fail-api' });
    await w.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: r.sd.serviceDeploymentArn, stopType: 'ROLLBACK' }));
    const t0 = Date.now();
    let back = false;
    while (!back && Date.now() - t0 < 5_000) back = (await hit(w, '/api/items')).version === 'v2';
    expect(back).toBe(true);
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [pd.alternateTargetGroupArn]: 100, [w.targetGroupArn]: 0 });
    const done = await follow((sd) => sd.status === 'ROLLBACK_SUCCESSFUL', 30_000);
    expect(done.samples.every((x) => x.a.status === 200 && x.a.version === 'v2')).toBe(true);
    expect(done.sd.rollback).toMatchObject({ serviceRevisionArn: r.sd.sourceServiceRevisions![0]!.arn });
    expect(await healthyIn(w.targetGroupArn)).toBe(0);
    const stop = await errorOf(w.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: r.sd.serviceDeploymentArn })));
    expect((stop as { name: string }).name).toBe('ConflictException');
  });

  it('counts each answer in CloudWatch as the ALB does: RequestCount and HTTPCode_Target_5XX_Count per target group and load balancer', async () => {
    const cw = new CloudWatchClient(w.cfg);
    const lb = pd.loadBalancerArn.split(':loadbalancer/')[1]!;
    const tg = w.targetGroupArn.split(':').pop()!;
    const q = (id: string, name: string, dims: { Name: string; Value: string }[]) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: dims }, Period: 60, Stat: 'Sum' },
    });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 600_000),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [
          q('bad', 'HTTPCode_Target_5XX_Count', [
            { Name: 'LoadBalancer', Value: lb },
            { Name: 'TargetGroup', Value: tg },
          ]),
          q('all', 'RequestCount', [{ Name: 'LoadBalancer', Value: lb }]),
          q('tg', 'RequestCount', [
            { Name: 'TargetGroup', Value: tg },
            { Name: 'LoadBalancer', Value: lb },
          ]),
        ],
      }),
    );
    const sum = (id: string) => (out.MetricDataResults!.find((m) => m.Id === id)!.Values ?? []).reduce((a, b) => a + b, 0);
    expect(sum('bad')).toBeGreaterThanOrEqual(1);
    expect(sum('tg')).toBeGreaterThanOrEqual(sum('bad'));
    expect(sum('all')).toBeGreaterThan(sum('tg'));
  });

  it('linear with an alarm: a listed alarm in ALARM rolls back at the step it fires; fail-health never gets traffic (caught at SCALE_UP by the circuit breaker)', async () => {
    const cw = new CloudWatchClient(w.cfg);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await useStrategy(w, pd, {
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
      alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
    });
    await deploy(w, `${w.repositoryUri}:v3`);
    const r = await follow(
      (sd) => (sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 50 || !['PENDING', 'IN_PROGRESS'].includes(sd.status!),
    );
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [pd.alternateTargetGroupArn]: 50, [w.targetGroupArn]: 50 });
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'test' }));
    const rolled = await follow((sd) => sd.status === 'ROLLBACK_SUCCESSFUL', 30_000);
    expect(rolled.sd.alarms).toMatchObject({ status: 'TRIGGERED', triggeredAlarmNames: ['api-5xx'] });
    expect(r.sd.serviceDeploymentArn).toBe(rolled.sd.serviceDeploymentArn);
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [pd.alternateTargetGroupArn]: 100, [w.targetGroupArn]: 0 });
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'OK', StateReason: 'test' }));

    await deploy(w, `${w.repositoryUri}:fail-health`);
    const h = await follow((sd) => sd.status === 'ROLLBACK_SUCCESSFUL' || sd.status === 'SUCCESSFUL', 60_000);
    expect(h.sd).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      lifecycleStage: 'SCALE_UP',
      deploymentCircuitBreaker: { status: 'TRIGGERED' },
    });
    expect(h.samples.every((x) => x.a.status === 200 && x.a.version === 'v2')).toBe(true);
    const list = await w.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: w.cluster, service: w.service, status: ['ROLLBACK_SUCCESSFUL'] }),
    );
    expect(list.serviceDeployments).toHaveLength(3);
  });

  it('a PAUSE lifecycle hook holds the deployment at its stage, with test traffic on the new revision, until ContinueServiceDeployment', async () => {
    await useStrategy(w, pd, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    });
    await deploy(w, `${w.repositoryUri}:v3`);
    const r = await follow(
      (sd) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' || !['PENDING', 'IN_PROGRESS'].includes(sd.status!),
    );
    expect(r.sd).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
    await new Promise((res) => setTimeout(res, 1500)); // longer than the stage would last without the hook
    expect((await latest(w)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(await hit(w, '/api/items', { 'X-Berth-Test': '1' })).toEqual({ status: 200, version: 'v3' });
    expect(await hit(w, '/api/items')).toEqual({ status: 200, version: 'v2' });
    const hookId = r.sd.lifecycleHookDetails![0]!.hookId!;
    const wrong = await errorOf(
      w.ecs.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: r.sd.serviceDeploymentArn, hookId: 'nope', action: 'CONTINUE' }),
      ),
    );
    expect((wrong as { name: string }).name).toBe('InvalidParameterException');
    await w.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: r.sd.serviceDeploymentArn, hookId, action: 'CONTINUE' }));
    const done = await follow((sd) => !['PENDING', 'IN_PROGRESS'].includes(sd.status!));
    expect(done.sd.status).toBe('SUCCESSFUL');
    expect(done.samples.every((x) => x.a.status === 200)).toBe(true);
    expect(await ruleWeights(w, pd.productionRule)).toEqual({ [pd.alternateTargetGroupArn]: 0, [w.targetGroupArn]: 100 });
  });

  it('rolling: a service deployment without stages or weights, no failed request on the public URL; the circuit breaker rollback is ROLLBACK_SUCCESSFUL', async () => {
    await useStrategy(w, pd, { strategy: 'ROLLING' });
    await deploy(w, `${w.repositoryUri}:v1`);
    const good = await follow((sd) => !['PENDING', 'IN_PROGRESS'].includes(sd.status!));
    expect(good.sd.status).toBe('SUCCESSFUL');
    expect(good.sd.lifecycleStage).toBeUndefined();
    expect(good.sd.targetServiceRevision!.requestedProductionTrafficWeight).toBeUndefined();
    expect(good.samples.every((x) => x.a.status === 200)).toBe(true);
    await waitFor(w, (x) => x.deployments?.length === 1 && x.runningCount === 2);
    expect(await healthyIn(w.targetGroupArn)).toBe(2); // the production group of the pair
    await deploy(w, `${w.repositoryUri}:fail-exit`);
    const bad = await follow((sd) => sd.status === 'ROLLBACK_SUCCESSFUL' || sd.status === 'SUCCESSFUL' || sd.status === 'STOPPED', 60_000);
    expect(bad.sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', rollback: { serviceRevisionArn: good.sd.targetServiceRevision!.arn } });
    expect(bad.sd.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
  });

  it('a newer deployment during a canary: the canary traffic goes back to its source, its tasks stop, the newer one proceeds; no failed request', async () => {
    await useStrategy(w, pd, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 1 } });
    await deploy(w, `${w.repositoryUri}:v2`);
    const first = await follow(
      (sd) => (sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 50 || ['SUCCESSFUL', 'STOPPED'].includes(sd.status!),
    );
    expect(first.sd.status).toBe('IN_PROGRESS');
    await deploy(w, `${w.repositoryUri}:v3`);
    const second = await follow(
      (sd) =>
        sd.serviceDeploymentArn !== first.sd.serviceDeploymentArn && ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL'].includes(sd.status!),
    );
    expect(second.sd.status).toBe('SUCCESSFUL');
    expect(second.samples.every((x) => x.a.status === 200)).toBe(true);
    const old = (await w.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [first.sd.serviceDeploymentArn!] })))
      .serviceDeployments![0]!;
    expect(old.status).toBe('STOPPED');
    expect(second.sd.sourceServiceRevisions!.map((r) => r.arn)).toEqual(first.sd.sourceServiceRevisions!.map((r) => r.arn));
    for (let i = 0; i < 6; i++) expect(await hit(w, '/api/items')).toEqual({ status: 200, version: 'v3' });
  });

  it('an alarm on the load balancer 5xx count, evaluated by the emulator, rolls a fail-api canary back at its first step', async () => {
    const cw = new CloudWatchClient(w.cfg);
    const lb = pd.loadBalancerArn.split(':loadbalancer/')[1]!;
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'lb-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'LoadBalancer', Value: lb }],
        Statistic: 'Sum',
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await useStrategy(w, pd, {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
      alarms: { alarmNames: ['lb-5xx'], enable: true, rollback: true },
    });
    await deploy(w, `${w.repositoryUri}:fail-api`);
    const r = await follow((sd) => ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(sd.status!), 60_000);
    expect(r.sd).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['lb-5xx'] } });
    const bad = r.samples.filter((x) => x.a.version === 'fail-api');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(bad.length / r.samples.filter((x) => x.stage === 'PRODUCTION_TRAFFIC_SHIFT').length).toBeLessThanOrEqual(0.2);
    expect(bad.every((x) => x.pct === 10)).toBe(true);
    expect(await hit(w, '/api/items')).toEqual({ status: 200, version: 'v3' });
  });
  it('slow-api: /api/* answers after 3 s, and TargetResponseTime says so', async () => {
    await useStrategy(w, pd, { strategy: 'ROLLING' }); // the 5xx alarm above may still be in ALARM
    await deploy(w, `${w.repositoryUri}:slow-api`);
    await follow((sd) => !['PENDING', 'IN_PROGRESS'].includes(sd.status!), 60_000, 0);
    const t0 = Date.now();
    expect(await hit(w, '/api/items')).toEqual({ status: 200, version: 'slow-api' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2900);
    const lb = pd.loadBalancerArn.split(':loadbalancer/')[1]!;
    const weights = await ruleWeights(w, pd.productionRule);
    const serving = Object.keys(weights).find((arn) => weights[arn] === 100) ?? w.targetGroupArn;
    const tg = serving.split(':').pop()!;
    const out = await new CloudWatchClient(w.cfg).send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 120_000),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [
          {
            Id: 'slowest',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'TargetResponseTime',
                Dimensions: [
                  { Name: 'TargetGroup', Value: tg },
                  { Name: 'LoadBalancer', Value: lb },
                ],
              },
              Period: 60,
              Stat: 'Maximum',
            },
          },
        ],
      }),
    );
    expect(Math.max(...out.MetricDataResults![0]!.Values!)).toBeGreaterThanOrEqual(3);
  });
});
