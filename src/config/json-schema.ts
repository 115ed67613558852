/**
 * The JSON Schema of an environment file, generated from the same spec as the validator and the
 * docs (`berth config schema`; shipped as schema/environment.schema.json, kept current by a test).
 * Editors use it to complete and check environment files as they are typed. It states every field,
 * type, range, pattern and default; the rules that span fields (Fargate cpu/memory pairs, counts
 * within min..max, zone and zoneId, ...) are berth's own and only `berth config validate` checks them.
 */
import type { Spec } from './spec.js';

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** Cross-field rules the schema cannot state; `berth config validate` checks them. */
export const VALIDATOR_ONLY_RULES = [
  'name matches the file name',
  'domain.zoneId is set exactly when domain.zone is "existing"',
  'network.cidr has no host bits set',
  'database.minCapacity is at most maxCapacity and a multiple of 0.5',
  'cache.authToken needs cache.transitEncryption',
  'state.bucket is set when state.backend is "s3"; local state only with sandbox: true',
  'no account for a sandbox environment',
  'services have distinct names and path patterns',
  'services[].memory is a Fargate size for its cpu',
  'services[] minCount <= desiredCount <= maxCount',
  'services[].healthCheck.timeoutSeconds is less than intervalSeconds',
  'services[].secrets: "@database"/"@redis" keys exist, names not also in environment',
  'services[].deployment: canary.percent and linear.stepPercent are multiples of 0.1, alarm names distinct, testPath under pathPattern',
  "resources: names by their service's naming rules, ARNs in the environment's region (and account), one load balancer throughout, services keyed by services[].name, no id listed twice",
] as const;

/** Whether a missing value is an error (no default, not optional; an object when a field inside is). */
function needsValue(spec: Spec): boolean {
  if (spec.optional) return false;
  if (spec.kind === 'object') return Object.values(spec.fields).some(needsValue);
  return !('default' in spec && spec.default !== undefined);
}

/** Keys every object accepts and ignores (an editor's schema reference, a comment). */
const IGNORED_KEYS = {
  $schema: { description: 'The JSON Schema of this file, for editors (ignored by berth).' },
  $comment: { description: 'A comment (ignored by berth).' },
};

function withDefault(s: JsonSchema, spec: Spec): JsonSchema {
  if ('default' in spec && spec.default !== undefined) s.default = spec.default;
  return s;
}

export function toJsonSchema(spec: Spec): JsonSchema {
  const base: JsonSchema = { description: spec.doc };
  switch (spec.kind) {
    case 'string':
      if (spec.oneOf) return withDefault({ ...base, type: 'string', enum: [...spec.oneOf] }, spec);
      return withDefault({ ...base, type: 'string', ...(spec.pattern ? { pattern: spec.pattern.source } : {}) }, spec);
    case 'number': {
      const s: JsonSchema = { ...base, type: spec.integer ? 'integer' : 'number' };
      if (spec.oneOf) s.enum = [...spec.oneOf];
      if (spec.min !== undefined) s.minimum = spec.min;
      if (spec.max !== undefined) s.maximum = spec.max;
      return withDefault(s, spec);
    }
    case 'boolean':
      return withDefault({ ...base, type: 'boolean' }, spec);
    case 'array': {
      const s: JsonSchema = { ...base, type: 'array', items: toJsonSchema(spec.items) };
      if (spec.minItems !== undefined) s.minItems = spec.minItems;
      if (spec.maxItems !== undefined) s.maxItems = spec.maxItems;
      return withDefault(s, spec);
    }
    case 'map': {
      const s: JsonSchema = { ...base, type: 'object', additionalProperties: toJsonSchema(spec.values) };
      if (spec.keyPattern) s.propertyNames = { pattern: spec.keyPattern.source };
      return withDefault(s, spec);
    }
    case 'object': {
      const properties: Record<string, JsonSchema> = { ...IGNORED_KEYS };
      for (const [k, f] of Object.entries(spec.fields)) properties[k] = toJsonSchema(f);
      const required = Object.entries(spec.fields)
        .filter(([, f]) => needsValue(f))
        .map(([k]) => k);
      return { ...base, type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
    }
  }
}

/** The whole document, as shipped in schema/environment.schema.json. */
export function environmentJsonSchema(spec: Spec): JsonSchema {
  const body = toJsonSchema(spec);
  const note = `Checked by berth beyond this schema (berth config validate): ${VALIDATOR_ONLY_RULES.join('; ')}.`;
  return { $schema: SCHEMA_DIALECT, title: 'berth environment', ...body, description: `${spec.doc} ${note}` };
}
