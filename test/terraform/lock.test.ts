/**
 * Two applies of one S3-backed environment at once, against moto_server's S3 (the backend's
 * use_lockfile: a conditional PutObject of <key>.tflock; a second writer gets PreconditionFailed).
 * The second apply fails at once with the lock's holder, age and path (exit 4), changes nothing,
 * and the first one finishes with its state intact. Two project folders stand for two CI runners.
 * The stacks are the fixture's built-in flavour (terraform_data): the lock is the S3 backend's,
 * which terraform itself runs against moto_server's S3, not the AWS provider.
 */
import { HeadObjectCommand, ListObjectsV2Command, S3Client, CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { applyEnvironment } from '../../src/terraform/orchestrate.js';
import { tempProject } from '../helpers/cli.js';
import { fixtureEnvironment, fixtureLocal, fixtureSynth, writeSandboxRecord } from './fixture.js';

let emu: Emulator;
let s3: S3Client;
const runnerA = tempProject('berth-tf-lock-a-');
const runnerB = tempProject('berth-tf-lock-b-');
const savedProject = process.env.BERTH_PROJECT_DIR;
const BUCKET = 'tfci-state';
const STATE_KEY = 'berth/tfci/locked/tfci-locked-network.tfstate';

beforeAll(async () => {
  emu = await startEmulator({ plain: true });
  process.env.BERTH_PROJECT_DIR = runnerA.dir;
  writeSandboxRecord(runnerA.dir, emu.endpoint, emu.pid);
  writeSandboxRecord(runnerB.dir, emu.endpoint, emu.pid);
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: emu.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  if (savedProject === undefined) delete process.env.BERTH_PROJECT_DIR;
  else process.env.BERTH_PROJECT_DIR = savedProject;
  s3?.destroy();
  await emu?.stop();
  runnerA.cleanup();
  runnerB.cleanup();
});

async function lockHeld(): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${STATE_KEY}.tflock` }));
    return true;
  } catch {
    return false;
  }
}

/** The operation holding the lock (terraform writes its lock info as JSON into the lock object). */
async function lockOperation(): Promise<string | undefined> {
  try {
    const o = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${STATE_KEY}.tflock` }));
    return (JSON.parse(await o.Body!.transformToString()) as { Operation?: string }).Operation;
  } catch {
    return undefined;
  }
}

describe('two applies of one environment at once', { timeout: 300_000 }, () => {
  const env = fixtureEnvironment({ name: 'locked', state: { backend: 's3', bucket: BUCKET } });
  // The network stack (slow: holds the lock ~12 s) and the service stack that reads it.
  const synth = fixtureSynth({ slowSeconds: 12, kinds: ['network', 'service'], aws: [] });

  it('the second fails at once naming the lock; the first finishes and the state is intact', async () => {
    // Runner A: its network stack holds the lock for ~12 s (a local-exec sleep inside the apply).
    const first = applyEnvironment(env, { synth, project: runnerA.dir, autoApprove: true, local: fixtureLocal(emu.endpoint) });
    const deadline = Date.now() + 90_000;
    // A plan takes the lock briefly too: wait for the apply's.
    while ((await lockOperation()) !== 'OperationTypeApply') {
      if (Date.now() > deadline) throw new Error('runner A never took the state lock for its apply');
      await new Promise((r) => setTimeout(r, 200));
    }

    // Runner B, same environment and state, while A holds the lock.
    const second = await applyEnvironment(env, { synth, project: runnerB.dir, autoApprove: true, local: fixtureLocal(emu.endpoint) });
    expect(second.exitCode).toBe(4);
    const net = second.stacks.find((s) => s.stack === 'tfci-locked-network')!;
    expect(net.status).toBe('failed');
    expect(net.error?.exitCode).toBe(4);
    expect(net.error?.message).toMatch(
      /the state of stack tfci-locked-network is locked by \S+ since \d{4}-\d\d-\d\d .*\(apply\): lock [0-9a-f-]{36} on tfci-state\/berth\/tfci\/locked\/tfci-locked-network\.tfstate/,
    );
    expect(net.error?.hint).toMatch(/terraform force-unlock/);
    // What reads the locked stack did not run.
    expect(second.stacks.find((s) => s.stack === 'tfci-locked-service')).toMatchObject({
      status: 'blocked',
      blockedBy: ['tfci-locked-network'],
    });

    const a = await first;
    expect(a.exitCode).toBe(0);
    expect(a.stacks.map((s) => s.status)).toEqual(['applied', 'applied']);
    expect(await lockHeld()).toBe(false);

    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: STATE_KEY }));
    const state = JSON.parse(await obj.Body!.transformToString()) as {
      serial: number;
      lineage: string;
      resources: { type: string; name: string }[];
    };
    expect(state.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.resources.map((r) => `${r.type}.${r.name}`).sort()).toEqual(['terraform_data.network_topic', 'terraform_data.slow']);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents!.map((c) => c.Key).sort();
    expect(keys).toEqual(['berth/tfci/locked/tfci-locked-network.tfstate', 'berth/tfci/locked/tfci-locked-service.tfstate']);
  });

  it('afterwards a plan from the other runner sees the applied state: no changes', async () => {
    const { planEnvironment } = await import('../../src/terraform/orchestrate.js');
    const plan = await planEnvironment(env, { synth, project: runnerB.dir, local: fixtureLocal(emu.endpoint) });
    expect(plan.exitCode).toBe(0);
  });
});
