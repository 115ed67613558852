/**
 * What a plan changes, read from `terraform show -json <plan>`: counts the way terraform counts
 * them (a replacement is one add and one destroy) and the addresses of everything created,
 * changed, replaced, destroyed, imported or forgotten. Pure. A summary carries addresses and
 * output NAMES only, never a value, so it cannot leak a secret however the plan marks it.
 */

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  created: string[];
  updated: string[];
  /** Destroyed and created again (or created first, then destroyed). */
  replaced: string[];
  destroyed: string[];
  imported: string[];
  /** Removed from state without being destroyed (`removed` blocks). */
  forgotten: string[];
  /** Outputs whose value changes (names only). */
  outputsChanged: string[];
  /** Outputs that will change to a value only known after apply (names only). */
  outputsUnknown: string[];
  /** Any change at all, resources or outputs. */
  hasChanges: boolean;
}

interface ResourceChange {
  address?: string;
  mode?: string;
  change?: { actions?: string[]; importing?: unknown };
}

interface OutputChange {
  actions?: string[];
  after_unknown?: unknown;
}

export interface PlanJson {
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, OutputChange>;
  errored?: boolean;
}

const same = (a: string[] | undefined, b: string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

export function summarizePlan(plan: PlanJson): PlanSummary {
  const s: PlanSummary = {
    add: 0,
    change: 0,
    destroy: 0,
    created: [],
    updated: [],
    replaced: [],
    destroyed: [],
    imported: [],
    forgotten: [],
    outputsChanged: [],
    outputsUnknown: [],
    hasChanges: false,
  };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const addr = rc.address ?? '?';
    const actions = rc.change?.actions ?? [];
    if (rc.change?.importing) s.imported.push(addr);
    if (same(actions, ['create'])) {
      s.add++;
      s.created.push(addr);
    } else if (same(actions, ['update'])) {
      s.change++;
      s.updated.push(addr);
    } else if (same(actions, ['delete'])) {
      s.destroy++;
      s.destroyed.push(addr);
    } else if (same(actions, ['delete', 'create']) || same(actions, ['create', 'delete'])) {
      s.add++;
      s.destroy++;
      s.replaced.push(addr);
    } else if (same(actions, ['forget'])) {
      s.forgotten.push(addr);
    }
  }
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    const actions = oc.actions ?? [];
    if (same(actions, ['no-op'])) continue;
    s.outputsChanged.push(name);
    if (oc.after_unknown === true) s.outputsUnknown.push(name);
  }
  for (const k of ['created', 'updated', 'replaced', 'destroyed', 'imported', 'forgotten', 'outputsChanged', 'outputsUnknown'] as const) s[k].sort();
  s.hasChanges = s.add + s.change + s.destroy + s.imported.length + s.forgotten.length + s.outputsChanged.length > 0;
  return s;
}

/** "3 to add, 1 to change, 0 to destroy", terraform's own wording. */
export function countsLine(s: Pick<PlanSummary, 'add' | 'change' | 'destroy'>): string {
  return `${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`;
}
