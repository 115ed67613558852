/**
 * Property test of the config loader: thousands of seeded random mutations of the example
 * environments (types, values, keys, nesting, text and encodings). Every one either loads or fails
 * as bad input (a UsageError, exit 2, naming where); none ends in an internal error. Reproducible:
 * the PRNG is seeded (BERTH_PROPERTY_SEED overrides), and a failure prints the seed and the input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvironment, parseEnvironment, parseJsonText } from '../../src/config/load.js';
import { names, serviceNames } from '../../src/config/names.js';
import { isBerthError } from '../../src/output/errors.js';
import { template } from '../input/matrix-support.js';

const SEED = Number(process.env.BERTH_PROPERTY_SEED ?? 20261126);
const RUNS = 1000; // per example environment

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number) => Math.floor(r() * n);

const WEIRD_STRINGS = [
  '',
  ' ',
  '--',
  'a--b',
  'xn--x',
  '__proto__',
  'constructor',
  '\u0000',
  '😀',
  'é',
  'x'.repeat(300),
  '10.0.0.0/8',
  '224.0.0.0/16',
  'us-east-9',
  '16.6',
  '8.0.mysql_aurora.3.08.0',
  'AKIAIOSFODNN7EXAMPLE',
  'sk-aaaaaaaaaaaaaaaaaaaaaaaa',
  'postgres://u:p@h/d',
  '@database:password',
  '@redis:url',
  '/*',
  '/api/*',
  'api',
  'web',
];

function randomValue(r: Rand, depth = 0): unknown {
  switch (int(r, depth > 3 ? 8 : 11)) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return int(r, 100000) - 50000;
    case 3:
      return pick(r, [0, -1, 0.5, 1e308, -1e-308, 2 ** 53 + 1, 65536, 1.5, 256, 512, 4096]);
    case 4:
      return pick(r, WEIRD_STRINGS);
    case 5:
      return Array.from({ length: int(r, 20) }, () => String.fromCharCode(32 + int(r, 0x2000))).join('');
    case 6:
      return String(int(r, 1000));
    case 7:
      return pick(r, ['true', 'false', 'null', '[]', '{}']);
    case 8:
      return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
    case 9:
      return Object.fromEntries(
        Array.from({ length: int(r, 4) }, () => [
          pick(r, WEIRD_STRINGS.concat(['name', 'port', 'cpu', 'secrets'])),
          randomValue(r, depth + 1),
        ]),
      );
    default: {
      let v: unknown = randomValue(r, 4);
      for (let i = int(r, 40); i > 0; i--) v = r() < 0.5 ? [v] : { x: v };
      return v;
    }
  }
}

/** Every [container, key] in the tree, so a mutation can aim anywhere. */
function slots(v: unknown, out: Array<[any, string | number]> = []): Array<[any, string | number]> {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) (out.push([v, k]), slots((v as any)[k], out));
  return out;
}

function mutateValue(r: Rand, doc: any): void {
  const all = slots(doc);
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const [container, key] = pick(r, all);
    const op = int(r, 6);
    if (op === 0 && !Array.isArray(container)) delete container[key];
    else if (op === 1 && !Array.isArray(container)) container[pick(r, WEIRD_STRINGS.concat(['extra', 'protected']))] = randomValue(r);
    else if (op === 2 && typeof container[key] === 'number') container[key] = String(container[key]);
    else if (op === 3 && typeof container[key] === 'string') container[key] = Number(container[key]) || container[key].length;
    else if (op === 4 && Array.isArray(container)) container.push(structuredClone(container[key as number]));
    else container[key] = randomValue(r);
  }
}

function mutateText(r: Rand, text: string): Buffer {
  const at = int(r, text.length + 1);
  switch (int(r, 10)) {
    case 0:
      return Buffer.from(text.slice(0, at) + String.fromCharCode(int(r, 0x3000)) + text.slice(at));
    case 1:
      return Buffer.from(text.slice(0, at) + text.slice(at + 1 + int(r, 20)));
    case 2: {
      const lines = text.split('\n');
      const i = int(r, lines.length);
      lines.splice(i, 0, lines[i]!); // a duplicated line: duplicate keys, or a missing comma
      return Buffer.from(lines.join('\n'));
    }
    case 3:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 4:
      return Buffer.from(text, pick(r, ['utf16le', 'latin1'] as const));
    case 5:
      return Buffer.from(text.slice(0, at));
    case 6:
      return Buffer.from(
        text.slice(0, at) + pick(r, ['// c\n', '/* c */', ',', ',]', ',}', "'", '#', 'NaN', '\t', '\\u12']) + text.slice(at),
      );
    case 7:
      return Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from([pick(r, [0xff, 0xc3, 0x80, 0xfe, 0x00])]),
        Buffer.from(text.slice(at)),
      ]);
    case 8:
      return Buffer.from('['.repeat(int(r, 5000)) + text);
    default:
      return Buffer.from(text.replace(/"(\w+)":/, (_m, k) => `"${k}": 1, "${k}":`));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'berth-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function attempt(bytes: Buffer, viaFile: boolean): 'loaded' | 'refused' {
  try {
    let env;
    if (viaFile) {
      const file = join(dir, 'prop.json');
      writeFileSync(file, bytes);
      env = loadEnvironment(file);
    } else env = parseEnvironment(parseJsonText(bytes, 'prop.json'), 'prop.json', 'prop');
    names(env);
    for (const s of env.services) serviceNames(env, s);
    return 'loaded';
  } catch (e) {
    if (isBerthError(e) && e.exitCode === 2 && e.code !== 'internal' && e.message.length < 20_000) return 'refused';
    throw e;
  }
}

describe(`config loader under random mutation (seed ${SEED})`, () => {
  for (const name of ['platform', 'two-service', 'sandbox']) {
    it(`${name}: ${RUNS} mutations, none an internal error`, () => {
      const r = prng(SEED + name.length);
      const seen = { loaded: 0, refused: 0 };
      for (let i = 0; i < RUNS; i++) {
        const doc = { ...template(name), name: 'prop' };
        let bytes: Buffer;
        if (r() < 0.6) {
          mutateValue(r, doc);
          bytes = Buffer.from(JSON.stringify(doc, null, 2));
        } else bytes = mutateText(r, JSON.stringify(doc, null, 2));
        try {
          seen[attempt(bytes, i % 10 === 0)]++;
        } catch (e) {
          throw new Error(
            `mutation ${i} of ${name} (seed ${SEED}) ended in ${(e as Error).name}: ${(e as Error).message}\ninput: ${bytes.toString('utf8').slice(0, 2000)}`,
          );
        }
      }
      // The generator must reach both outcomes, or it proves nothing.
      expect(seen.refused).toBeGreaterThan(RUNS / 2);
      expect(seen.loaded).toBeGreaterThan(10);
    });
  }
});
