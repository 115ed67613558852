/**
 * The saved sandbox (src/sandbox/saved.ts, berth_moto/snapshot.py): an emulator's whole state saved
 * to a file and loaded into a second, fresh emulator gives back the same resources with the same
 * ids, the ECS simulation's running tasks and target health as they were, and a simulation that
 * goes on working (a deployment on the restored emulator completes). With the terraform state
 * files and the stacks' digest beside it, as `berth sandbox up` saves and restores them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { emulatorStateFile, readSaved, restoreSandbox, saveSandbox, stacksDigest } from '../../src/sandbox/saved.js';
import { deploy, describeService, startWorld, steady, targets, waitFor, type World } from './world.js';

let w: World;
let second: Emulator | undefined;
let project: string;
const stateDir = () => join(project, '.berth', 'sandbox', 'state');

async function running(ecs: ECSClient, cluster: string) {
  const arns = (await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING' }))).taskArns ?? [];
  const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
  return tasks.map((t) => ({
    arn: t.taskArn,
    status: t.lastStatus,
    ip: t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value,
  }));
}

beforeAll(async () => {
  w = await startWorld();
  await waitFor(w, (s) => steady(w, s));
  const s3 = new S3Client({ ...w.cfg, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'demo-sandbox-alb-logs' }));
  await s3.send(new PutObjectCommand({ Bucket: 'demo-sandbox-alb-logs', Key: 'AWSLogs/123456789012/ELBAccessLogTestFile', Body: 'hello' }));
  project = mkdtempSync(join(tmpdir(), 'berth-saved-'));
  mkdirSync(stateDir(), { recursive: true });
  mkdirSync(join(project, 'stacks'));
}, 120_000);

afterAll(async () => {
  await w?.emu.stop();
  await second?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('a saved sandbox restored into a fresh emulator', () => {
  it('has the same resources and ids, the same running tasks and healthy targets, and the terraform state back', async () => {
    const stack = { name: 'demo-sandbox-network', file: join(project, 'stacks', 'cdk.tf.json') };
    writeFileSync(stack.file, '{"resource":{}}');
    writeFileSync(join(stateDir(), 'demo-sandbox-network.tfstate'), '{"version":4,"serial":7}');
    const before = {
      service: await describeService(w),
      tasks: await running(w.ecs, w.cluster),
      targets: await targets(w),
      subnets: (await w.ec2.send(new DescribeSubnetsCommand({}))).Subnets?.map((s) => s.SubnetId).sort(),
    };
    const saved = await saveSandbox({ project, endpoint: w.emu.endpoint, motoVersion: '5.2.1', stateDir: stateDir(), stacks: [stack] });
    expect(saved.stacksDigest).toBe(stacksDigest([stack]));
    expect(saved.emulatorBytes).toBeGreaterThan(1000);
    expect(readSaved(project, '5.2.1')).toEqual(saved);
    expect(readSaved(project, '5.3.0')).toBeUndefined(); // another moto: not used

    await w.emu.stop();
    rmSync(stateDir(), { recursive: true, force: true });
    second = await startEmulator({});
    const files = await restoreSandbox({ project, endpoint: second.endpoint, stateDir: stateDir(), saved });
    expect(files).toEqual([join('.berth', 'sandbox', 'state', 'demo-sandbox-network.tfstate')]);
    expect(readFileSync(join(stateDir(), 'demo-sandbox-network.tfstate'), 'utf8')).toContain('"serial":7');

    const cfg = { ...w.cfg, endpoint: second.endpoint };
    w = { ...w, emu: second, cfg, ecs: new ECSClient(cfg), elb: new ElasticLoadBalancingV2Client(cfg), ec2: new EC2Client(cfg) };
    const after = await describeService(w);
    expect(after.serviceArn).toBe(before.service.serviceArn);
    expect(after.deployments?.map((d) => [d.id, d.taskDefinition, d.rolloutState])).toEqual(
      before.service.deployments?.map((d) => [d.id, d.taskDefinition, d.rolloutState]),
    );
    expect(await running(w.ecs, w.cluster)).toEqual(before.tasks);
    expect((await targets(w)).map((t) => [t.Target?.Id, t.TargetHealth?.State])).toEqual(
      before.targets.map((t) => [t.Target?.Id, t.TargetHealth?.State]),
    );
    expect((await w.ec2.send(new DescribeSubnetsCommand({}))).Subnets?.map((s) => s.SubnetId).sort()).toEqual(before.subnets);
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const obj = await s3.send(new GetObjectCommand({ Bucket: 'demo-sandbox-alb-logs', Key: 'AWSLogs/123456789012/ELBAccessLogTestFile' }));
    expect(await obj.Body?.transformToString()).toBe('hello');
  }, 120_000);

  it('goes on simulating ECS: a deployment on the restored emulator replaces the tasks and completes', async () => {
    const before = (await running(w.ecs, w.cluster)).map((t) => t.arn);
    const arn = await deploy(w, `${w.repositoryUri}:v2`);
    const s = await waitFor(w, async (x) => x.deployments?.[0]?.taskDefinition === arn && (await steady(w, x)));
    expect(s.deployments).toHaveLength(1);
    const now = (await running(w.ecs, w.cluster)).map((t) => t.arn);
    expect(now.filter((a) => before.includes(a))).toEqual([]);
  }, 120_000);

  it("a state file that is not the emulator's is refused with the reason, and the emulator keeps serving", async () => {
    writeFileSync(emulatorStateFile(project), 'not a pickle');
    const saved = readSaved(project, '5.2.1')!;
    await expect(restoreSandbox({ project, endpoint: second!.endpoint, stateDir: stateDir(), saved })).rejects.toThrow(
      /could not load its state/,
    );
    expect((await describeService(w)).status).toBe('ACTIVE');
  });
});
