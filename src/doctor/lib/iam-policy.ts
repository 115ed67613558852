/**
 * A small IAM evaluator over identity policies: explicit Deny wins, then any Allow, else implicit
 * deny. Wildcards (* and ?) in actions (case-insensitive) and resources; NotAction / NotResource.
 * Conditions are not evaluated: a statement with a Condition counts, and the answer says so.
 * Permission boundaries, SCPs and resource policies are out of scope (the doctor says so too).
 */

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

/** A policy attached to a role, by where it comes from. */
export interface NamedPolicy {
  /** `inline:<name>` or the managed policy ARN. */
  source: string;
  document?: PolicyDocument;
}

export interface Decision {
  allowed: boolean;
  /** The policy (and Sid) that decided. */
  by?: string;
  /** The deciding Allow had a Condition that was not evaluated. */
  conditional?: boolean;
  explicitDeny?: boolean;
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

function matches(st: PolicyStatement, action: string, resource: string): boolean {
  const acts = list(st.Action);
  const notActs = list(st.NotAction);
  const actionOk = acts ? acts.some((a) => glob(a, action, true)) : notActs ? !notActs.some((a) => glob(a, action, true)) : false;
  if (!actionOk) return false;
  const res = list(st.Resource);
  const notRes = list(st.NotResource);
  return res ? res.some((r) => glob(r, resource, false)) : notRes ? !notRes.some((r) => glob(r, resource, false)) : false;
}

export function statements(doc: PolicyDocument | undefined): PolicyStatement[] {
  if (!doc?.Statement) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function evaluate(policies: NamedPolicy[], action: string, resource: string): Decision {
  let allow: Decision | undefined;
  for (const p of policies) {
    for (const st of statements(p.document)) {
      if (!matches(st, action, resource)) continue;
      const by = st.Sid ? `${p.source}#${st.Sid}` : p.source;
      if (st.Effect === 'Deny' && !st.Condition) return { allowed: false, by, explicitDeny: true };
      if (st.Effect === 'Allow' && (!allow || (allow.conditional && !st.Condition)))
        allow = { allowed: true, by, conditional: Boolean(st.Condition) };
    }
  }
  return allow ?? { allowed: false };
}

/** Parse a policy document as IAM returns it (URL-encoded JSON) or as JSON text. */
export function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  for (const t of [text, safeDecode(text)]) {
    try {
      return JSON.parse(t) as PolicyDocument;
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Does a trust policy let `service` assume the role? */
export function trusts(doc: PolicyDocument | undefined, service: string): boolean {
  return statements(doc).some((st) => {
    if (st.Effect !== 'Allow') return false;
    const acts = list(st.Action) ?? [];
    if (!acts.some((a) => glob(a, 'sts:AssumeRole', true))) return false;
    const pr = st.Principal as { Service?: string | string[] } | string | undefined;
    if (pr === '*') return true;
    const svc = typeof pr === 'object' ? list(pr.Service) : undefined;
    return Boolean(svc?.includes(service));
  });
}

/** Allow statements granting every action on every resource (or every action of a service on everything). */
export function overBroad(policies: NamedPolicy[]): string[] {
  const out: string[] = [];
  for (const p of policies)
    for (const st of statements(p.document)) {
      if (st.Effect !== 'Allow' || st.Condition) continue;
      const acts = list(st.Action) ?? [];
      const res = list(st.Resource) ?? [];
      if (res.includes('*') && acts.some((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a)))
        out.push(`${p.source}: ${acts.filter((a) => a === '*' || a.endsWith(':*')).join(', ')} on *`);
      if (st.NotAction && res.includes('*')) out.push(`${p.source}: NotAction on *`);
    }
  return out;
}
