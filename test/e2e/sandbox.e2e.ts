/**
 * The sandbox the e2e run brought up (`berth sandbox up`: the real stacks, applied by the real
 * terraform and AWS provider to berth's extended moto), checked from outside berth.
 *
 * `berth plan` of every stack starts as the module starts and runs while the tests that only read
 * (status, the AWS CLI, the public endpoint) run; its test reads it after them. Nothing that writes
 * to the emulator or synthesizes the stacks runs meanwhile (`berth outputs` synthesizes, so it runs
 * before the plan starts); the second `up` waits for the plan (both take terraform's state locks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, serviceNames } from '../../src/config/names.js';
import { sandbox, type RunResult, type Sandbox } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
/** `berth outputs --json`, read before the plan starts. */
let outputs: Json;
let planning: Promise<RunResult>;

beforeAll(async () => {
  sb = await sandbox();
  outputs = ((await sb.berth('outputs', '--env', 'sandbox', '--json')).json as Json).outputs as Json;
  planning = sb.berth('plan', '--env', 'sandbox', '--json');
  planning.catch(() => undefined); // awaited by its test
});

// Whichever tests ran (`-t`), the plan is over before the next module changes anything.
afterAll(async () => {
  await planning;
});

describe('berth sandbox up', () => {
  it('applied every stack of the sandbox environment and reports where things are', () => {
    expect(['started', 'reused', 'restarted']).toContain(sb.up.emulator);
    expect(sb.up.stacks.map((s) => s.stack).sort()).toEqual(
      ['alarms', 'cache', 'data', 'dns', 'edge', 'network', 'registry', 'security', 'service']
        .map((k) => names(sb.env).stack(k as never))
        .sort(),
    );
    expect(sb.up.stacks.every((s) => s.status === (sb.up.emulator === 'reused' ? 'unchanged' : 'applied'))).toBe(true);
    expect(sb.up.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.up.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.up.cluster).toBe(names(sb.env).cluster);
    for (const s of sb.up.services) expect(s).toMatchObject({ steady: true, running: s.desired });
  });

  it('status --json: running, with its endpoint URL and region', async () => {
    const r = await sb.berth('sandbox', 'status', '--json');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      running: true,
      endpoint: sb.endpoint,
      region: 'us-east-1',
      publicUrl: sb.publicUrl,
      cluster: sb.cluster,
    });
  });

  it('the AWS CLI (not berth) sees the cluster, services, target groups, log groups and Route 53 records berth reports', async () => {
    const status = (await sb.berth('status', '--env', 'sandbox', '--json')).json as Json;
    expect(status.cluster).toBe(sb.cluster);

    const clusters = (await sb.aws('ecs', 'describe-clusters', '--clusters', status.cluster)).json as Json;
    expect(clusters.clusters[0]).toMatchObject({ clusterName: sb.cluster, status: 'ACTIVE' });

    const listed = ((await sb.aws('ecs', 'list-services', '--cluster', sb.cluster)).json as Json).serviceArns as string[];
    for (const svc of status.services as Json[]) {
      expect(listed.some((a) => a.endsWith(`/${svc.name}`))).toBe(true);
      const d = ((await sb.aws('ecs', 'describe-services', '--cluster', sb.cluster, '--services', svc.name)).json as Json).services[0];
      expect({ desired: d.desiredCount, running: d.runningCount }).toEqual({ desired: svc.desired, running: svc.running });
    }

    const tgArns = Object.values(outputs.target_group_arns.value as Record<string, string>);
    expect(tgArns.length).toBe(sb.env.services.length);
    const tgs = ((await sb.aws('elbv2', 'describe-target-groups', '--target-group-arns', ...tgArns)).json as Json).TargetGroups as Json[];
    expect(tgs.map((t) => t.TargetGroupName).sort()).toEqual(sb.env.services.map((s) => serviceNames(sb.env, s).targetGroup).sort());
    for (const tg of tgs) {
      const health = ((await sb.aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn)).json as Json)
        .TargetHealthDescriptions as Json[];
      const svc = (status.services as Json[]).find(
        (s) =>
          serviceNames(
            sb.env,
            sb.env.services.find((x) => x.name === s.name)!,
          ).targetGroup === tg.TargetGroupName,
      )!;
      expect(health.filter((h) => h.TargetHealth.State === 'healthy').length).toBe(svc.desired);
    }

    const groups = ((await sb.aws('logs', 'describe-log-groups', '--log-group-name-prefix', `/ecs/${names(sb.env).prefix}/`)).json as Json)
      .logGroups as Json[];
    for (const s of sb.env.services) expect(groups.map((g) => g.logGroupName)).toContain(serviceNames(sb.env, s).logGroup);

    const zoneId = String(outputs.zone_id.value);
    const records = ((await sb.aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId)).json as Json)
      .ResourceRecordSets as Json[];
    const alias = records.find((r) => r.Name === `${names(sb.env).fqdn}.` && r.Type === 'A');
    expect(alias?.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase()).toBe(
      String(outputs.alb_dns_name.value).replace(/\.$/, '').toLowerCase(),
    );
  });

  it('the public endpoint answers each service health path with the version that is serving, and the tasks wrote their log lines', async () => {
    const status = (await sb.berth('status', '--env', 'sandbox', '--json')).json as Json;
    for (const s of sb.up.services) {
      const res = await fetch(s.healthUrl!);
      expect(res.status).toBe(200);
      const svc = (status.services as Json[]).find((x) => x.name === s.name)!;
      const tag = String(svc.deployments[0].image).split(':').pop();
      expect(await res.json()).toEqual({ status: 'healthy', version: tag });
    }
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logs = await sb.client('logs');
    for (const s of sb.env.services) {
      const ev = await logs.send(
        new FilterLogEventsCommand({ logGroupName: serviceNames(sb.env, s).logGroup, filterPattern: '"Listening on"' }),
      );
      expect(ev.events?.length ?? 0).toBeGreaterThanOrEqual(s.desiredCount);
      // awslogs stream names: <prefix>/<container>/<task id>
      expect(ev.events!.every((e) => new RegExp(`/${s.name}/[0-9a-f-]{36}$`).test(e.logStreamName ?? ''))).toBe(true);
    }
  });

  it('a terraform plan of every stack reports no changes', async () => {
    const r = await planning;
    const plan = r.json as Json;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(plan.exitCode).toBe(0);
    expect(plan.stacks).toHaveLength(9);
    for (const s of plan.stacks)
      expect({ stack: s.stack, status: s.status, changes: s.changes }).toEqual({ stack: s.stack, status: 'planned', changes: false });
  });

  it('a second up over the live emulator reuses it and changes nothing', async () => {
    await planning; // its state locks
    const r = await sb.berth('sandbox', 'up', '--json');
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.json).toMatchObject({ emulator: 'reused', pid: sb.record.pid, changedStacks: 0 });
    expect((r.json as Json).stacks.every((s: Json) => s.status === 'unchanged')).toBe(true);
  });
});
