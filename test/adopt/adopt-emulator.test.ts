/**
 * berth adopt on the hand-built RAG platform (test/fixtures/hand-built: plain SDK calls, no
 * terraform, its two incidents), then real terraform on the emulator, kept to the two stacks that
 * prove it (terraform is costly here): the network and security stacks are planned with their import
 * blocks: the network stack is applied (imports, the missing route table associations added,
 * nothing replaced or destroyed), a second plan of it is empty, and the security stack's plan imports the
 * groups and their existing rules and adds only the egress the incident lacked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { environmentContext } from '../../src/sandbox/context.js';
import { adoptEnvironment, type AdoptResult } from '../../src/adopt/run.js';
import { paths } from '../../src/config/paths.js';
import { adoptionFile } from '../../src/config/adoption.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSynth } from '../../src/terraform/workspace.js';
import { applyEnvironment, clearSavedPlans, planEnvironment, type PlanResult } from '../../src/terraform/orchestrate.js';
import { buildRagPlatform, clientsFor, startBareEmulator, RAG, type BareEmulator, type RagPlatform } from '../fixtures/hand-built/index.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { ragEnvironment, ragRaw, ragResourceMap, STATE_BUCKET, synthOnly } from './rag-env.js';

let emu: BareEmulator;
let platform: RagPlatform;
let adopted: AdoptResult;
const project = tempProject('berth-adopt-');
const saved: Record<string, string | undefined> = {};
const both = synthOnly(['network', 'security']);

beforeAll(async () => {
  emu = await startBareEmulator();
  for (const [k, v] of Object.entries(emu.cliEnv(RAG.region))) ((saved[k] = process.env[k]), (process.env[k] = v));
  platform = await buildRagPlatform(emu.endpoint);
  const s3 = new S3Client({ region: RAG.region, endpoint: emu.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: STATE_BUCKET, CreateBucketConfiguration: { LocationConstraint: RAG.region } }));
}, 300_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  await emu?.stop();
  project.cleanup();
});

const stack = (r: PlanResult, kind: string) => r.stacks.find((s) => s.kind === kind)!;

describe('adopt, then terraform on the adopted network and security stacks (emulator)', { timeout: 600_000 }, () => {
  const env = () => ragEnvironment(ragResourceMap(platform));

  it('berth adopt --json resolves the import id of every resource that exists, and writes them for synth', async () => {
    mkdirSync(join(project.dir, 'environments'), { recursive: true });
    writeFileSync(join(project.dir, 'environments', 'rag.json'), JSON.stringify(ragRaw(ragResourceMap(platform)), null, 2));
    const run = await runCli(['adopt', '--env', 'rag', '--json'], { project: project.dir });
    expect(run.code, run.stderr).toBe(0);
    adopted = run.json as AdoptResult;
    expect(existsSync(adoptionFile('rag', project.dir))).toBe(true);
    const id = (address: string) => adopted.decisions.find((d) => d.address === address)?.id;
    expect(id('aws_vpc.network_vpc')).toBe(platform.vpcId);
    expect(id('aws_subnet.network_subnet-private-1')).toBe(platform.privateSubnets[1]);
    expect(id('aws_route.network_rt-private-0-default')).toBe(`${platform.privateRouteTable}_0.0.0.0/0`);
    expect(id('aws_route_table_association.network_rta-public-0')).toBe(`${platform.publicSubnets[0]}/${platform.publicRouteTable}`);
    expect(id('aws_route_table_association.network_rta-private-0')).toBeUndefined(); // incident: no association
    expect(id('aws_security_group.security_app')).toBe(platform.securityGroups.ecs);
    expect(id('aws_security_group.security_db')).toBe(platform.securityGroups.db);
    expect(id('aws_rds_cluster.data_cluster')).toBe(RAG.database);
    expect(id('aws_rds_cluster_instance.data_writer')).toBe(RAG.databaseWriter);
    expect(id('aws_elasticache_replication_group.cache_replication-group')).toBe(RAG.cache);
    expect(id('aws_lb.edge_alb')).toBe(platform.loadBalancer.arn);
    expect(id('aws_lb_listener.edge_https')).toBe(platform.loadBalancer.httpsListener);
    expect(id('aws_lb_target_group.edge_tg-backend')).toBe(platform.targetGroupArn);
    expect(id('aws_acm_certificate.dns_certificate')).toBe(platform.certificateArn);
    expect(id('aws_route53_zone.dns_zone')).toBe(platform.hostedZoneId);
    expect(id('aws_ecs_service.service_backend-service')).toBe(`${RAG.cluster}/${RAG.service}`);
    expect(id('aws_cloudwatch_log_group.service_backend-logs')).toBe(RAG.logGroup);
    expect(adopted.decisions.find((d) => d.type === 'aws_ecs_task_definition')?.action).toBe('create');
    // Each AWS object is imported into one address at most.
    const ids = adopted.decisions.flatMap((d) => (d.id ? [`${d.type} ${d.id}`] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a map id that does not exist: exit 66 naming the field, nothing written', async () => {
    const e = ragEnvironment({ ...ragResourceMap(platform), vpc: 'vpc-0123456789abcdef0' });
    const other = tempProject('berth-adopt-missing-');
    try {
      const err = await adoptEnvironment(e, {
        ctx: environmentContext(e),
        synth: defaultSynth,
        outdir: paths.synthDir(e.name, other.dir),
        project: other.dir,
      }).catch((x) => x);
      expect(err.exitCode).toBe(66);
      expect(err.code).toBe('adopt.missing-resource');
      expect(err.message).toContain('resources.vpc');
      expect(existsSync(adoptionFile('rag', other.dir))).toBe(false);
    } finally {
      other.cleanup();
    }
  });

  it('apply of the network (imports, the missing associations), then its plan is empty; the security plan adds only the missing egress', async () => {
    clearSavedPlans('rag', project.dir);
    const applied = await applyEnvironment(env(), { synth: synthOnly(['network']), project: project.dir, autoApprove: true });
    expect(applied.exitCode).toBe(0);
    // What was applied: imports, the private subnets' missing associations, nothing replaced or destroyed.
    const net = stack(applied.plan!, 'network').summary!;
    expect(net.imported).toEqual(
      expect.arrayContaining(['aws_vpc.network_vpc', 'aws_subnet.network_subnet-private-0', 'aws_nat_gateway.network_nat-0']),
    );
    expect(net.created).toEqual(
      expect.arrayContaining(['aws_route_table_association.network_rta-private-0', 'aws_route_table_association.network_rta-private-1']),
    );
    expect(net.created).not.toContain('aws_vpc.network_vpc');
    expect(net.replaced).toEqual([]);
    expect(net.destroyed).toEqual([]);
    const ec2 = clientsFor({ endpoint: emu.endpoint, region: RAG.region }).ec2;
    const vpcSubnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [platform.vpcId] }] }));
    expect(vpcSubnets.Subnets!.filter((s) => s.CidrBlock === '10.0.11.0/24')).toHaveLength(1); // no second copy
    const res = await planEnvironment(env(), { synth: both, project: project.dir, detail: true });
    expect(stack(res, 'network').changes).toBe(false);
    const sec = stack(res, 'security');
    expect(sec.status).toBe('planned');
    expect(sec.summary!.imported).toEqual(
      expect.arrayContaining(['aws_security_group.security_app', 'aws_vpc_security_group_egress_rule.security_app-out-https']),
    );
    expect(sec.summary!.created).toEqual(expect.arrayContaining(['aws_vpc_security_group_egress_rule.security_app-out-db-5432']));
    expect(sec.summary!.replaced).toEqual([]);
    expect(sec.summary!.destroyed).toEqual([]);
  });
});
