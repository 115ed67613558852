/**
 * Security-group decisions: does a set of groups let traffic from one tier to another on a port,
 * on BOTH sides (egress of the source, ingress of the destination), and who else can reach a group.
 */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { ANYWHERE, ANYWHERE6, contains as cidrContains } from '../../network/cidr.js';
import { shq } from './finding.js';
import { ruleOf } from '../../network/from-ec2.js';
import { ruleAllows } from '../../network/rules.js';

/** One side of a link: the groups attached to it and the subnet ranges it lives in. */
export interface Endpoint {
  label: string;
  groupIds: string[];
  /** The ranges its addresses come from (its subnets' CIDRs); a CIDR rule must cover all of them. */
  cidrs: string[];
}

export interface RuleMatch {
  groupId: string;
  rule: string;
}

export function describePermission(p: IpPermission, dir: 'egress' | 'ingress', peer: string): string {
  const proto =
    String(p.IpProtocol) === '-1' ? 'all traffic' : `${p.IpProtocol} ${p.FromPort === p.ToPort ? p.FromPort : `${p.FromPort}-${p.ToPort}`}`;
  return `${proto} ${dir === 'egress' ? 'to' : 'from'} ${peer}`;
}

/** The peer a rule matched, to name it (group id or CIDR). */
function peerMatch(p: IpPermission, peer: Endpoint): string | undefined {
  for (const pair of p.UserIdGroupPairs ?? []) if (pair.GroupId && peer.groupIds.includes(pair.GroupId)) return pair.GroupId;
  for (const r of p.IpRanges ?? []) {
    if (!r.CidrIp) continue;
    if (r.CidrIp === ANYWHERE) return r.CidrIp;
    if (peer.cidrs.length && peer.cidrs.every((c) => cidrContains(r.CidrIp!, c))) return r.CidrIp;
  }
  return undefined;
}

/**
 * The first rule on `side`'s groups that lets `port` through in `dir` to/from `peer`: the decision is
 * the shared reachability model's (src/network/rules.ts, the one the sandbox emulator applies);
 * this names the rule and the peer it matched.
 */
export function allows(
  groups: SecurityGroup[],
  side: Endpoint,
  dir: 'egress' | 'ingress',
  port: number,
  peer: Endpoint,
): RuleMatch | undefined {
  for (const gid of side.groupIds) {
    const sg = groups.find((g) => g.GroupId === gid);
    const perms = (dir === 'egress' ? sg?.IpPermissionsEgress : sg?.IpPermissions) ?? [];
    for (const p of perms) {
      if (!ruleAllows(ruleOf(p), port, { groupIds: peer.groupIds, cidrs: peer.cidrs })) continue;
      return { groupId: gid, rule: describePermission(p, dir, peerMatch(p, peer) ?? '?') };
    }
  }
  return undefined;
}

export interface LinkVerdict {
  ok: boolean;
  egress?: RuleMatch;
  ingress?: RuleMatch;
}

export function judgeLink(groups: SecurityGroup[], src: Endpoint, dst: Endpoint, port: number): LinkVerdict {
  const egress = allows(groups, src, 'egress', port, dst);
  const ingress = allows(groups, dst, 'ingress', port, src);
  return { ok: Boolean(egress && ingress), egress, ingress };
}

/** The commands that open a link's missing side(s), by group reference. */
export function linkFixCommands(v: LinkVerdict, srcGroup: string, dstGroup: string, port: number): string[] {
  const out: string[] = [];
  if (!v.egress)
    out.push(
      `aws ec2 authorize-security-group-egress --group-id ${srcGroup} --ip-permissions ${shq(`IpProtocol=tcp,FromPort=${port},ToPort=${port},UserIdGroupPairs=[{GroupId=${dstGroup}}]`)}`,
    );
  if (!v.ingress)
    out.push(`aws ec2 authorize-security-group-ingress --group-id ${dstGroup} --protocol tcp --port ${port} --source-group ${srcGroup}`);
  return out;
}

export type ExposureKind = 'world' | 'outside-vpc' | 'broad-vpc' | 'unknown-group' | 'prefix-list';

export interface Exposure {
  groupId: string;
  kind: ExposureKind;
  source: string;
  rule: string;
  revoke: string;
}

function portSpec(p: IpPermission): string {
  return String(p.IpProtocol) === '-1' ? 'IpProtocol=-1' : `IpProtocol=${p.IpProtocol},FromPort=${p.FromPort},ToPort=${p.ToPort}`;
}

/**
 * Ingress sources of a data-tier group other than the app tier: the internet, ranges outside the
 * VPC, VPC ranges wider than the app subnets, groups that are not the app's, prefix lists.
 */
export function exposures(sg: SecurityGroup, appGroupIds: string[], appCidrs: string[], vpcCidr: string | undefined): Exposure[] {
  const out: Exposure[] = [];
  const gid = sg.GroupId ?? '?';
  const revoke = (spec: string) => `aws ec2 revoke-security-group-ingress --group-id ${gid} --ip-permissions ${shq(spec)}`;
  for (const p of sg.IpPermissions ?? []) {
    for (const pair of p.UserIdGroupPairs ?? []) {
      if (pair.GroupId && !appGroupIds.includes(pair.GroupId))
        out.push({
          groupId: gid,
          kind: 'unknown-group',
          source: pair.GroupId,
          rule: describePermission(p, 'ingress', pair.GroupId),
          revoke: revoke(`${portSpec(p)},UserIdGroupPairs=[{GroupId=${pair.GroupId}}]`),
        });
    }
    for (const r of p.IpRanges ?? []) {
      const cidr = r.CidrIp;
      if (!cidr) continue;
      let kind: ExposureKind | undefined;
      if (cidr === ANYWHERE) kind = 'world';
      else if (!vpcCidr || !cidrContains(vpcCidr, cidr)) kind = 'outside-vpc';
      else if (!appCidrs.some((a) => cidrContains(a, cidr))) kind = 'broad-vpc';
      if (kind)
        out.push({
          groupId: gid,
          kind,
          source: cidr,
          rule: describePermission(p, 'ingress', cidr),
          revoke: revoke(`${portSpec(p)},IpRanges=[{CidrIp=${cidr}}]`),
        });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!r.CidrIpv6) continue;
      out.push({
        groupId: gid,
        kind: r.CidrIpv6 === ANYWHERE6 ? 'world' : 'outside-vpc',
        source: r.CidrIpv6,
        rule: describePermission(p, 'ingress', r.CidrIpv6),
        revoke: revoke(`${portSpec(p)},Ipv6Ranges=[{CidrIpv6=${r.CidrIpv6}}]`),
      });
    }
    for (const pl of p.PrefixListIds ?? []) {
      if (pl.PrefixListId)
        out.push({
          groupId: gid,
          kind: 'prefix-list',
          source: pl.PrefixListId,
          rule: describePermission(p, 'ingress', pl.PrefixListId),
          revoke: revoke(`${portSpec(p)},PrefixListIds=[{PrefixListId=${pl.PrefixListId}}]`),
        });
    }
  }
  return out;
}
