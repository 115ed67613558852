import { describe, expect, it } from 'vitest';
import { dependencyOrder, walkGraph, type GraphNode } from '../../src/terraform/graph.js';
import { stackGraph } from '../../stacks/synth.js';
import { parseEnvironment } from '../../src/config/load.js';
import { readFileSync } from 'node:fs';

const PLATFORM: GraphNode[] = stackGraph(
  parseEnvironment(JSON.parse(readFileSync('templates/environments/platform.json', 'utf8')), 'platform.json', 'platform'),
);

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('dependencyOrder', () => {
  it('puts every stack after the stacks it depends on', () => {
    const order = dependencyOrder(PLATFORM);
    for (const n of PLATFORM) for (const d of n.dependencies) expect(order.indexOf(d)).toBeLessThan(order.indexOf(n.name));
    expect(order).toHaveLength(PLATFORM.length);
  });

  it('names a cycle and an unknown dependency', () => {
    expect(() =>
      dependencyOrder([
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ]),
    ).toThrow(/cycle: a -> b -> a/);
    expect(() => dependencyOrder([{ name: 'a', dependencies: ['x'] }])).toThrow(/a depends on x/);
  });
});

describe('walkGraph', () => {
  it('runs independent stacks in parallel, never more than the limit, each after its dependencies', async () => {
    let running = 0;
    let most = 0;
    const finished: string[] = [];
    const res = await walkGraph(PLATFORM, {
      concurrency: 3,
      ok: () => true,
      blocked: (n) => n,
      run: async (name) => {
        const node = PLATFORM.find((x) => x.name === name)!;
        for (const d of node.dependencies) expect(finished).toContain(d);
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        finished.push(name);
        return name;
      },
    });
    expect(res.size).toBe(PLATFORM.length);
    expect(most).toBe(3);
  });

  it('with a limit of 1 runs one after another in dependency order', async () => {
    const seen: string[] = [];
    await walkGraph(PLATFORM, { concurrency: 1, ok: () => true, blocked: (n) => n, run: async (n) => (seen.push(n), await tick(), n) });
    expect(seen).toEqual(dependencyOrder(PLATFORM));
  });

  it('a failure blocks the stacks after it, and independent stacks still finish', async () => {
    const res = await walkGraph<{ ok: boolean; by?: string[] }>(PLATFORM, {
      concurrency: 4,
      ok: (r) => r.ok,
      blocked: (_n, by) => ({ ok: false, by }),
      run: async (name) => ({ ok: !name.endsWith('-data') }),
    });
    expect(res.get('chatbot-platform-data')).toEqual({ ok: false });
    expect(res.get('chatbot-platform-service')).toEqual({ ok: false, by: ['chatbot-platform-data'] });
    expect(res.get('chatbot-platform-alarms')).toEqual({ ok: false, by: ['chatbot-platform-service'] });
    for (const k of ['network', 'security', 'cache', 'registry', 'dns', 'edge'])
      expect(res.get(`chatbot-platform-${k}`)).toEqual({ ok: true });
  });

  it('in reverse, runs a stack only after every stack that depends on it', async () => {
    const done: string[] = [];
    await walkGraph(PLATFORM, {
      concurrency: 4,
      reverse: true,
      ok: () => true,
      blocked: (n) => n,
      run: async (name) => {
        for (const n of PLATFORM) if (n.dependencies.includes(name)) expect(done).toContain(n.name);
        await tick();
        done.push(name);
        return name;
      },
    });
    expect(done[done.length - 1]).toBe('chatbot-platform-network');
    expect(done.indexOf('chatbot-platform-alarms')).toBeLessThan(done.indexOf('chatbot-platform-service'));
  });
});
