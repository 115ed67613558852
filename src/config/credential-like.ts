/**
 * Does a value look like a credential itself rather than the NAME of a secret? A key pasted where
 * berth expects `"chatbot/openai:api_key"` would end up in the task definition, the plan and the
 * state in clear. Pure; the returned words say what it looks like (never echo the value).
 */
const KNOWN: Array<[RegExp, string]> = [
  [/(^|[^A-Z0-9])(AKIA|ASIA|AIDA|AROA|ANPA)[A-Z0-9]{16}([^A-Z0-9]|$)/, 'an AWS access key id'],
  [/^sk-[A-Za-z0-9_-]{16,}/, 'an API secret key ("sk-...")'],
  [/^(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/^xox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'a Google API key'],
  [/^(sk|rk|pk)_(live|test)_[A-Za-z0-9]{16,}/, 'a Stripe key'],
  [/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, 'a JSON Web Token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^/@\s]+@/i, 'a URL with a password in it'],
];

function entropyBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** What the value looks like, or undefined when it looks like an ordinary name. */
export function looksLikeCredential(value: string): string | undefined {
  for (const [re, what] of KNOWN) if (re.test(value)) return what;
  // A long run with no word structure: mixed case and digits, high entropy, few separators.
  for (const run of value.split(/[/:_.@-]/)) {
    if (run.length < 24) continue;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(run)).length;
    if (classes >= 3 && entropyBitsPerChar(run) > 4) return 'a long random string (a key or a password)';
    if (run.length >= 32 && /^[a-f0-9]+$/i.test(run) && entropyBitsPerChar(run) > 3.3) return 'a long hexadecimal string (a key or a hash)';
  }
  return undefined;
}
