/**
 * `sandbox up` from nothing, the walk alone (src/terraform/apply-direct.ts walkDirect) on a fake
 * runner: no terraform, no emulator, a few milliseconds. Each stack applies as soon as the stacks it
 * reads are applied (no stage barrier), early parts run while their stack's dependencies apply, the
 * inits run before the endpoint answers and no apply does, and a failure stops only what reads it.
 */
import { describe, expect, it } from 'vitest';
import { walkDirect, type DirectPlan, type DirectSteps } from '../../src/terraform/apply-direct.js';
import type { StackApply } from '../../src/terraform/orchestrate.js';

const STACKS = [
  { name: 'network', dependencies: [] },
  { name: 'registry', dependencies: [] },
  { name: 'security', dependencies: ['network'] },
  { name: 'edge', dependencies: ['network', 'security'] },
  { name: 'data', dependencies: ['network', 'security'] },
  { name: 'service', dependencies: ['edge', 'data', 'registry'] },
];

/** A runner whose applies take `ms[stack]` (early parts `ms['early:'+stack]`) and log start/end in order. */
function fakeRunner(ms: Record<string, number>, fail: string[] = []) {
  const log: string[] = [];
  const steps: DirectSteps = {
    init: async (stack) => {
      log.push(`init ${stack}`);
    },
    apply: async (stack, targets, background) => {
      const id = targets ? `early:${stack}` : stack;
      log.push(`start ${id}`);
      if (background) log.push(`background ${id}`);
      await new Promise((r) => setTimeout(r, ms[id] ?? 1));
      log.push(`end ${id}`);
      const status: StackApply['status'] = fail.includes(id) ? 'failed' : 'applied';
      return { stack, status, durationMs: 0, ...(status === 'failed' ? { error: { message: `${id} broke`, exitCode: 1 } } : {}) };
    },
  };
  return { log, steps };
}

function plan(over: Partial<DirectPlan> = {}): DirectPlan {
  return {
    stacks: STACKS,
    early: new Map(),
    initEarly: new Set(STACKS.map((s) => s.name)),
    concurrency: 8,
    ready: Promise.resolve(),
    ...over,
  };
}

const at = (log: string[], e: string) => {
  expect(log, `${e} never happened`).toContain(e);
  return log.indexOf(e);
};

describe('walkDirect: each stack once its own dependencies are applied', () => {
  it('starts a stack when ITS dependencies end, not when every stack of the same depth does', async () => {
    // edge is slow; data is fast. service waits for both; nothing else waits for edge's level.
    const { log, steps } = fakeRunner({ network: 5, registry: 60, security: 5, edge: 80, data: 5, service: 1 });
    const applied: string[] = [];
    const res = await walkDirect(plan({ onApplied: (s) => applied.push(s.stack) }), steps);
    expect([...res.values()].every((r) => r.status === 'applied')).toBe(true);
    // security starts on network's end although registry (same depth, no dependency) still runs.
    expect(at(log, 'start security')).toBeLessThan(at(log, 'end registry'));
    expect(at(log, 'start security')).toBeGreaterThan(at(log, 'end network'));
    // service: after edge, data and registry, and not before the slowest of them.
    for (const d of ['edge', 'data', 'registry']) expect(at(log, 'start service')).toBeGreaterThan(at(log, `end ${d}`));
    expect(applied.indexOf('data')).toBeLessThan(applied.indexOf('edge'));
    expect(applied.at(-1)).toBe('service');
  });

  it("applies a stack's early part while the stacks it reads still apply, and the stack itself after both", async () => {
    const { log, steps } = fakeRunner({ network: 40, security: 40, 'early:service': 5 });
    await walkDirect(plan({ early: new Map([['service', ['aws_ecs_cluster.c']]]) }), steps);
    expect(at(log, 'end early:service')).toBeLessThan(at(log, 'end network'));
    expect(at(log, 'start service')).toBeGreaterThan(at(log, 'end early:service'));
    expect(at(log, 'start service')).toBeGreaterThan(at(log, 'end edge'));
  });

  it('inits every local-backend stack before the endpoint answers; no apply starts before it does', async () => {
    const { log, steps } = fakeRunner({});
    let open!: () => void;
    const ready = new Promise<void>((r) => (open = r));
    const walk = walkDirect(plan({ ready, initEarly: new Set(['network', 'registry', 'security', 'edge', 'data']) }), steps);
    await new Promise((r) => setTimeout(r, 20));
    expect(log.filter((l) => l.startsWith('init')).sort()).toEqual([
      'init data',
      'init edge',
      'init network',
      'init registry',
      'init security',
    ]);
    expect(log.some((l) => l.startsWith('start'))).toBe(false);
    log.push('ready');
    open();
    await walk;
    // service's backend needs the endpoint: its init waits for it.
    expect(at(log, 'init service')).toBeGreaterThan(at(log, 'ready'));
  });

  it('a failed stack blocks only the stacks that read it; a failed early part is its stack failing', async () => {
    const { log, steps } = fakeRunner({}, ['data', 'early:edge']);
    const res = await walkDirect(plan({ early: new Map([['edge', ['aws_s3_bucket.b']]]) }), steps);
    expect(res.get('data')).toMatchObject({ status: 'failed', error: { message: 'data broke' } });
    expect(res.get('edge')).toMatchObject({ stack: 'edge', status: 'failed', error: { message: 'early:edge broke' } });
    expect(res.get('service')).toMatchObject({ status: 'blocked' });
    expect(res.get('service')!.blockedBy!.sort()).toEqual(['data', 'edge']);
    expect(res.get('registry')).toMatchObject({ status: 'applied' });
    expect(log).not.toContain('start edge');
    expect(log).not.toContain('start service');
  });

  it('runs what is off the longest path (by the waits it knows) in the background, the critical path in front', async () => {
    const { log, steps } = fakeRunner({});
    // seconds per run: network waits on its VPC, edge and data on the ALB and Aurora, service's early part on its cluster
    const cost: Record<string, number> = { network: 15, registry: 5, security: 5, edge: 65, data: 65, service: 5, 'early:service': 15 };
    await walkDirect(plan({ early: new Map([['service', ['aws_ecs_cluster.c']]]), cost: (n) => cost[n]! }), steps);
    expect(log.filter((l) => l.startsWith('background')).sort()).toEqual(['background early:service', 'background registry']);
    for (const s of ['network', 'security', 'edge', 'data', 'service']) expect(log).toContain(`start ${s}`);
  });
});
