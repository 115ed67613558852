/**
 * Rules AWS applies to an environment's values, checked before anything is synthesized: the Aurora
 * Serverless v2 engine versions, the VPC CIDR. Pure.
 */
import { parseCidr } from './network.js';

/**
 * Aurora Serverless v2 (AuroraUserGuide, "Supported Regions and Aurora DB engines for Aurora
 * Serverless v2"): PostgreSQL 13.6+, 14.3+, 15.2+, 16.1+, 17.4+; MySQL version 3 from 3.02.0
 * (8.0.mysql_aurora.3.02.0) and Aurora MySQL 8.4 (8.4.mysql_aurora.4.x).
 */
const PG_MIN_MINOR: Record<number, number> = { 13: 6, 14: 3, 15: 2, 16: 1, 17: 4 };

export function auroraVersionProblem(engine: 'postgresql' | 'mysql', version: string): string | undefined {
  if (engine === 'postgresql') {
    const m = /^(\d+)\.(\d+)$/.exec(version);
    if (!m)
      return (
        'an Aurora PostgreSQL version such as "16.6" ' + `(engine is postgresql${/mysql/.test(version) ? '; this is a MySQL version' : ''})`
      );
    const [major, minor] = [Number(m[1]), Number(m[2])];
    const min = PG_MIN_MINOR[major];
    if (min === undefined) return `an Aurora PostgreSQL major version that Serverless v2 runs: ${Object.keys(PG_MIN_MINOR).join(', ')}`;
    if (minor < min) return `Aurora PostgreSQL ${major}.${min} or later for Serverless v2`;
    return undefined;
  }
  const m3 = /^8\.0\.mysql_aurora\.3\.(\d{2})\.(\d+)$/.exec(version);
  const m4 = /^8\.4\.mysql_aurora\.4\.(\d{2})\.(\d+)$/.exec(version);
  if (!m3 && !m4)
    return (
      'an Aurora MySQL version such as "8.0.mysql_aurora.3.08.0" ' +
      `(engine is mysql${/^\d+\.\d+$/.test(version) ? '; this looks like a PostgreSQL version' : ''})`
    );
  if (m3 && Number(m3[1]) < 2) return 'Aurora MySQL 3.02.0 or later (8.0.mysql_aurora.3.02.0) for Serverless v2';
  return undefined;
}

/** RFC 1918 private ranges: the only ones berth puts a VPC in. */
const PRIVATE = [
  { base: [10, 0, 0, 0], prefix: 8 },
  { base: [172, 16, 0, 0], prefix: 12 },
  { base: [192, 168, 0, 0], prefix: 16 },
] as const;

const toInt = (o: readonly number[]) => ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
const maskOf = (p: number) => (p === 0 ? 0 : (~0 << (32 - p)) >>> 0);

/**
 * Why AWS would refuse this VPC CIDR (or why it means something else), or undefined. AWS takes
 * /16 to /28; berth's subnet plan carves /24s at offsets up to 23, so it needs /16 to /19.
 */
export function vpcCidrProblem(cidr: string): string | undefined {
  const p = parseCidr(cidr);
  if (!p) return 'an IPv4 CIDR such as "10.0.0.0/16"';
  const n = toInt(p.octets);
  const inPrivate = PRIVATE.find((r) => p.prefix >= r.prefix && (n & maskOf(r.prefix)) >>> 0 === toInt(r.base));
  if (!inPrivate) {
    const what =
      p.octets[0] === 127
        ? 'a loopback range'
        : p.octets[0]! >= 224 && p.octets[0]! <= 239
          ? 'a multicast range'
          : p.octets[0]! >= 240
            ? 'a reserved range'
            : p.octets[0] === 169 && p.octets[1] === 254
              ? 'a link-local range'
              : p.octets[0] === 0
                ? 'the "this network" range'
                : 'a public range';
    return `a private RFC 1918 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16); ${cidr} is ${what}`;
  }
  if (p.prefix < 16 || p.prefix > 28) return 'a block size AWS accepts for a VPC: /16 to /28';
  if (p.prefix > 19) return 'a /16 to /19 block: berth carves /24 subnets at x.x.1-4, x.x.10-13 and x.x.20-23 of it';
  return undefined;
}
