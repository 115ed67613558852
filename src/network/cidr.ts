/** IPv4 CIDR arithmetic for the reachability model and the doctor's group checks. */

export const ANYWHERE = '0.0.0.0/0';
export const ANYWHERE6 = '::/0';

function parse(cidr: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (o.some((x) => x > 255) || prefix > 32) return undefined;
  const n = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  return { base: (n & mask(prefix)) >>> 0, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** Does `outer` contain every address of `inner` (a CIDR or a bare address)? */
export function contains(outer: string, inner: string): boolean {
  const o = parse(outer);
  const i = parse(inner);
  if (!o || !i) return false;
  return o.prefix <= i.prefix && (i.base & mask(o.prefix)) >>> 0 === o.base;
}
