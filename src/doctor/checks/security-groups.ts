/**
 * security-groups: the chain ALB -> service port -> database port / cache port, each link allowed
 * on BOTH sides (egress of the source group, ingress of the destination group, by group reference
 * or a CIDR covering the other side's subnets), and nothing else open to the data tier.
 * Incident: routing fixed, connections still failing, because the app group allowed egress on 443 only.
 */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { names, refLabel, type Ref } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import type { SecurityGroupFacts, ServiceFacts } from '../facts.js';
import { ANYWHERE } from '../../network/cidr.js';
import { fail, pass, tag, warn } from '../lib/finding.js';
import { type Endpoint, exposures, judgeLink, linkFixCommands } from '../lib/sg.js';
import { cidrsOf, subnetsByTier } from '../lib/tiers.js';
import type { CheckInput, Evidence, Finding } from '../types.js';

export type Role = 'alb' | 'app' | 'db' | 'cache';

export interface Tiers {
  /** The group berth names for each role, if it exists. */
  named: Record<Role, SecurityGroup | undefined>;
  alb: Endpoint;
  apps: Record<string, Endpoint>;
  db: Endpoint;
  cache: Endpoint;
  dbPort: number;
  cachePort: number;
  vpcCidr?: string;
}

export const INTERNET: Endpoint = { label: 'the internet', groupIds: [], cidrs: [ANYWHERE] };

/** The group of a role: by the id the resource map pins, else by berth's group name (or Name tag). */
function findNamed(groups: SecurityGroup[], ref: Ref): SecurityGroup | undefined {
  if ('id' in ref) return groups.find((g) => g.GroupId === ref.id);
  return groups.find((g) => g.GroupName === ref.name) ?? groups.find((g) => tag(g.Tags, 'Name') === ref.name);
}

/** The resolver's reference for each role of the chain. */
function roleRefs(env: EnvironmentConfig): Record<Role, Ref> {
  const r = names(env).refs;
  return { alb: r.securityGroup('alb'), app: r.securityGroup('service'), db: r.securityGroup('database'), cache: r.securityGroup('cache') };
}

/** Services that read a platform secret (`@database:` / `@redis:`); all of them when none does. */
export function servicesUsing(kind: '@database' | '@redis', services: ServiceConfig[], env?: EnvironmentConfig): ServiceConfig[] {
  // A platform berth did not build: the secret the resource map pins for the store stands for `@database` / `@redis`.
  const pinned = kind === '@database' ? env?.resources?.database?.secret : env?.resources?.cache?.secret;
  const refs = (v: string) =>
    v.startsWith(kind + ':') || v === kind || (pinned !== undefined && (v === pinned || v.startsWith(pinned + ':')));
  const users = services.filter((s) => Object.values(s.secrets).some(refs));
  return users.length ? users : services;
}

/** Whether the environment has the store at all: berth's always do; a platform berth did not build, when its map pins it. */
export function hasStore(kind: 'database' | 'cache', env: EnvironmentConfig): boolean {
  return !env.resources || env.resources[kind] !== undefined;
}

export function dbPortOf(f: { dbCluster?: { Port?: number } }, env: EnvironmentConfig): number {
  return f.dbCluster?.Port ?? (env.database.engine === 'mysql' ? 3306 : 5432);
}

export function tiersOf(f: SecurityGroupFacts, env: EnvironmentConfig, services: ServiceConfig[]): Tiers {
  const refs = roleRefs(env);
  const named: Record<Role, SecurityGroup | undefined> = {
    alb: findNamed(f.groups, refs.alb),
    app: findNamed(f.groups, refs.app),
    db: findNamed(f.groups, refs.db),
    cache: findNamed(f.groups, refs.cache),
  };
  const byTier = subnetsByTier(f.network.subnets, env);
  const cidrsOfIds = (ids: string[] | undefined) => cidrsOf(f.network.subnets.filter((s) => ids?.includes(s.SubnetId ?? '')));
  const ids = (xs: (string | undefined)[] | undefined, fallback: SecurityGroup | undefined) => {
    const got = (xs ?? []).filter((x): x is string => Boolean(x));
    return got.length ? got : fallback?.GroupId ? [fallback.GroupId] : [];
  };
  const apps: Record<string, Endpoint> = {};
  for (const svc of services) {
    const sf: ServiceFacts | undefined = f.services.find((s) => s.name === svc.name);
    const vpcCfg = sf?.service?.networkConfiguration?.awsvpcConfiguration;
    const cidrs = cidrsOfIds(vpcCfg?.subnets);
    apps[svc.name] = {
      label: `service ${svc.name}`,
      groupIds: ids(vpcCfg?.securityGroups, named.app),
      cidrs: cidrs.length ? cidrs : cidrsOf(byTier.private),
    };
  }
  const dbSubnets = cidrsOfIds(f.dbSubnetGroup?.Subnets?.map((s) => s.SubnetIdentifier ?? ''));
  const cacheSubnets = cidrsOfIds(f.cacheSubnetGroup?.Subnets?.map((s) => s.SubnetIdentifier ?? ''));
  const cacheGroups = f.cacheClusters.flatMap((c) => c.SecurityGroups?.map((g) => g.SecurityGroupId) ?? []);
  const rg = f.replicationGroup;
  return {
    named,
    alb: { label: 'the load balancer', groupIds: ids(f.loadBalancer?.SecurityGroups, named.alb), cidrs: cidrsOf(byTier.public) },
    apps,
    db: {
      label: 'the database',
      groupIds: ids(
        f.dbCluster?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId),
        named.db,
      ),
      cidrs: dbSubnets.length ? dbSubnets : cidrsOf(byTier.database),
    },
    cache: {
      label: 'the cache',
      groupIds: ids([...new Set(cacheGroups)], named.cache),
      cidrs: cacheSubnets.length ? cacheSubnets : cidrsOf(byTier.database),
    },
    dbPort: dbPortOf(f, env),
    cachePort: rg?.NodeGroups?.[0]?.PrimaryEndpoint?.Port ?? rg?.ConfigurationEndpoint?.Port ?? 6379,
    vpcCidr: f.network.vpc?.CidrBlock,
  };
}

/** The group to name in a fix: berth's own if it is attached, else the first attached. */
export function fixGroup(e: Endpoint, named: SecurityGroup | undefined): string {
  return named?.GroupId && e.groupIds.includes(named.GroupId) ? named.GroupId : (e.groupIds[0] ?? named?.GroupId ?? '<sg-id>');
}

/** One link of the chain as a finding (shared with the database and redis groups). */
export function linkFinding(
  check: string,
  groups: SecurityGroup[],
  src: Endpoint,
  dst: Endpoint,
  port: number,
  srcNamed: SecurityGroup | undefined,
  dstNamed: SecurityGroup | undefined,
  service?: string,
): Finding {
  const v = judgeLink(groups, src, dst, port);
  const evidence: Evidence = {
    port,
    sourceGroups: src.groupIds,
    destinationGroups: dst.groupIds,
    egress: v.egress ? `${v.egress.groupId}: ${v.egress.rule}` : 'no rule',
    ingress: v.ingress ? `${v.ingress.groupId}: ${v.ingress.rule}` : 'no rule',
  };
  const resource = src.groupIds[0] ?? dst.groupIds[0];
  if (!src.groupIds.length || !dst.groupIds.length)
    return fail(check, {
      resource,
      service,
      message: `cannot check ${src.label} -> ${dst.label} on ${port}: ${!src.groupIds.length ? src.label : dst.label} has no security group`,
      evidence,
      see: ['security-groups.found'],
    });
  if (v.ok)
    return pass(check, { resource, service, message: `${src.label} -> ${dst.label} on ${port}: egress and ingress allowed`, evidence });
  const sides = [
    !v.egress && `no egress rule on ${src.groupIds.join(', ')} allows tcp ${port} to ${dst.label}`,
    !v.ingress && `no ingress rule on ${dst.groupIds.join(', ')} allows tcp ${port} from ${src.label}`,
  ].filter(Boolean);
  const s = fixGroup(src, srcNamed);
  const d = dst === INTERNET ? undefined : fixGroup(dst, dstNamed);
  const commands = d
    ? linkFixCommands(v, s, d, port)
    : [
        `aws ec2 authorize-security-group-egress --group-id ${s} --ip-permissions 'IpProtocol=tcp,FromPort=${port},ToPort=${port},IpRanges=[{CidrIp=0.0.0.0/0}]'`,
      ];
  return fail(check, {
    resource: v.egress ? (d ?? resource) : s,
    service,
    message: `${src.label} -> ${dst.label} on ${port} is blocked: ${sides.join('; ')}`,
    evidence,
    fix: { commands },
  });
}

// eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 109 lines
export function checkSecurityGroups(f: SecurityGroupFacts, input: CheckInput): Finding[] {
  const { env, services } = input;
  const refs = roleRefs(env);
  const t = tiersOf(f, env, services);
  const out: Finding[] = [];
  const groups = f.groups;

  // A platform berth did not build (the resource map pins its groups) has the roles it pins; berth's has all four.
  const pinned = env.resources?.securityGroups;
  const roles = (['alb', 'app', 'db', 'cache'] as const).filter(
    (r) => !pinned || pinned[r === 'app' ? 'service' : r === 'db' ? 'database' : r] !== undefined,
  );
  const want: [Role, string][] = roles.map((r) => [r, refLabel(refs[r])]);
  const ev: Evidence = {};
  for (const [r, name] of want) ev[name] = t.named[r]?.GroupId ?? 'missing';
  const missing = want.filter(([r]) => !t.named[r]).map(([, name]) => name);
  if (!f.network.vpc)
    out.push(
      fail('security-groups.found', { message: 'no VPC: the security groups cannot be looked up', evidence: ev, see: ['network.vpc'] }),
    );
  else if (missing.length)
    out.push(
      fail('security-groups.found', {
        resource: f.network.vpc.VpcId,
        message: `security group ${missing.join(', ')} not found in ${f.network.vpc.VpcId}`,
        evidence: ev,
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else
    out.push(
      pass('security-groups.found', {
        resource: f.network.vpc.VpcId,
        message: `${want.length === 4 ? 'all four' : `the ${want.length} pinned`} security groups exist`,
        evidence: ev,
      }),
    );

  // Internet -> ALB.
  const https = judgeLink(groups, INTERNET, t.alb, 443).ingress;
  const http = judgeLink(groups, INTERNET, t.alb, 80).ingress;
  const albGroup = fixGroup(t.alb, t.named.alb);
  const albEv: Evidence = {
    groups: t.alb.groupIds,
    https: https ? `${https.groupId}: ${https.rule}` : 'no rule',
    http: http ? `${http.groupId}: ${http.rule}` : 'no rule',
  };
  if (!t.alb.groupIds.length)
    out.push(
      fail('security-groups.alb-ingress', {
        message: 'the load balancer has no security group',
        evidence: albEv,
        see: ['security-groups.found'],
      }),
    );
  else if (!https)
    out.push(
      fail('security-groups.alb-ingress', {
        resource: albGroup,
        message: `${albGroup} does not accept 443 from 0.0.0.0/0: nobody can reach the service`,
        evidence: albEv,
        fix: { commands: [`aws ec2 authorize-security-group-ingress --group-id ${albGroup} --protocol tcp --port 443 --cidr 0.0.0.0/0`] },
      }),
    );
  else if (!http)
    out.push(
      warn('security-groups.alb-ingress', {
        resource: albGroup,
        message: `${albGroup} does not accept 80: the HTTP -> HTTPS redirect never answers`,
        evidence: albEv,
        fix: { commands: [`aws ec2 authorize-security-group-ingress --group-id ${albGroup} --protocol tcp --port 80 --cidr 0.0.0.0/0`] },
      }),
    );
  else
    out.push(
      pass('security-groups.alb-ingress', {
        resource: albGroup,
        message: `${albGroup} accepts 80 and 443 from the internet`,
        evidence: albEv,
      }),
    );

  const dbUsers = new Set(hasStore('database', env) ? servicesUsing('@database', services, env).map((s) => s.name) : []);
  const cacheUsers = new Set(hasStore('cache', env) ? servicesUsing('@redis', services, env).map((s) => s.name) : []);
  for (const svc of services) {
    const app = t.apps[svc.name]!;
    out.push(linkFinding('security-groups.alb-to-app', groups, t.alb, app, svc.port, t.named.alb, t.named.app, svc.name));
    const egress = linkFinding('security-groups.app-egress-https', groups, app, INTERNET, 443, t.named.app, undefined, svc.name);
    // Only the app side matters for the internet: nobody's ingress is ours to judge.
    const egressOk = judgeLink(groups, app, INTERNET, 443).egress;
    if (egressOk)
      out.push(
        pass('security-groups.app-egress-https', {
          resource: egressOk.groupId,
          service: svc.name,
          message: `service ${svc.name} may reach 443 (${egressOk.rule})`,
          evidence: { groups: app.groupIds, egress: `${egressOk.groupId}: ${egressOk.rule}` },
        }),
      );
    else if (!app.groupIds.length) out.push(egress);
    else
      out.push(
        fail('security-groups.app-egress-https', {
          resource: fixGroup(app, t.named.app),
          service: svc.name,
          message: `no egress on ${app.groupIds.join(', ')} allows 443 to 0.0.0.0/0: tasks cannot pull images, read secrets or write logs through the NAT gateway`,
          evidence: { groups: app.groupIds, egress: 'no rule' },
          fix: {
            commands: [
              `aws ec2 authorize-security-group-egress --group-id ${fixGroup(app, t.named.app)} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'`,
            ],
          },
        }),
      );
    if (dbUsers.has(svc.name))
      out.push(linkFinding('security-groups.app-to-db', groups, app, t.db, t.dbPort, t.named.app, t.named.db, svc.name));
    if (cacheUsers.has(svc.name))
      out.push(linkFinding('security-groups.app-to-cache', groups, app, t.cache, t.cachePort, t.named.app, t.named.cache, svc.name));
  }

  const appGroups = [...new Set(Object.values(t.apps).flatMap((a) => a.groupIds))];
  const appCidrs = [...new Set(Object.values(t.apps).flatMap((a) => a.cidrs))];
  for (const [check, end, label] of [
    ['security-groups.db-exposure', t.db, 'database'],
    ['security-groups.cache-exposure', t.cache, 'cache'],
  ] as const) {
    if (!hasStore(label === 'database' ? 'database' : 'cache', env)) continue;
    if (!end.groupIds.length) {
      out.push(fail(check, { message: `no ${label} security group to inspect`, evidence: {}, see: ['security-groups.found'] }));
      continue;
    }
    const found = end.groupIds.flatMap((gid) => {
      const sg = groups.find((g) => g.GroupId === gid);
      return sg ? exposures(sg, [...appGroups, ...end.groupIds], appCidrs, t.vpcCidr) : [];
    });
    const bad = found.filter((x) => x.kind === 'world' || x.kind === 'outside-vpc' || x.kind === 'unknown-group');
    const ev: Evidence = { groups: end.groupIds, appGroups, unexpectedSources: found.map((x) => `${x.groupId}: ${x.rule} (${x.kind})`) };
    if (bad.length)
      out.push(
        fail(check, {
          resource: bad[0]!.groupId,
          message: `the ${label} tier is open to ${bad.map((x) => x.source).join(', ')}: only the app group may reach it`,
          evidence: ev,
          fix: { commands: bad.map((x) => x.revoke) },
        }),
      );
    else if (found.length)
      out.push(
        warn(check, {
          resource: found[0]!.groupId,
          message: `the ${label} tier also accepts ${found.map((x) => x.source).join(', ')} (wider than the app subnets)`,
          evidence: ev,
          fix: {
            commands: found.map((x) => x.revoke),
            note: 'Remove these unless something besides the services must reach the data tier.',
          },
        }),
      );
    else
      out.push(
        pass(check, {
          resource: end.groupIds[0],
          message: `only the app group (${appGroups.join(', ')}) can reach the ${label} tier`,
          evidence: ev,
        }),
      );
  }
  return out;
}
