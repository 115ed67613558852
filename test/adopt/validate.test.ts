/** The resource map is checked before any AWS call: exit 2, naming the field, the value and what was expected. */
import { describe, expect, it } from 'vitest';
import { validateResourceMap } from '../../src/adopt/validate.js';
import type { ResourceMap } from '../../src/adopt/resource-map.js';

function refusal(map: ResourceMap): { exitCode?: number; code?: string; message?: string } {
  try {
    validateResourceMap(map);
  } catch (e) {
    return e as { exitCode: number; code: string; message: string };
  }
  return {};
}

describe('resource map checks', () => {
  it('accepts a well-formed map', () => {
    expect(refusal({ vpc: 'vpc-0a1b2c3d', subnets: { private: ['subnet-0a1b2c3d'] }, securityGroups: { service: 'sg-0a1b2c3d' } })).toEqual(
      {},
    );
  });

  it.each([
    [{ vpc: 'vpc-XYZ' }, 'resources.vpc', 'a VPC id'],
    [{ vpc: 'vpc-0a1b2c3d', subnets: { private: ['sg-0a1b2c3d'] } }, 'resources.subnets.private[0]', 'a subnet id'],
    [{ routeTables: { public: 'rtb-0a1b2c3d' } } as unknown as ResourceMap, 'resources.routeTables.public', 'expected a list'],
    [{ securityGroups: { database: 'subnet-0a1b2c3d' } }, 'resources.securityGroups.database', 'a security group id'],
    [{ certificate: 'not-an-arn' }, 'resources.certificate', 'an ARN'],
    [{ subnets: { public: ['subnet-0a1b2c3d'] } }, 'resources.subnets', 'no `vpc`'],
  ])('%j is refused naming %s', (map, field, expected) => {
    const e = refusal(map as ResourceMap);
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('config.invalid');
    expect(e.message).toContain(field);
    expect(e.message).toContain(expected);
  });
});
