/** IPv4 CIDR arithmetic for route and security-group decisions. */
import { parseCidr } from '../../config/network.js';

interface Net {
  base: number;
  prefix: number;
}

function net(cidr: string): Net | undefined {
  const p = parseCidr(cidr);
  if (!p) return undefined;
  const n = ((p.octets[0]! << 24) | (p.octets[1]! << 16) | (p.octets[2]! << 8) | p.octets[3]!) >>> 0;
  return { base: (n & mask(p.prefix)) >>> 0, prefix: p.prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** Does `outer` contain every address of `inner`? */
export function cidrContains(outer: string, inner: string): boolean {
  const o = net(outer);
  const i = net(inner);
  if (!o || !i) return false;
  return o.prefix <= i.prefix && (i.base & mask(o.prefix)) >>> 0 === o.base;
}

export const ANYWHERE = '0.0.0.0/0';
export const ANYWHERE6 = '::/0';
