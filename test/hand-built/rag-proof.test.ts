/**
 * Issue #13's proof on the RAG platform of rag-backend-ecs-deployment-guide.md, built by hand in a
 * bare emulator of this file's own (test/fixtures/hand-built: plain SDK calls, the guide's names
 * and region, its two incidents as they happened), then operated through berth's real commands
 * in-process (test/helpers/cli.ts), each step on what the previous one left:
 *   discover -> config validate -> the map names the real resources.
 * berth talks to the emulator as to AWS (BERTH_AWS_ENDPOINT_URL, the environment is not a sandbox
 * one) and requests the public URL at the emulator's stand-in for the ALB (BERTH_PUBLIC_URL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildRagPlatform, RAG, startBareEmulator, type BareEmulator, type RagPlatform } from '../fixtures/hand-built/index.js';
import { runCli, tempProject, type CliRun } from '../helpers/cli.js';

let emu: BareEmulator;
let rag: RagPlatform;
const project = tempProject('berth-hand-built-');

beforeAll(async () => {
  emu = await startBareEmulator();
  rag = await buildRagPlatform(emu.endpoint);
});

afterAll(async () => {
  await emu?.stop();
  project.cleanup();
});

function berth(...args: string[]): Promise<CliRun> {
  return runCli(args, { project: project.dir, env: { ...emu.cliEnv(RAG.region), BERTH_PUBLIC_URL: emu.publicUrl } });
}

const envFile = () => JSON.parse(readFileSync(join(project.dir, 'environments', 'rag.json'), 'utf8'));

describe('the RAG platform built by hand, incidents and all', () => {
  test('discover writes an environment config validate accepts, its map naming the real resources', async () => {
    const d = await berth(
      'discover',
      '--cluster',
      RAG.cluster,
      '--service',
      RAG.service,
      '--region',
      RAG.region,
      '--name',
      'rag',
      '--json',
    );
    expect(d.code, d.stderr).toBe(0);
    const v = await berth('config', 'validate', '--env', 'rag', '--json');
    expect(v.code, v.stdout).toBe(0);
    const env = envFile();
    expect([env.region, env.account, env.database.engine, env.domain.name, env.domain.record]).toEqual([
      RAG.region,
      emu.accountId,
      'postgresql',
      RAG.zone,
      'api',
    ]);
    const r = env.resources;
    expect(r.cluster).toBe(RAG.cluster);
    expect(env.services.map((s: { name: string }) => s.name)).toEqual(Object.keys(r.services));
    const svc = Object.values(r.services)[0] as Record<string, string>;
    expect([svc.service, svc.taskFamily, svc.container, svc.targetGroup, svc.logGroup]).toEqual([
      RAG.service,
      RAG.family,
      RAG.container,
      RAG.targetGroup,
      RAG.logGroup,
    ]);
    expect(r.loadBalancer).toMatchObject({
      name: RAG.loadBalancer,
      httpListener: rag.loadBalancer.httpListener,
      httpsListener: rag.loadBalancer.httpsListener,
    });
    expect(r.securityGroups).toEqual({
      alb: rag.securityGroups.alb,
      service: rag.securityGroups.ecs,
      database: rag.securityGroups.db,
      cache: rag.securityGroups.db,
    });
    expect(r.vpc).toBe(rag.vpcId);
    expect([...r.subnets.public].sort()).toEqual([...rag.publicSubnets].sort());
    expect([...r.subnets.private].sort()).toEqual([...rag.privateSubnets].sort());
    expect(r.natGateways).toEqual([rag.natGateway]);
    expect(r.database).toMatchObject({ cluster: RAG.database, writerInstance: RAG.databaseWriter, subnetGroup: RAG.databaseSubnetGroup });
    expect(r.cache).toMatchObject({ replicationGroup: RAG.cache, subnetGroup: RAG.cacheSubnetGroup });
    expect([r.hostedZone, r.certificate]).toEqual([rag.hostedZoneId, rag.certificateArn]);
    // The incident as discovery sees it: the NAT route in a table no subnet uses, listed with doubt.
    expect(d.json.doubts.map((x: { resource?: string }) => x.resource)).toContain(rag.privateRouteTable);
  });
});
