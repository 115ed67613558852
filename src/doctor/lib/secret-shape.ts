/**
 * Reducing a secret value to what the doctor may keep: its key names, the shape of any URL in it
 * (scheme, host, port, path, query *keys*, whether it carries a user or password), and the few
 * values that are not secret (host, port, dbname, engine). The value itself never leaves here.
 */
import type { SecretShape, UrlShape } from '../facts.js';

const PLAIN_KEYS = new Set(['host', 'port', 'dbname', 'engine', 'dbClusterIdentifier']);
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function urlShape(value: string): UrlShape {
  try {
    const u = new URL(value);
    return {
      valid: true,
      scheme: u.protocol.replace(/:$/, ''),
      host: u.hostname,
      port: u.port || undefined,
      path: u.pathname,
      queryKeys: [...new Set([...u.searchParams.keys()])],
      hasUser: u.username !== '',
      hasPassword: u.password !== '',
    };
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] ?? '';
    return { valid: false, scheme, host: '', path: '', queryKeys: [], hasUser: false, hasPassword: false };
  }
}

/** Describe a SecretString. `values` receives every string value so the caller can register it for redaction. */
export function describeSecretString(
  text: string | undefined,
  values: (v: string) => void = () => {},
): Pick<SecretShape, 'json' | 'keys' | 'urls' | 'plain'> {
  const out: Pick<SecretShape, 'json' | 'keys' | 'urls' | 'plain'> = { json: false, keys: [], urls: {}, plain: {} };
  if (text === undefined) return out;
  values(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    out.json = true;
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      out.keys.push(k);
      const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
      if (s === undefined) continue;
      if (!PLAIN_KEYS.has(k)) values(s);
      if (URL_LIKE.test(s)) out.urls[k] = urlShape(s);
      else if (PLAIN_KEYS.has(k)) out.plain[k] = s;
    }
  } else if (URL_LIKE.test(text.trim())) out.urls[''] = urlShape(text.trim());
  return out;
}
