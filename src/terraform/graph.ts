/**
 * The stack graph: which stack waits for which, and a bounded-parallel walk over it. Pure apart
 * from the work it is handed; the orchestration decides what "done" and "ok" mean.
 */

export interface GraphNode {
  name: string;
  /** Names of the stacks this one reads outputs from. */
  dependencies: string[];
}

/** Stacks in dependency order (a stack after everything it depends on), stable by input order. */
export function dependencyOrder(nodes: readonly GraphNode[]): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`the stacks depend on each other in a cycle: ${[...path, name].join(' -> ')}`);
    const node = byName.get(name);
    if (!node) throw new Error(`stack ${path[path.length - 1]} depends on ${name}, which the synthesized output does not contain`);
    state.set(name, 'visiting');
    for (const d of node.dependencies) visit(d, [...path, name]);
    state.set(name, 'done');
    out.push(name);
  };
  for (const n of nodes) visit(n.name, []);
  return out;
}

/** For each stack, the stacks that depend on it directly. */
export function dependents(nodes: readonly GraphNode[]): Map<string, string[]> {
  const m = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const n of nodes) for (const d of n.dependencies) m.get(d)?.push(n.name);
  return m;
}

export interface WalkOptions<R> {
  /** At most this many stacks at once (>= 1). */
  concurrency: number;
  /** Walk in reverse: a stack runs after every stack that depends on it (destroy). */
  reverse?: boolean;
  /** The work for one stack, once every stack it waits for has finished. */
  run: (name: string, before: Map<string, R>) => Promise<R>;
  /** Whether a finished stack lets the ones waiting for it go on. */
  ok: (result: R) => boolean;
  /** The result of a stack that cannot run because `by` did not finish well. */
  blocked: (name: string, by: string[]) => R;
  /** Called as each stack starts (progress). */
  onStart?: (name: string) => void;
}

/**
 * Run `run` over every stack, each after the stacks it waits for, at most `concurrency` at a time.
 * A stack whose predecessor is not ok does not run: it gets `blocked(name, by)`, and so do the
 * stacks after it, while independent stacks carry on. Resolves with every stack's result.
 */
export async function walkGraph<R>(nodes: readonly GraphNode[], opts: WalkOptions<R>): Promise<Map<string, R>> {
  const order = dependencyOrder(nodes);
  const waitsFor = new Map<string, string[]>();
  if (opts.reverse) {
    const deps = dependents(nodes);
    for (const n of order) waitsFor.set(n, deps.get(n) ?? []);
    order.reverse();
  } else {
    for (const n of nodes) waitsFor.set(n.name, [...n.dependencies]);
  }
  const limit = Math.max(1, Math.floor(opts.concurrency) || 1);
  const results = new Map<string, R>();
  const running = new Map<string, Promise<void>>();
  const pending = [...order];

  for (;;) {
    // Settle what can be settled without running: blocked stacks (repeat until nothing changes).
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const name of [...pending]) {
        const before = waitsFor.get(name) ?? [];
        if (!before.every((b) => results.has(b))) continue;
        const bad = before.filter((b) => !opts.ok(results.get(b)!));
        if (bad.length) {
          results.set(name, opts.blocked(name, bad));
          pending.splice(pending.indexOf(name), 1);
          progressed = true;
        }
      }
    }
    // Start what is ready, in order, up to the limit.
    for (const name of [...pending]) {
      if (running.size >= limit) break;
      const before = waitsFor.get(name) ?? [];
      if (!before.every((b) => results.has(b))) continue;
      pending.splice(pending.indexOf(name), 1);
      opts.onStart?.(name);
      const snapshot = new Map(before.map((b) => [b, results.get(b)!]));
      const p = opts
        .run(name, snapshot)
        .then((r) => {
          results.set(name, r);
        })
        .finally(() => running.delete(name));
      running.set(name, p);
    }
    if (running.size === 0) {
      if (pending.length) throw new Error(`internal: stacks ${pending.join(', ')} can never run`);
      return results;
    }
    // A rejected run is a bug in `run` (it should return a failed result): let it surface.
    await Promise.race(running.values());
  }
}

/**
 * The nodes on a longest path through the graph, each node weighing `cost(name)`: the critical
 * path (all of them when several paths tie). What is not on it can run behind it.
 */
export function criticalPath(nodes: readonly GraphNode[], cost: (name: string) => number): Set<string> {
  const order = dependencyOrder(nodes);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const after = dependents(nodes);
  const toStart = new Map<string, number>(); // longest path ending at a node, itself included
  for (const n of order) toStart.set(n, cost(n) + Math.max(0, ...byName.get(n)!.dependencies.map((d) => toStart.get(d)!)));
  const toEnd = new Map<string, number>(); // longest path starting at a node, itself included
  for (const n of [...order].reverse()) toEnd.set(n, cost(n) + Math.max(0, ...(after.get(n) ?? []).map((d) => toEnd.get(d)!)));
  const longest = Math.max(0, ...order.map((n) => toStart.get(n)!));
  const eps = 1e-9;
  return new Set(order.filter((n) => toStart.get(n)! + toEnd.get(n)! - cost(n) >= longest - eps));
}
