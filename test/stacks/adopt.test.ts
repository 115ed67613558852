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

async function synth(a: AdoptionFile | null): Promise<(kind: 'network' | 'security' | 'data' | 'cache') => Json> {
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
