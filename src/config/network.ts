/**
 * The subnet plan, as the runbooks lay it out: public x.x.1+i.0/24, private x.x.10+i.0/24,
 * database x.x.20+i.0/24 for AZ i. Pure: the stacks build it, doctor compares against it.
 */
export interface SubnetPlan {
  tier: 'public' | 'private' | 'database';
  az: number;
  cidr: string;
}

const OFFSET = { public: 1, private: 10, database: 20 } as const;

export function parseCidr(cidr: string): { octets: number[]; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { octets, prefix };
}

/** Is the CIDR's address its network address (no host bits set)? */
export function isNetworkAddress(cidr: string): boolean {
  const p = parseCidr(cidr);
  if (!p) return false;
  const n = ((p.octets[0]! << 24) | (p.octets[1]! << 16) | (p.octets[2]! << 8) | p.octets[3]!) >>> 0;
  const mask = p.prefix === 0 ? 0 : (~0 << (32 - p.prefix)) >>> 0;
  return (n & mask) >>> 0 === n;
}

export function subnetPlan(vpcCidr: string, azCount: number): SubnetPlan[] {
  const p = parseCidr(vpcCidr);
  if (!p) throw new Error(`invalid CIDR ${vpcCidr}`);
  const [a, b, c] = p.octets as [number, number, number, number];
  const plan: SubnetPlan[] = [];
  for (const tier of ['public', 'private', 'database'] as const) {
    for (let az = 0; az < azCount; az++) plan.push({ tier, az, cidr: `${a}.${b}.${c + OFFSET[tier] + az}.0/24` });
  }
  return plan;
}
