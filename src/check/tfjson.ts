/**
 * Reading synthesized Terraform JSON (cdk.tf.json) the way the rules need it: resources with
 * their addresses, nested blocks (an object or a list of objects), booleans that may be written
 * as strings, and the JSON documents embedded in string attributes (container definitions, IAM
 * policies), including cdktf's `${jsonencode(...)}` form. Pure.
 */

export interface TfJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  [k: string]: unknown;
}

export interface TfResource {
  stack: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `aws_lb.edge_alb`, or `data.aws_iam_policy_document.x` for a data source. */
  address: string;
  body: Record<string, unknown>;
}

export interface TfStack {
  name: string;
  resources: TfResource[];
}

export function parseStack(name: string, json: TfJson): TfStack {
  const resources: TfResource[] = [];
  for (const [mode, key] of [
    ['managed', 'resource'],
    ['data', 'data'],
  ] as const) {
    for (const [type, byName] of Object.entries(json[key] ?? {})) {
      if (type === '//' || !byName || typeof byName !== 'object') continue;
      for (const [rname, body] of Object.entries(byName)) {
        if (rname === '//' || !body || typeof body !== 'object') continue;
        resources.push({ stack: name, mode, type, name: rname, address: `${mode === 'data' ? 'data.' : ''}${type}.${rname}`, body });
      }
    }
  }
  return { name, resources };
}

/** A nested block as a list (cdktf writes single blocks as objects and repeated ones as lists). */
export function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter((x): x is Record<string, unknown> => Boolean(x) && typeof x === 'object');
  if (v && typeof v === 'object') return [v as Record<string, unknown>];
  return [];
}

/** true / false for a literal boolean (also "true"/"false"); undefined when absent or an expression. */
export function bool(v: unknown): boolean | undefined {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

export function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

export const isExpression = (v: unknown) => typeof v === 'string' && v.includes('${');

/**
 * Convert an HCL expression of literals (what cdktf writes inside `jsonencode(...)`) to JSON text:
 * `=` becomes `:`, bare keys and references become strings. Returns undefined when it cannot.
 */
export function hclToJson(expr: string): string | undefined {
  let out = '';
  let i = 0;
  const n = expr.length;
  const readString = () => {
    let s = '"';
    i++;
    let depth = 0;
    while (i < n) {
      const c = expr[i]!;
      if (c === '\\') {
        s += c + (expr[i + 1] ?? '');
        i += 2;
        continue;
      }
      if (c === '$' && expr[i + 1] === '{') {
        depth++;
        s += '${';
        i += 2;
        continue;
      }
      if (c === '}' && depth > 0) depth--;
      if (c === '"' && depth > 0) {
        s += '\\"';
        i++;
        continue;
      }
      if (c === '"') {
        i++;
        return s + '"';
      }
      s += c;
      i++;
    }
    return undefined;
  };
  while (i < n) {
    const c = expr[i]!;
    if (c === '"') {
      const s = readString();
      if (s === undefined) return undefined;
      out += s;
      continue;
    }
    if (c === '=' && expr[i + 1] !== '=' && expr[i - 1] !== '!' && expr[i - 1] !== '<' && expr[i - 1] !== '>' && expr[i + 1] !== '>') {
      out += ':';
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      // A bare word: a key (followed by =), a literal, or an expression up to the next , } ] at depth 0.
      const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i))![0];
      const after = expr.slice(i + word.length).trimStart();
      if (after.startsWith('=') && !after.startsWith('==') && !after.startsWith('=>')) {
        out += JSON.stringify(word);
        i += word.length;
        continue;
      }
      if (['true', 'false', 'null'].includes(word) && !/^[.([]/.test(expr.slice(i + word.length))) {
        out += word;
        i += word.length;
        continue;
      }
      let j = i;
      let depth = 0;
      while (j < n) {
        const d = expr[j]!;
        if (d === '(' || d === '[' || d === '{') depth++;
        else if (d === ')' || d === ']' || d === '}') {
          if (depth === 0) break;
          depth--;
        } else if ((d === ',' || d === '\n') && depth === 0) break;
        j++;
      }
      out += JSON.stringify('${' + expr.slice(i, j).trim() + '}');
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/**
 * A JSON document held in a string attribute: plain JSON (possibly with `${...}` references inside
 * its strings), JSON with bare `${...}` numbers, or cdktf's `${jsonencode(...)}`. undefined when
 * it is something else (a reference to another resource's attribute, say).
 */
export function embeddedJson(v: unknown): unknown {
  if (v && typeof v === 'object') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  try {
    return JSON.parse(t);
  } catch {
    /* not plain JSON */
  }
  const enc = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(t);
  if (enc) {
    const j = hclToJson(enc[1]!);
    if (j !== undefined) {
      try {
        return JSON.parse(j);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
  if (/^[[{]/.test(t)) {
    // Bare interpolations where a number or boolean would be: quote them.
    try {
      return JSON.parse(t.replace(/(?<=[:,[]\s*)(\$\{[^}"]*\})(?=\s*[,}\]])/g, '"$1"'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface ContainerDef {
  name?: string;
  privileged?: unknown;
  environment?: { name?: string; value?: unknown }[];
}

/** The container definitions of a task definition, or undefined when they cannot be read. */
export function containerDefinitions(body: Record<string, unknown>): ContainerDef[] | undefined {
  const doc = embeddedJson(body.container_definitions);
  return Array.isArray(doc) ? (doc as ContainerDef[]) : undefined;
}
