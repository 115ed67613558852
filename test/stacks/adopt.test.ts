/**
 * `berth adopt`'s ids in the synthesized stacks: an import block per adopted resource, its kept
 * attributes merged into lifecycle.ignore_changes (with the stack's own), nothing for a stack the
 * file does not name, and a file naming an address the stacks no longer have refused.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADOPTION_VERSION, parseAdoption, type AdoptionFile } from '../../src/config/adoption.js';
import { names } from '../../src/config/names.js';
import { synthEnvironment } from '../../stacks/synth.js';
import { environment, type Json } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = environment('platform');
const adoption: AdoptionFile = {
  version: ADOPTION_VERSION,
  environment: env.name,
  stacks: {
    network: {
      imports: { 'aws_vpc.network_vpc': 'vpc-0a1b2c3d4e5f60718', 'aws_subnet.network_subnet-private-0': 'subnet-0a1b2c3d4e5f60718' },
      keep: { 'aws_subnet.network_subnet-private-0': ['cidr_block', 'availability_zone'] },
    },
    data: {
      imports: { 'aws_rds_cluster.data_cluster': 'rag-aurora-cluster' },
      keep: { 'aws_rds_cluster.data_cluster': ['master_username', 'manage_master_user_password'] },
    },
    cache: {
      imports: { 'aws_secretsmanager_secret_version.cache_secret-value': 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x|v1' },
      keep: { 'aws_secretsmanager_secret_version.cache_secret-value': ['secret_string'] },
    },
  },
};

async function synth(a: AdoptionFile | null): Promise<(kind: 'network' | 'security' | 'data' | 'cache' | 'service') => Json> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-adopt-synth-'));
  dirs.push(dir);
  await synthEnvironment(env, { outdir: join(dir, 'out'), adoption: a });
  return (kind) => JSON.parse(readFileSync(join(dir, 'out', 'stacks', names(env).stack(kind), 'cdk.tf.json'), 'utf8'));
}

describe('adoption file -> synthesized import blocks', () => {
  it('writes one import block per adopted resource, and keeps its attributes as they are', async () => {
    const tf = await synth(adoption);
    const imports = tf('network').import as { to: string; id: string }[];
    expect(imports).toEqual(
      expect.arrayContaining([
        { to: 'aws_vpc.network_vpc', id: 'vpc-0a1b2c3d4e5f60718' },
        { to: 'aws_subnet.network_subnet-private-0', id: 'subnet-0a1b2c3d4e5f60718' },
      ]),
    );
    expect(imports).toHaveLength(2);
    expect(tf('network').resource.aws_subnet['network_subnet-private-0'].lifecycle.ignore_changes).toEqual([
      'cidr_block',
      'availability_zone',
    ]);
    expect(tf('network').resource.aws_subnet['network_subnet-private-1'].lifecycle).toBeUndefined();
    // The stack's own ignore_changes stays, the kept attribute is added once.
    expect(tf('cache').resource.aws_secretsmanager_secret_version['cache_secret-value'].lifecycle.ignore_changes).toEqual([
      'secret_string',
    ]);
    expect(tf('security').import).toBeUndefined();
    // A cluster that keeps its own master password may have no RDS-managed secret: the output tolerates it.
    expect(tf('data').output.master_secret_arn.value).toBe('${try(aws_rds_cluster.data_cluster.master_user_secret[0].secret_arn, "")}');
  });

  it('without an adoption file the stacks are unchanged (no import block anywhere)', async () => {
    const tf = await synth(null);
    expect(tf('network').import).toBeUndefined();
    expect(tf('data').output.master_secret_arn.value).toBe('${aws_rds_cluster.data_cluster.master_user_secret[0].secret_arn}');
  });

  it("the stores' secrets a platform names (the map's database and cache secrets) are referenced, never declared again; `@database` falls back to the map's", async () => {
    const mapped = environment('platform', (raw) => {
      raw.resources = { database: { secret: 'rag-backend/database' }, cache: { secret: 'rag-backend/redis' } };
      Object.assign(raw.services[0].secrets, { REDIS_PASSWORD: 'rag-backend/redis:password', DATABASE_HOST: 'rag-backend/database:host' });
    });
    const kept = { version: ADOPTION_VERSION, environment: mapped.name, stacks: { data: adoption.stacks.data! } } as AdoptionFile;
    const dir = mkdtempSync(join(tmpdir(), 'berth-adopt-synth-'));
    dirs.push(dir);
    await synthEnvironment(mapped, { outdir: join(dir, 'out'), adoption: kept });
    const tf = (kind: 'data' | 'cache' | 'service'): Json =>
      JSON.parse(readFileSync(join(dir, 'out', 'stacks', names(mapped).stack(kind), 'cdk.tf.json'), 'utf8'));
    // Each secret declared once: the cache stack's Redis secret, the operator's own; the database's is read.
    expect(Object.values(tf('service').resource.aws_secretsmanager_secret).map((x) => (x as Json).name)).toEqual(['chatbot/openai']);
    expect(Object.values(tf('cache').resource.aws_secretsmanager_secret).map((x) => (x as Json).name)).toEqual(['rag-backend/redis']);
    expect(tf('data').data.aws_secretsmanager_secret.data_credentials.name).toBe('rag-backend/database');
    // The service's references resolve to the stores' secrets, through the stacks' outputs.
    const td = Object.values(tf('service').resource.aws_ecs_task_definition)[0] as Json;
    const from = Object.fromEntries(
      JSON.parse(td.container_definitions)[0].secrets.map((x: { name: string; valueFrom: string }) => [x.name, x.valueFrom]),
    );
    const out = (kind: string, name: string) =>
      `data.terraform_remote_state.cross-stack-reference-input-chatbot-platform-${kind}.outputs.cross-stack-output-${name}`;
    const credentials = out('data', 'dataaws_secretsmanager_secretdata_credentialsarn');
    expect(from.REDIS_PASSWORD).toBe(`\${${out('cache', 'aws_secretsmanager_secretcache_secretarn')}}:password::`);
    expect(from.DATABASE_HOST).toBe(`\${${credentials}}:host::`);
    // The kept cluster's own secret if it has one, else the map's credentials secret: never empty.
    expect(from.DATABASE_PASSWORD).toBe(
      `\${try(${out('data', 'aws_rds_clusterdata_clustermaster_user_secret0secret_arn')}, ${credentials})}:password::`,
    );
    expect(td.lifecycle.precondition).toBeDefined();
  });

  it('`@database` on a kept cluster with no secret the map names: the plan refuses it, saying why, instead of an empty ARN', async () => {
    const tf = await synth({ version: ADOPTION_VERSION, environment: env.name, stacks: { data: adoption.stacks.data! } });
    const service = tf('service');
    const td = Object.values(service.resource.aws_ecs_task_definition)[0] as Json;
    const [pre] = td.lifecycle.precondition;
    expect(pre.condition).toMatch(
      /^\$\{can\(regex\("\^arn:", try\(data\.terraform_remote_state\..+master_user_secret0secret_arn, ""\)\)\)\}$/,
    );
    expect(pre.error_message).toContain('resources.database.secret');
  });

  it('refuses a file that names an address the stacks no longer have', async () => {
    const stale = structuredClone(adoption);
    stale.stacks.network!.imports['aws_subnet.network_subnet-private-7'] = 'subnet-0a1b2c3d4e5f60799';
    await expect(synth(stale)).rejects.toThrow(/no longer have \(network: aws_subnet\.network_subnet-private-7\)/);
  });

  it('parseAdoption refuses what is not an adoption file, naming the file', () => {
    expect(() => parseAdoption('{', 'f.json')).toThrow(/f\.json: not JSON/);
    expect(() => parseAdoption('{"version":2,"environment":"x","stacks":{}}', 'f.json')).toThrow(/not a berth adoption file/);
    expect(() => parseAdoption('{"version":1,"environment":"x","stacks":{"web":{}}}', 'f.json')).toThrow(/unknown stack kind "web"/);
    expect(() => parseAdoption('{"version":1,"environment":"x","stacks":{"network":{"imports":{"a":1}}}}', 'f.json')).toThrow(/imports/);
  });
});
