/**
 * A tiny declarative schema: each field carries its type, its default and the sentence that
 * documents it, so the validator, the defaults and the docs (`berth config docs`) cannot drift apart.
 */
export interface Issue {
  /** JSON path of the offending value, e.g. `services[0].port`. */
  path: string;
  /** The value found (undefined when the field is missing). */
  value: unknown;
  /** What was expected, in words. */
  expected: string;
  /** Where in the file, for problems found while reading the text (syntax, duplicate keys). */
  line?: number;
  column?: number;
}

export type Spec =
  | { kind: 'string'; doc: string; default?: string; optional?: boolean; pattern?: RegExp; patternDoc?: string; oneOf?: readonly string[] }
  | {
      kind: 'number';
      doc: string;
      default?: number;
      optional?: boolean;
      min?: number;
      max?: number;
      integer?: boolean;
      oneOf?: readonly number[];
    }
  | { kind: 'boolean'; doc: string; default?: boolean; optional?: boolean }
  | { kind: 'array'; doc: string; items: Spec; default?: unknown[]; optional?: boolean; minItems?: number; maxItems?: number }
  | { kind: 'map'; doc: string; values: Spec; default?: Record<string, unknown>; optional?: boolean; keyPattern?: RegExp; keyDoc?: string }
  | { kind: 'object'; doc: string; fields: Record<string, Spec>; optional?: boolean };

export function describe(spec: Spec): string {
  switch (spec.kind) {
    case 'string':
      if (spec.oneOf) return `one of ${spec.oneOf.map((s) => JSON.stringify(s)).join(', ')}`;
      return spec.patternDoc ?? 'a string';
    case 'number': {
      if (spec.oneOf) return `one of ${spec.oneOf.join(', ')}`;
      const what = spec.integer ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${what} of at least ${spec.min}`;
      if (spec.max !== undefined) return `${what} of at most ${spec.max}`;
      return what;
    }
    case 'boolean':
      return 'true or false';
    case 'array':
      return `a list of ${describe(spec.items)}`;
    case 'map':
      return `an object of ${describe(spec.values)}`;
    case 'object':
      return 'an object';
  }
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Validate `value` against `spec`, filling defaults. Returns the normalised value and every issue found. */
export function check(spec: Spec, value: unknown, path: string, issues: Issue[]): unknown {
  if (value === undefined) {
    if ('default' in spec && spec.default !== undefined) return structuredClone(spec.default);
    if (spec.kind === 'object') {
      if (spec.optional) return undefined;
      return check(spec, {}, path, issues);
    }
    if (spec.optional) return undefined;
    issues.push({ path, value, expected: `${describe(spec)} (required: ${spec.doc})` });
    return undefined;
  }
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') return void issues.push({ path, value, expected: describe(spec) });
      if (spec.oneOf && !spec.oneOf.includes(value)) return void issues.push({ path, value, expected: describe(spec) });
      if (spec.pattern && !spec.pattern.test(value)) return void issues.push({ path, value, expected: describe(spec) });
      return value;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return void issues.push({ path, value, expected: describe(spec) });
      if (
        (spec.integer && !Number.isInteger(value)) ||
        (spec.min !== undefined && value < spec.min) ||
        (spec.max !== undefined && value > spec.max) ||
        (spec.oneOf && !spec.oneOf.includes(value))
      )
        return void issues.push({ path, value, expected: describe(spec) });
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return void issues.push({ path, value, expected: describe(spec) });
      return value;
    case 'array': {
      if (!Array.isArray(value)) return void issues.push({ path, value, expected: describe(spec) });
      if (spec.minItems !== undefined && value.length < spec.minItems)
        issues.push({ path, value, expected: `${describe(spec)} with at least ${spec.minItems} item(s)` });
      if (spec.maxItems !== undefined && value.length > spec.maxItems)
        issues.push({ path, value, expected: `${describe(spec)} with at most ${spec.maxItems} item(s)` });
      return value.map((v, i) => check(spec.items, v, `${path}[${i}]`, issues));
    }
    case 'map': {
      if (typeName(value) !== 'object') return void issues.push({ path, value, expected: describe(spec) });
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const p = `${path}.${k}`;
        if (spec.keyPattern && !spec.keyPattern.test(k))
          issues.push({ path: p, value: k, expected: `a key that is ${spec.keyDoc ?? spec.keyPattern}` });
        out[k] = check(spec.values, v, p, issues);
      }
      return out;
    }
    case 'object': {
      if (typeName(value) !== 'object') return void issues.push({ path, value, expected: describe(spec) });
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(obj)) {
        if (k === '$schema' || k === '$comment') continue;
        if (!(k in spec.fields))
          issues.push({
            path: join(path, k),
            value: obj[k],
            expected: `no such field; known fields: ${Object.keys(spec.fields).join(', ')}`,
          });
      }
      for (const [k, f] of Object.entries(spec.fields)) {
        const v = check(f, obj[k], join(path, k), issues);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Flatten a spec into documentation rows: path, what it accepts, default, sentence. */
export function docRows(spec: Spec, path = ''): { path: string; accepts: string; default: string; doc: string }[] {
  const rows: { path: string; accepts: string; default: string; doc: string }[] = [];
  const def = (s: Spec) =>
    'default' in s && s.default !== undefined ? JSON.stringify(s.default) : s.optional ? '(none)' : s.kind === 'object' ? '' : '(required)';
  if (spec.kind === 'object') {
    for (const [k, f] of Object.entries(spec.fields)) {
      const p = path ? `${path}.${k}` : k;
      rows.push({ path: p, accepts: describe(f), default: def(f), doc: f.doc });
      if (f.kind === 'object') rows.push(...docRows(f, p));
      if (f.kind === 'array' && f.items.kind === 'object') rows.push(...docRows(f.items, `${p}[]`));
      if (f.kind === 'map' && f.values.kind === 'object') rows.push(...docRows(f.values, `${p}.<name>`));
    }
  }
  return rows;
}
