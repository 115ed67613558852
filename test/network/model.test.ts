/** The TypeScript reachability model (src/network) against the shared conformance cases, and its edges. */
import { describe, expect, it } from 'vitest';
import { blockingIds, reachService } from '../../src/network/reach.js';
import { contains } from '../../src/network/cidr.js';
import { doc, runCase } from './cases.js';

describe('the reachability model (TypeScript) passes every shared conformance case', () => {
  it('has cases of every kind', () => {
    expect(new Set(doc.cases.map((c) => c.kind))).toEqual(new Set(['service', 'peer', 'start']));
  });
  for (const c of doc.cases) it(c.name, () => expect(runCase(c)).toEqual(c.expect));
});

describe('edges', () => {
  it('a subnet the facts do not know blocks by its own id', () => {
    const v = reachService(doc.facts, { subnetId: 'subnet-nope', securityGroupIds: ['sg-ecs'] }, 'ecr.api');
    expect(v.ok).toBe(false);
    expect(blockingIds(v)).toEqual(['subnet-nope']);
  });
  it('a task with no security group cannot send anything', () => {
    const f = {
      ...doc.facts,
      routeTables: doc.facts.routeTables.map((t) => (t.id === 'rtb-nat' ? { ...t, subnetIds: ['subnet-priv-a'] } : t)),
    };
    const v = reachService(f, { subnetId: 'subnet-priv-a', securityGroupIds: [] }, 'logs');
    expect(v.blockers.map((b) => b.problem)).toEqual(['sg-egress']);
  });
  it('CIDR containment', () => {
    expect(contains('10.0.0.0/16', '10.0.11.0/24')).toBe(true);
    expect(contains('10.0.11.0/24', '10.0.0.0/16')).toBe(false);
    expect(contains('0.0.0.0/0', '10.0.12.7')).toBe(true);
    expect(contains('10.0.11.0/24', '10.0.12.7')).toBe(false);
    expect(contains('bad', '10.0.0.0/16')).toBe(false);
  });
});
