/**
 * Secret redaction for everything berth prints: human text, JSON and terraform output.
 *
 * Two layers: values registered at run time (a token read from Secrets Manager, say) are replaced
 * wherever they appear, and well-known shapes (credentials inside URLs, `password=...`) are masked
 * even when nobody registered them.
 */
const MASK = '****';
const known = new Set<string>();

/** Register a secret value so that it is never printed. Short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) known.add(value);
}

const SECRET_KEY = /(pass(word)?|secret|token|auth[_-]?token|api[_-]?key|private[_-]?key|credential)s?$/i;

/** Is this key name one whose value must never be shown? */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Mask secrets inside a string. */
export function redact(text: string): string {
  let out = text;
  for (const v of known) out = out.split(v).join(MASK);
  // scheme://user:password@host  ->  scheme://user:****@host  (rediss://:token@host too)
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s/]+)(@)/gi, `$1${MASK}$3`);
  // password=... (query strings, env files) and "password": "..." (JSON) forms.
  out = out.replace(/\b((?:password|passwd|secret|token|auth_token|api_key|apikey)=)([^\s&"',;]+)/gi, `$1${MASK}`);
  out = out.replace(/("(?:[a-z_]*password|passwd|secret|[a-z_]*token|api_key|apikey)"\s*:\s*")((?:[^"\\]|\\.)+)(")/gi, `$1${MASK}$3`);
  return out;
}

/** A pointer to a secret (an ARN, a berth secret reference), not a secret itself. */
function isReference(v: string): boolean {
  return /^(arn:aws[a-z-]*:|@database|@redis)/.test(v);
}

/** Deep-redact a JSON-able value: secret-named keys are masked whole, strings are scrubbed. */
export function redactValue<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && isSecretKey(key) && v !== '' && !isReference(v) ? MASK : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x, k);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}
