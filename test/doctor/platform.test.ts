/**
 * The doctor tells a platform berth built from one it only discovered (a resource map) and one it
 * adopted (`.berth/adopt/<env>.json`), and says its fixes accordingly: AWS CLI commands on the real
 * resources when discovered, the stacks' change (berth plan, berth apply) when adopted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forPlatform, platformKind } from '../../src/doctor/lib/discovered.js';
import { fail } from '../../src/doctor/lib/finding.js';
import { platformEnv } from './fixtures/world.js';

const project = mkdtempSync(join(tmpdir(), 'berth-doctor-platform-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const mapped = () => ({ ...platformEnv(), resources: { cluster: 'rag-cluster' } }) as ReturnType<typeof platformEnv>;
const associate = 'aws ec2 associate-route-table --route-table-id rtb-0aa --subnet-id subnet-0bb';
const route = fail('network.private-route', { resource: 'subnet-0bb', message: 'no route', evidence: {}, fix: { commands: [associate] } });
const missing = fail('network.vpc', {
  resource: 'vpc-0cc',
  message: 'no VPC',
  evidence: {},
  fix: { commands: ['berth apply --env platform'] },
});

describe('doctor: discovered or adopted', () => {
  it('no resource map: berth; a map: discovered; a map and an adoption file: adopted', () => {
    expect(platformKind(platformEnv(), project)).toBe('berth');
    const env = mapped();
    expect(platformKind(env, project)).toBe('discovered');
    mkdirSync(join(project, '.berth', 'adopt'), { recursive: true });
    writeFileSync(join(project, '.berth', 'adopt', `${env.name}.json`), '{}');
    expect(platformKind(env, project)).toBe('adopted');
  });

  it('discovered: the AWS CLI fix stays; a `berth apply` fix becomes a note naming the resource and adopt', () => {
    const [r, v] = forPlatform([route, missing], mapped(), 'discovered');
    expect(r!.fix?.commands).toEqual([associate]);
    expect(v!.fix?.commands).toBeUndefined();
    expect(v!.fix?.note).toContain('on vpc-0cc');
    expect(v!.fix?.note).toContain('berth adopt --env platform');
  });

  it('adopted: a route or group change goes through berth plan and apply, the AWS CLI command kept for an emergency', () => {
    const [r, v] = forPlatform([route, missing], mapped(), 'adopted');
    expect(r!.fix?.commands).toEqual(['berth plan --env platform', 'berth apply --env platform']);
    expect(r!.fix?.note).toContain(associate);
    expect(v!.fix?.commands).toEqual(['berth apply --env platform']);
  });

  it('berth: nothing changes', () => {
    expect(forPlatform([route, missing], platformEnv(), 'berth')).toEqual([route, missing]);
  });
});
