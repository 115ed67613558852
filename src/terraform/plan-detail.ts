/**
 * What a saved plan changes, attribute by attribute, read from `terraform show -json <plan>`: each
 * resource with its action, the attributes that change (before -> after), what forces a replacement
 * (replace_paths), and the resources changed outside terraform (resource_drift). Pure.
 *
 * No secret leaves this module: a value terraform marks sensitive (before_sensitive /
 * after_sensitive), or held by a secret-looking attribute (password, token, secret, ...), is
 * replaced by SENSITIVE before anything is formatted; every other value still goes through redact.
 */
import { isSecretKey, redact } from '../output/redact.js';
import { reviewOf, type ReviewLine } from './plan-why.js';

export type ChangeAction = 'create' | 'update' | 'replace' | 'destroy' | 'read' | 'forget' | 'no-op';

export interface AttributeChange {
  /** e.g. `tags.team`, `ingress[0].from_port`. */
  path: string;
  before: string;
  after: string;
  /** This attribute is (part of) why the resource is replaced. */
  forcesReplacement: boolean;
}

export interface ResourceDetail {
  address: string;
  action: ChangeAction;
  /** terraform's action_reason, e.g. replace_because_cannot_update, delete_because_no_resource_config. */
  reason?: string;
  /** The attributes that force a replacement (replace_paths). */
  forcedBy: string[];
  attributes: AttributeChange[];
  /** terraform imports this existing object in this plan (an `import` block; `berth adopt`). */
  importing?: boolean;
}

export interface PlanDetail {
  changes: ResourceDetail[];
  /** Resources whose remote object changed outside terraform since the last apply. */
  drift: ResourceDetail[];
  outputs: { name: string; action: ChangeAction; sensitive: boolean }[];
  /** Addresses terraform imports in this plan (with or without changes after the import). */
  imports: string[];
  /** A plan that imports (an adopted platform): each import and each change with why (plan-why.ts). */
  review?: ReviewLine[];
}

export const SENSITIVE = '(sensitive)';
export const UNKNOWN = '(known after apply)';
const MAX_VALUE = 120;

interface Change {
  actions?: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: (string | number)[][];
  /** Present when the plan imports the object (terraform >= 1.5: `{ "id": ... }`). */
  importing?: unknown;
}
interface ResourceChange {
  address?: string;
  mode?: string;
  action_reason?: string;
  change?: Change;
}
export interface ShowJson {
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  output_changes?: Record<string, Change>;
}

export function actionOf(actions: readonly string[] = []): ChangeAction {
  const a = actions.join(',');
  if (a === 'delete,create' || a === 'create,delete') return 'replace';
  if (a === 'delete') return 'destroy';
  if (['create', 'update', 'read', 'forget'].includes(a)) return a as ChangeAction;
  return 'no-op';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** null, {} and [] are one thing to a reader (the provider reads back `tags = {}` for no tags). */
const isEmpty = (v: unknown) =>
  v === null || v === undefined || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
const same = (a: unknown, b: unknown) => (isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b);
/** The part of a value (or of its sensitivity / unknown marks) at key k; `true` marks everything below. */
const child = (v: unknown, k: string | number): unknown => {
  if (v === true) return true;
  return Array.isArray(v) || isObject(v) ? (v as Record<string, unknown>)[k as string] : undefined;
};
const isArn = (v: unknown) => typeof v === 'string' && /^arn:aws[a-z-]*:/.test(v);
const secretKey = (key: string | number | undefined) => typeof key === 'string' && isSecretKey(key);

export function pathText(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

export function formatValue(v: unknown): string {
  const s = v === undefined ? 'null' : JSON.stringify(v);
  const r = redact(s);
  return r.length > MAX_VALUE ? `${r.slice(0, MAX_VALUE - 1)}…` : r;
}

interface Side {
  value: unknown;
  sensitive: unknown;
  unknown?: unknown;
}

/** Is this value one to hide: marked sensitive, or under a secret-looking key (an ARN pointer is not a secret). */
function hidden(side: Side, key: string | number | undefined): boolean {
  if (side.sensitive === true) return true;
  if (secretKey(key) && !isArn(side.value)) return !isEmpty(side.value);
  return false;
}

function show(side: Side, key: string | number | undefined): string {
  if (side.unknown === true) return UNKNOWN;
  return hidden(side, key) ? SENSITIVE : formatValue(side.value);
}

type Path = (string | number)[];
interface Leaf {
  path: Path;
  before: string;
  after: string;
}

/** Go down into this value (an object or a list of objects on both sides, nothing masked or unknown)? */
function descend(b: Side, a: Side, key: string | number | undefined): 'object' | 'list' | undefined {
  if (a.unknown === true || b.sensitive === true || a.sensitive === true || secretKey(key)) return undefined;
  const objectLike = (v: unknown) => isObject(v) || isEmpty(v);
  if (objectLike(b.value) && objectLike(a.value) && !(isEmpty(b.value) && isEmpty(a.value))) return 'object';
  const lists = Array.isArray(b.value) && Array.isArray(a.value);
  if (lists && [...(b.value as unknown[]), ...(a.value as unknown[])].some((x) => typeof x === 'object' && x !== null)) return 'list';
  return undefined;
}

/** Every leaf that differs between before and after, with its path. */
function diffLeaves(b: Side, a: Side, path: Path, out: Leaf[]): void {
  const key = path[path.length - 1];
  if (a.unknown !== true && same(b.value, a.value)) return;
  const how = descend(b, a, key);
  if (how) {
    const bothLists = how === 'list';
    const keys = bothLists
      ? Array.from({ length: Math.max((b.value as unknown[]).length, (a.value as unknown[]).length) }, (_, i) => i)
      : [...new Set([...Object.keys((b.value as object) ?? {}), ...Object.keys((a.value as object) ?? {})])].sort();
    for (const k of keys) {
      diffLeaves(
        { value: child(b.value, k), sensitive: child(b.sensitive, k) },
        { value: child(a.value, k), sensitive: child(a.sensitive, k), unknown: child(a.unknown, k) },
        [...path, k],
        out,
      );
    }
    return;
  }
  out.push({ path, before: show(b, key), after: show(a, key) });
}

export function attributeChanges(c: Change): AttributeChange[] {
  const leaves: Leaf[] = [];
  const before: Side = { value: c.before ?? null, sensitive: c.before_sensitive };
  diffLeaves(before, { value: c.after ?? null, sensitive: c.after_sensitive, unknown: c.after_unknown }, [], leaves);
  const forcing = (c.replace_paths ?? []).map(pathText);
  return leaves.map((l) => {
    const p = pathText(l.path);
    const forces = forcing.some((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`));
    return { path: p || '(whole object)', before: l.before, after: l.after, forcesReplacement: forces };
  });
}

function resourceDetail(rc: ResourceChange): ResourceDetail {
  const c = rc.change ?? {};
  const action = actionOf(c.actions);
  const attributes = action === 'destroy' || action === 'forget' ? [] : attributeChanges(c);
  const reason = rc.action_reason ? { reason: rc.action_reason } : {};
  const importing = c.importing ? { importing: true } : {};
  return { address: rc.address ?? '?', action, ...reason, ...importing, forcedBy: (c.replace_paths ?? []).map(pathText), attributes };
}

/** A resource changed outside terraform: updated, or deleted (nothing after). */
function driftDetail(rc: ResourceChange): ResourceDetail {
  const deleted = rc.change?.after === null || rc.change?.after === undefined;
  const r = resourceDetail(rc);
  return deleted ? { ...r, action: 'destroy', attributes: [] } : { ...r, action: 'update' };
}

/** The detail of one stack's plan (`terraform show -json` of its saved plan). */
export function planDetail(doc: ShowJson): PlanDetail {
  const all = (doc.resource_changes ?? []).map(resourceDetail);
  const changes = all.filter((r) => r.action !== 'no-op');
  const imports = all.filter((r) => r.importing).map((r) => r.address);
  const drift = (doc.resource_drift ?? []).map(driftDetail).filter((r) => r.action === 'destroy' || r.attributes.length > 0);
  const outputs = Object.entries(doc.output_changes ?? {})
    .map(([name, c]) => ({ name, action: actionOf(c.actions), sensitive: c.after_sensitive === true || c.before_sensitive === true }))
    .filter((o) => o.action !== 'no-op');
  return { changes, drift, outputs, imports, ...(imports.length ? { review: reviewOf(changes, imports) } : {}) };
}

/** The one-letter sign terraform prints for an action. */
export const SIGN: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  destroy: '-',
  read: '<=',
  forget: '.',
  'no-op': ' ',
};
