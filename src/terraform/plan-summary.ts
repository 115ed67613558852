/**
 * What a plan changes, read from terraform's machine-readable plan output (`terraform plan -json`,
 * one JSON message per line: `planned_change`, `outputs`, `diagnostic`...), so no second terraform
 * run (`show -json`) is needed. Counts are terraform's (a replacement is one add and one destroy),
 * with the addresses of everything created, changed, replaced, destroyed, imported or forgotten.
 * Pure. A summary carries addresses and output NAMES only, never a value, so it cannot leak a
 * secret however the plan marks it.
 */
import { redact } from '../output/redact.js';

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  created: string[];
  updated: string[];
  /** Destroyed and created again (in either order). */
  replaced: string[];
  destroyed: string[];
  imported: string[];
  /** Removed from state without being destroyed (`removed` blocks). */
  forgotten: string[];
  /** Outputs whose value changes (names only). */
  outputsChanged: string[];
  /** Any change at all, resources or outputs. */
  hasChanges: boolean;
}

/** One line of `terraform plan -json` (the fields berth reads). */
export interface PlanMessage {
  type?: string;
  change?: { resource?: { addr?: string }; action?: string; importing?: unknown };
  outputs?: Record<string, { action?: string; sensitive?: boolean }>;
  diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
}

export function parseMessages(lines: readonly string[]): PlanMessage[] {
  const out: PlanMessage[] = [];
  for (const l of lines) {
    const t = l.trim();
    if (!t.startsWith('{')) continue;
    try {
      out.push(JSON.parse(t) as PlanMessage);
    } catch {
      /* not a message */
    }
  }
  return out;
}

export function summarizePlan(messages: readonly PlanMessage[]): PlanSummary {
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
    hasChanges: false,
  };
  for (const m of messages) {
    if (m.type === 'planned_change' && m.change) {
      const addr = m.change.resource?.addr ?? '?';
      if (/^data\.|\.data\./.test(addr)) continue;
      if (m.change.importing || m.change.action === 'import') s.imported.push(addr);
      switch (m.change.action) {
        case 'create':
          s.add++;
          s.created.push(addr);
          break;
        case 'update':
          s.change++;
          s.updated.push(addr);
          break;
        case 'delete':
          s.destroy++;
          s.destroyed.push(addr);
          break;
        case 'replace':
          s.add++;
          s.destroy++;
          s.replaced.push(addr);
          break;
        case 'remove':
        case 'forget':
          s.forgotten.push(addr);
          break;
      }
    } else if (m.type === 'outputs' && m.outputs) {
      for (const [name, o] of Object.entries(m.outputs)) if (o.action && o.action !== 'noop') s.outputsChanged.push(name);
    }
  }
  for (const k of ['created', 'updated', 'replaced', 'destroyed', 'imported', 'forgotten', 'outputsChanged'] as const)
    s[k] = [...new Set(s[k])].sort();
  s.hasChanges = s.add + s.change + s.destroy + s.imported.length + s.forgotten.length + s.outputsChanged.length > 0;
  return s;
}

export interface PlanWarning {
  summary: string;
  detail?: string;
  address?: string;
}

/** terraform's warnings (deprecated arguments, provider notices), redacted. */
export function planWarnings(messages: readonly PlanMessage[]): PlanWarning[] {
  return messages
    .filter((m) => m.type === 'diagnostic' && m.diagnostic?.severity === 'warning')
    .map((m) => ({
      summary: redact(m.diagnostic!.summary ?? ''),
      ...(m.diagnostic!.detail ? { detail: redact(m.diagnostic!.detail) } : {}),
      ...(m.diagnostic!.address ? { address: m.diagnostic!.address } : {}),
    }));
}

/** terraform's error diagnostics from the message stream, as the text terraform would print. */
export function diagnosticsText(messages: readonly PlanMessage[]): string {
  return messages
    .filter((m) => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
    .map((m) =>
      [`Error: ${m.diagnostic!.summary ?? ''}`, m.diagnostic!.address ? `  with ${m.diagnostic!.address}` : '', m.diagnostic!.detail ?? '']
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}

/** "3 to add, 1 to change, 0 to destroy", terraform's own wording. */
export function countsLine(s: Pick<PlanSummary, 'add' | 'change' | 'destroy'>): string {
  return `${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`;
}
