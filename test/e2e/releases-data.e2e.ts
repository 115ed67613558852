/**
 * Releases that touch data (issue 15) end to end on THE sandbox of the run: one-off tasks
 * (`berth run`), a release stopped by its failing migration (`deploy --run-first`), revision
 * retention (`berth revisions --prune`), and Aurora snapshots, restores and a cross-region copy
 * (`berth db ...`). Checked from outside berth with the AWS SDK / CLI against the emulator and with
 * HTTP requests to the public URL.
 *
 * What it changes it puts back for the files after it: the Redis secret it breaks is restored, the
 * clusters, instances and snapshots it creates are deleted, the service stays on its revision. The
 * revisions it prunes are ones nothing uses (never the running one, the rollback target or the one
 * terraform registered, so a plan after it stays empty).
 */
import * as ECS from '@aws-sdk/client-ecs';
import * as RDS from '@aws-sdk/client-rds';
import * as SM from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, serviceNames } from '../../src/config/names.js';
import type { ServiceConfig } from '../../src/config/types.js';
import { sandbox, type RunResult, type Sandbox } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;
let svc: ServiceConfig;
const SECOND_REGION = 'us-west-2';
const created = { clusters: [] as string[], snapshots: [] as string[], copies: [] as string[] };

beforeAll(async () => {
  sb = await sandbox();
  svc = sb.env.services[0]!;
});

async function berth(...args: string[]): Promise<RunResult & { j: Json }> {
  const r = await sb.berth(...args);
  return { ...r, j: (r.json ?? {}) as Json };
}
const why = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout.slice(0, 3000)}\nstderr: ${r.stderr.slice(-3000)}`;

async function service() {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new ECS.DescribeServicesCommand({ cluster: sb.cluster, services: [serviceNames(sb.env, svc).service] })))
    .services![0]!;
}

async function serving(): Promise<{ status: number; version?: string }> {
  const res = await fetch(`${sb.publicUrl}${svc.healthPath}`);
  const body = res.ok ? ((await res.json()) as { version?: string }) : {};
  return { status: res.status, version: body.version };
}

async function describeTask(arn: string) {
  const ecs = await sb.client('ecs');
  return (await ecs.send(new ECS.DescribeTasksCommand({ cluster: sb.cluster, tasks: [arn] }))).tasks![0]!;
}

async function deleteCluster(id: string, region?: string) {
  const r = await sb.aws('rds', 'describe-db-instances', ...(region ? ['--region', region] : []));
  const instances = ((r.json as Json)?.DBInstances ?? []).filter((i: Json) => i.DBClusterIdentifier === id);
  for (const i of instances)
    await sb.aws('rds', 'delete-db-instance', '--db-instance-identifier', i.DBInstanceIdentifier, '--skip-final-snapshot');
  await sb.aws('rds', 'delete-db-cluster', '--db-cluster-identifier', id, '--skip-final-snapshot');
}

afterAll(async () => {
  if (!sb) return;
  for (const id of created.clusters) await deleteCluster(id).catch(() => undefined);
  for (const id of created.snapshots)
    await sb.aws('rds', 'delete-db-cluster-snapshot', '--db-cluster-snapshot-identifier', id).catch(() => undefined);
  for (const id of created.copies)
    await sb
      .aws('rds', 'delete-db-cluster-snapshot', '--region', SECOND_REGION, '--db-cluster-snapshot-identifier', id)
      .catch(() => undefined);
});

describe('berth run on the sandbox', () => {
  it("prints the command's lines and exits with its exit code", async () => {
    const r = await sb.berth('run', '--env', 'sandbox', '--service', 'api', '--', 'sh', '-c', 'echo migrating; exit 3');
    expect(r.code, why(r)).toBe(3);
    expect(r.stdout.split('\n')).toContain('migrating');
    expect(r.stderr).toMatch(/exited with code 3/);
  });

  it(
    "--json: the task ran in the service's subnets and security groups, with the service's task definition, the command " +
      "overriding the container's",
    async () => {
      const r = await berth(
        'run',
        '--env',
        'sandbox',
        '--service',
        'api',
        '--json',
        '--',
        'sh',
        '-c',
        "echo one && echo 'two words'; sleep 0.2; echo three",
      );
      expect(r.code, why(r)).toBe(0);
      expect(r.j).toMatchObject({
        ok: true,
        command: 'run',
        status: 'exited',
        exitCode: 0,
        containerExitCode: 0,
        lines: ['one', 'two words', 'three'],
        oneOffRevision: false,
      });
      expect(r.stderr).toContain('two words'); // the lines stream to stderr under --json
      const s = await service();
      expect(r.j.taskDefinition).toBe(s.taskDefinition);
      const t = await describeTask(r.j.taskArn);
      expect(t.lastStatus).toBe('STOPPED');
      expect(t.stopCode).toBe('EssentialContainerExited');
      expect(t.overrides?.containerOverrides?.[0]).toMatchObject({
        name: serviceNames(sb.env, svc).container,
        command: ['sh', '-c', expect.stringContaining('echo one')],
      });
      const subnet = t.attachments?.[0]?.details?.find((d) => d.name === 'subnetId')?.value;
      expect(s.networkConfiguration?.awsvpcConfiguration?.subnets).toContain(subnet);
    },
  );

  it('--detach returns the task id at once (exit 0); the task runs on and exits by itself', async () => {
    const r = await berth('run', '--env', 'sandbox', '--service', 'api', '--detach', '--json', '--', 'sh', '-c', 'sleep 1; exit 7');
    expect(r.code, why(r)).toBe(0);
    expect(r.j).toMatchObject({ status: 'detached', exitCode: 0 });
    expect((await describeTask(r.j.taskArn)).lastStatus).not.toBe('STOPPED');
    const deadline = Date.now() + 30_000;
    let t = await describeTask(r.j.taskArn);
    while (t.lastStatus !== 'STOPPED' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      t = await describeTask(r.j.taskArn);
    }
    expect(t.containers?.[0]?.exitCode).toBe(7);
  });

  it('a missing secret key: the task does not start, exit 40, explained as a deploy would explain it', async () => {
    const sm = await sb.client('secretsManager');
    const arn = (await sm.send(new SM.DescribeSecretCommand({ SecretId: names(sb.env).redisSecret }))).ARN!;
    const original = (await sm.send(new SM.GetSecretValueCommand({ SecretId: arn }))).SecretString!;
    const { url: _url, ...rest } = JSON.parse(original) as Record<string, string>;
    await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify(rest) }));
    try {
      const r = await berth('run', '--env', 'sandbox', '--service', 'api', '--json', '--', 'echo', 'never printed');
      expect(r.code, why(r)).toBe(40);
      expect(r.j).toMatchObject({ ok: false, status: 'not-started', exitCode: 40, kind: 'secrets', stopCode: 'TaskFailedToStart' });
      expect(r.j.explanation).toMatch(/ResourceInitializationError: unable to pull secrets/);
      expect(r.j.lines).toEqual([]);
      expect(r.stdout).not.toContain(original);
      const human = await sb.berth('run', '--env', 'sandbox', '--service', 'api', '--', 'echo', 'never printed');
      expect(human.code).toBe(40);
      expect(human.stderr).toMatch(/did NOT start/);
    } finally {
      await sm.send(new SM.PutSecretValueCommand({ SecretId: arn, SecretString: original }));
    }
  });
});

describe('deploy --run-first on the sandbox', () => {
  it(
    'a failing migration stops the release before the service moves: exit 44, its lines printed, the service and its traffic ' +
      'untouched',
    async () => {
      const before = await service();
      const servedBefore = await serving();
      expect(servedBefore.status).toBe(200);
      const r = await berth(
        'deploy',
        '--env',
        'sandbox',
        '--tag',
        'v3',
        '--run-first',
        'echo migrating schema; exit 5',
        '--json',
        '--poll-interval',
        '1s',
        '--timeout',
        '3m',
      );
      expect(r.code, why(r)).toBe(44);
      expect(r.j).toMatchObject({
        ok: false,
        command: 'deploy',
        verdict: 'failed',
        exitCode: 44,
        rollback: null,
        oldRevision: { arn: before.taskDefinition },
      });
      expect(r.j.runFirst).toMatchObject({
        status: 'exited',
        containerExitCode: 5,
        lines: ['migrating schema'],
        taskDefinition: r.j.newRevision.arn,
      });
      expect(r.j.failures[0].logLines).toEqual(['migrating schema']);
      expect(r.stderr).toContain('| migrating schema');

      const after = await service();
      expect(after.taskDefinition).toBe(before.taskDefinition);
      expect(after.deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id));
      expect(await serving()).toEqual(servedBefore);
      const ecs = await sb.client('ecs');
      const tags =
        (await ecs.send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: r.j.newRevision.arn, include: ['TAGS'] }))).tags ?? [];
      expect(tags.map((t) => t.key)).toContain('berth:failed-at');
    },
  );
});

describe('berth revisions on the sandbox', () => {
  it(
    "prunes what nothing needs; keeps the running revision, the rollback target, terraform's and the recent ones (AWS API); " +
      'rollback still works',
    async () => {
      // A good deploy first, so that there is a rollback target whatever ran before this file.
      const baseline = await service();
      const baseImage = (
        await (await sb.client('ecs')).send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: baseline.taskDefinition! }))
      ).taskDefinition!.containerDefinitions![0]!.image!;
      const next = baseImage.endsWith(':v2') ? 'v3' : 'v2';
      const dep = await berth('deploy', '--env', 'sandbox', '--tag', next, '--json', '--poll-interval', '1s', '--timeout', '3m');
      expect(dep.code, why(dep)).toBe(0);

      const list = await berth('revisions', '--env', 'sandbox', '--service', 'api', '--keep', '1', '--keep-days', '0', '--json');
      expect(list.code, why(list)).toBe(0);
      const plan = list.j.revisions as Json[];
      const running = (await service()).taskDefinition!;
      expect(running).toBe(dep.j.newRevision.arn);
      expect(plan.find((p) => p.arn === running)).toMatchObject({ action: 'keep', reasons: expect.arrayContaining(['running']) });
      expect(list.j.rollbackTarget).toBe(baseline.taskDefinition);
      expect(plan.find((p) => p.arn === list.j.rollbackTarget)?.reasons).toContain('rollback-target');
      expect(plan.some((p) => p.reasons.includes('terraform') && p.action === 'keep')).toBe(true);
      const doomed = plan.filter((p) => p.action === 'deregister').map((p) => p.arn as string);
      expect(doomed.length).toBeGreaterThan(0); // at least the revision the failed --run-first registered

      // Everything here was registered today: with --keep-days 1 all of it is recent, nothing goes.
      const recent = await berth(
        'revisions',
        '--env',
        'sandbox',
        '--service',
        'api',
        '--keep',
        '1',
        '--keep-days',
        '1',
        '--prune',
        '--yes',
        '--json',
      );
      expect(recent.code, why(recent)).toBe(0);
      expect(recent.j.pruned).toBeNull();
      expect((recent.j.revisions as Json[]).every((p) => p.action === 'keep' && p.reasons.includes('recent'))).toBe(true);

      const noTty = await berth(
        'revisions',
        '--env',
        'sandbox',
        '--service',
        'api',
        '--keep',
        '1',
        '--keep-days',
        '0',
        '--prune',
        '--json',
      );
      expect(noTty.code, why(noTty)).toBe(2);

      const pruned = await berth(
        'revisions',
        '--env',
        'sandbox',
        '--service',
        'api',
        '--keep',
        '1',
        '--keep-days',
        '0',
        '--prune',
        '--yes',
        '--json',
      );
      expect(pruned.code, why(pruned)).toBe(0);
      expect([...pruned.j.pruned.deregistered].sort()).toEqual([...doomed].sort());
      const ecs = await sb.client('ecs');
      const status = async (arn: string) =>
        (await ecs.send(new ECS.DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition!.status;
      for (const arn of doomed) expect(await status(arn)).toBe('INACTIVE');
      for (const p of plan.filter((x) => x.action === 'keep')) expect(await status(p.arn)).toBe('ACTIVE');
      expect(await status(running)).toBe('ACTIVE');
      expect(await status(baseline.taskDefinition!)).toBe('ACTIVE');

      // The kept rollback target is where rollback goes: the service ends where it started.
      const back = await berth(
        'rollback',
        '--env',
        'sandbox',
        '--service',
        'api',
        '--yes',
        '--json',
        '--poll-interval',
        '1s',
        '--timeout',
        '3m',
      );
      expect(back.code, why(back)).toBe(0);
      expect(back.j.newRevision.arn).toBe(baseline.taskDefinition);
      expect((await service()).taskDefinition).toBe(baseline.taskDefinition);
      expect((await serving()).status).toBe(200);
    },
  );
});

describe('berth db on the sandbox', () => {
  const cluster = () => names(sb.env).dbCluster;
  let snapshot: string;

  it('db snapshot: a manual snapshot tagged with who and why, available; db snapshots lists it with the automated one', async () => {
    const r = await berth('db', 'snapshot', '--env', 'sandbox', '--reason', 'before the v3 release', '--json');
    expect(r.code, why(r)).toBe(0);
    snapshot = r.j.snapshot;
    created.snapshots.push(snapshot);
    expect(r.j).toMatchObject({ ok: true, cluster: cluster(), status: 'available', reason: 'before the v3 release' });
    const rds = await sb.client('rds');
    const s = (await rds.send(new RDS.DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshot })))
      .DBClusterSnapshots![0]!;
    expect(s.SnapshotType).toBe('manual');
    expect(s.TagList).toEqual(
      expect.arrayContaining([
        { Key: 'berth:created-by', Value: 'berth' },
        { Key: 'berth:reason', Value: 'before the v3 release' },
      ]),
    );

    const l = await berth('db', 'snapshots', '--env', 'sandbox', '--json');
    expect(l.code, why(l)).toBe(0);
    const rows = l.j.snapshots as Json[];
    expect(rows.find((x) => x.id === snapshot)).toMatchObject({
      type: 'manual',
      byBerth: true,
      reason: 'before the v3 release',
      prune: false,
    });
    expect(rows.some((x) => x.type === 'automated')).toBe(true);
    expect(rows.every((x) => typeof x.ageHours === 'number')).toBe(true);
  });

  it(
    'db restore --snapshot: a NEW cluster beside the current one, same subnet group and security groups, with a writer; the ' +
      'old cluster untouched',
    async () => {
      const rds = await sb.client('rds');
      const old = (await rds.send(new RDS.DescribeDBClustersCommand({ DBClusterIdentifier: cluster() }))).DBClusters![0]!;
      const name = `${cluster()}-e2e-snap`;
      created.clusters.push(name);
      const r = await berth('db', 'restore', '--env', 'sandbox', '--snapshot', snapshot, '--name', name, '--service', 'api', '--json');
      expect(r.code, why(r)).toBe(0);
      expect(r.j).toMatchObject({
        ok: true,
        cluster: name,
        status: 'available',
        instanceStatus: 'available',
        source: { cluster: cluster(), snapshot },
      });
      expect(r.j.switchSteps.join('\n')).toContain('--manage-master-user-password');
      const n = (await rds.send(new RDS.DescribeDBClustersCommand({ DBClusterIdentifier: name }))).DBClusters![0]!;
      expect(n.DBSubnetGroup).toBe(old.DBSubnetGroup);
      expect(n.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(old.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId));
      expect(n.ServerlessV2ScalingConfiguration).toEqual(old.ServerlessV2ScalingConfiguration);
      expect(n.StorageEncrypted).toBe(true);
      const instances = (await rds.send(new RDS.DescribeDBInstancesCommand({}))).DBInstances!.filter((i) => i.DBClusterIdentifier === name);
      expect(instances.map((i) => i.DBInstanceClass)).toEqual(['db.serverless']);
      const still = (await rds.send(new RDS.DescribeDBClustersCommand({ DBClusterIdentifier: cluster() }))).DBClusters![0]!;
      expect({ id: still.DBClusterIdentifier, status: still.Status, endpoint: still.Endpoint, created: still.ClusterCreateTime }).toEqual({
        id: old.DBClusterIdentifier,
        status: old.Status,
        endpoint: old.Endpoint,
        created: old.ClusterCreateTime,
      });

      const again = await berth('db', 'restore', '--env', 'sandbox', '--snapshot', snapshot, '--name', name, '--json');
      expect(again.code, why(again)).toBe(2); // never over an existing cluster
    },
  );

  it('db restore --to-time: a point-in-time restore into another new cluster; a time outside the window is refused', async () => {
    const rds = await sb.client('rds');
    const old = (await rds.send(new RDS.DescribeDBClustersCommand({ DBClusterIdentifier: cluster() }))).DBClusters![0]!;
    const name = `${cluster()}-e2e-pitr`;
    created.clusters.push(name);
    const at = new Date(Math.max(old.EarliestRestorableTime!.getTime(), Date.now() - 60_000)).toISOString();
    const r = await berth('db', 'restore', '--env', 'sandbox', '--to-time', at, '--name', name, '--json');
    expect(r.code, why(r)).toBe(0);
    expect(r.j).toMatchObject({ cluster: name, status: 'available', source: { toTime: at } });
    expect((await rds.send(new RDS.DescribeDBClustersCommand({ DBClusterIdentifier: name }))).DBClusters![0]!.DBSubnetGroup).toBe(
      old.DBSubnetGroup,
    );

    const early = new Date(old.EarliestRestorableTime!.getTime() - 3_600_000).toISOString();
    const refused = await berth('db', 'restore', '--env', 'sandbox', '--to-time', early, '--name', `${cluster()}-e2e-early`, '--json');
    expect(refused.code, why(refused)).toBe(2);
    expect(refused.stderr).toMatch(/outside .* restorable window/);
  });

  it('db copy-snapshot --to-region: refused without a key of that region, copied with one', async () => {
    const noKey = await berth('db', 'copy-snapshot', '--env', 'sandbox', '--snapshot', snapshot, '--to-region', SECOND_REGION, '--json');
    expect(noKey.code, why(noKey)).toBe(2);
    expect(noKey.stderr).toMatch(/encrypted.*--kms-key/);
    const key = await sb.aws('kms', 'create-key', '--region', SECOND_REGION, '--description', 'berth e2e dr copy');
    const keyArn = (key.json as Json).KeyMetadata.Arn as string;
    try {
      const r = await berth(
        'db',
        'copy-snapshot',
        '--env',
        'sandbox',
        '--snapshot',
        snapshot,
        '--to-region',
        SECOND_REGION,
        '--kms-key',
        keyArn,
        '--json',
      );
      expect(r.code, why(r)).toBe(0);
      created.copies.push(r.j.target.snapshot);
      expect(r.j).toMatchObject({
        ok: true,
        source: { region: sb.region, snapshot, encrypted: true },
        target: { region: SECOND_REGION, status: 'available', kmsKeyId: keyArn },
      });
      const copy = await sb.aws(
        'rds',
        'describe-db-cluster-snapshots',
        '--region',
        SECOND_REGION,
        '--db-cluster-snapshot-identifier',
        r.j.target.snapshot,
      );
      expect((copy.json as Json).DBClusterSnapshots[0]).toMatchObject({
        KmsKeyId: keyArn,
        DBClusterSnapshotArn: expect.stringContaining(`:rds:${SECOND_REGION}:`),
      });
    } finally {
      await sb.aws('kms', 'schedule-key-deletion', '--region', SECOND_REGION, '--key-id', keyArn, '--pending-window-in-days', '7');
    }
  });
});
