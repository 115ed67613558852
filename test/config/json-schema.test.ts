/**
 * The JSON Schema shipped for editors (schema/environment.schema.json) is generated from the same
 * spec as the validator, and the two agree: on the example files (both accept) and on a sample of
 * broken ones (both reject, at the same JSON paths). The rules that span fields are the validator's
 * alone, and the schema says so: for those the schema accepts and `config validate` refuses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseEnvironment, ConfigError } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/environment.schema.json', root), 'utf8'));
const examples = readdirSync(new URL('templates/environments/', root)).filter((f) => f.endsWith('.json'));
const read = (f: string) => JSON.parse(readFileSync(new URL(`templates/environments/${f}`, root), 'utf8'));
const platform = read('platform.json');

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

/** The JSON paths ajv complains about, in the validator's notation (`services[0].port`). */
function schemaPaths(doc: unknown): string[] {
  if (validate(doc)) return [];
  return [
    ...new Set(
      (validate.errors ?? [])
        .filter((e) => e.keyword !== 'propertyNames')
        .map((e) => {
          const parts = e.instancePath
            .split('/')
            .slice(1)
            .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
          const extra =
            (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ??
            (e.params as { additionalProperty?: string }).additionalProperty;
          if (e.propertyName) parts.push(e.propertyName);
          if (extra) parts.push(extra);
          return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
        }),
    ),
  ].sort();
}

function validatorPaths(doc: unknown): string[] {
  try {
    parseEnvironment(structuredClone(doc), 'x.json');
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return [...new Set(e.issues.map((i) => i.path))].sort();
  }
}

function variant(mutate: (e: any) => void): unknown {
  const e = structuredClone(platform);
  mutate(e);
  return e;
}

const broken: Record<string, unknown> = {
  'not an object': [1, 2],
  'port out of range': variant((e) => (e.services[0].port = 70000)),
  'port not an integer': variant((e) => (e.services[0].port = 80.5)),
  'cpu not a Fargate size': variant((e) => (e.services[0].cpu = 300)),
  'unknown field': variant((e) => (e.colour = 'blue')),
  'unknown nested field': variant((e) => (e.database.engin = 'mysql')),
  'missing app': variant((e) => delete e.app),
  'missing domain': variant((e) => delete e.domain),
  'missing service port': variant((e) => delete e.services[0].port),
  'no services': variant((e) => (e.services = [])),
  'bad region': variant((e) => (e.region = 'Mars-1')),
  'bad enum': variant((e) => (e.network.nat = 'double')),
  'boolean as string': variant((e) => (e.protected = 'yes')),
  'bad env var name': variant((e) => (e.services[0].environment = { 'BAD-NAME': 'x' })),
  'secret value not a string': variant((e) => (e.services[0].secrets.X = 5)),
  'bad waiver': variant((e) => (e.waivers = [{ rule: 'nope', reason: 'short' }])),
  'two problems at once': variant((e) => ((e.app = 'UPPER'), (e.services[0].healthPath = 'health'))),
  'e-mail list of numbers': variant((e) => (e.alarms.emails = [1])),
};

const crossFieldOnly: Record<string, unknown> = {
  'Fargate cpu/memory pair': variant((e) => ((e.services[0].cpu = 256), (e.services[0].memory = 4096))),
  'min above max': variant((e) => (e.services[0].minCount = 5)),
  'AUTH without TLS': variant((e) => (e.cache.transitEncryption = false)),
  'existing zone without id': variant((e) => (e.domain.zone = 'existing')),
};

describe('the environment JSON Schema', () => {
  it('is what `berth config schema` prints today (regenerate schema/environment.schema.json when the spec changes)', async () => {
    const r = await runCli(['config', 'schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(schema);
  });

  it.each(examples)('accepts the example %s, as the validator does', (f) => {
    const doc = read(f);
    expect(schemaPaths(doc)).toEqual([]);
    expect(validatorPaths(doc)).toEqual([]);
  });

  it('accepts (ignores) a $schema reference, as the loader does', () => {
    const doc = variant((e) => (e.$schema = '../node_modules/berth/schema/environment.schema.json'));
    expect(schemaPaths(doc)).toEqual([]);
    expect(validatorPaths(doc)).toEqual([]);
  });

  it.each(Object.entries(broken))('rejects "%s" at the same paths as the validator', (_name, doc) => {
    const v = validatorPaths(doc);
    expect(v.length).toBeGreaterThan(0);
    const s = schemaPaths(doc);
    // A missing object is one error for the schema ("domain") and one per required field inside it
    // for the validator ("domain.name"): the same place, seen from one level up.
    const covers = (outer: string, inner: string) =>
      inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || outer === '';
    for (const p of v)
      expect(
        s.some((x) => covers(x, p)),
        `validator path ${p} not flagged by the schema (${s.join(', ')})`,
      ).toBe(true);
    for (const x of s)
      expect(
        v.some((p) => covers(x, p)),
        `schema path ${x} not flagged by the validator (${v.join(', ')})`,
      ).toBe(true);
  });

  it.each(Object.entries(crossFieldOnly))('leaves the cross-field rule "%s" to the validator, which refuses it', (_name, doc) => {
    expect(schemaPaths(doc)).toEqual([]);
    expect(validatorPaths(doc).length).toBeGreaterThan(0);
  });
});
