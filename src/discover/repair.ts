/**
 * The discovered file made valid: validated as `berth config validate` would; every value berth
 * refuses is taken out (its default stands, or the role follows berth's naming) and listed as not
 * placed with what berth expected. A few passes, since a default can meet another rule.
 */
import { ConfigError, parseEnvironment } from '../config/load.js';
import { BerthError } from '../output/errors.js';
import type { Notes } from './notes.js';

/** `services[0].secrets.X` -> ['services', 0, 'secrets', 'X'] */
function steps(path: string): (string | number)[] {
  return path.split(/\.|(?=\[)/).map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p));
}

/** Remove the value at `path`; true when there was one. */
function remove(doc: Record<string, unknown>, path: string): boolean {
  const s = steps(path);
  let cur: unknown = doc;
  for (const k of s.slice(0, -1)) {
    cur = (cur as Record<string | number, unknown> | undefined)?.[k];
    if (!cur || typeof cur !== 'object') return false;
  }
  const last = s[s.length - 1]!;
  const obj = cur as Record<string | number, unknown>;
  if (!(last in obj)) return false;
  if (Array.isArray(obj) && typeof last === 'number') obj.splice(last, 1);
  else delete obj[last];
  return true;
}

export function validated(env: Record<string, unknown>, name: string, notes: Notes): Record<string, unknown> {
  let left: unknown[] = [];
  for (let pass = 0; pass < 6; pass++) {
    try {
      parseEnvironment(structuredClone(env), `${name}.json`, name);
      return env;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      let progress = false;
      left = e.issues;
      for (const i of e.issues) {
        const paths = i.path.endsWith('.memory') ? [i.path, i.path.replace(/\.memory$/, '.cpu')] : [i.path];
        for (const p of paths) if (remove(env, p)) progress = true;
        notes.notPlaced(`berth refuses the value found (expected ${i.expected}); left out`, { field: i.path });
      }
      if (!progress) break;
    }
  }
  throw new BerthError(`discover could not make a valid environment file for ${name}; nothing was written.`, {
    code: 'discover.invalid',
    details: { issues: left },
  });
}
