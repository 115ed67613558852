/**
 * "Can the service reach the data tier?", by AWS's rules, decided by the shared reachability model
 * (src/network/reach.ts reachPeer, the one the sandbox emulator runs): inside a VPC the local route
 * carries the traffic whatever the route tables say about 0.0.0.0/0, so what decides is that the
 * store is in the services' VPC and that the security groups let the port through on both sides
 * (the service's egress, the store's ingress from the service's group or a CIDR covering the tasks'
 * subnets). Not read: network ACLs, and routes more specific than the VPC's (a firewall appliance);
 * a store in another VPC (peering, transit gateway) is a WARN: berth does not follow those routes.
 */
import type { ServiceConfig } from '../../config/types.js';
import { factsOfVpc } from '../../network/from-ec2.js';
import { blockingIds, reachPeer } from '../../network/reach.js';
import type { Verdict } from '../../network/types.js';
import type { SecurityGroupFacts } from '../facts.js';
import { fail, pass, warn } from '../lib/finding.js';
import type { Endpoint } from '../lib/sg.js';
import { subnetTier } from '../lib/tiers.js';
import type { CheckInput, Finding } from '../types.js';
import { linkFinding, tiersOf } from './security-groups.js';

type Check = 'database.reachability' | 'redis.reachability';

/** The model's verdict on tcp `port` from the service's tasks (their subnets and groups) to the store. */
function verdictOf(
  region: string,
  sg: SecurityGroupFacts,
  appSubnetIds: string[],
  app: Endpoint,
  end: Endpoint,
  destSubnetIds: string[],
  port: number,
) {
  const facts = factsOfVpc(region, sg.network, sg.groups);
  const dst = destSubnetIds.length
    ? { subnetIds: destSubnetIds, securityGroupIds: end.groupIds, port }
    : { cidrs: end.cidrs, securityGroupIds: end.groupIds, port };
  return reachPeer(facts, { subnetIds: appSubnetIds, securityGroupIds: app.groupIds }, dst);
}

export function reachability(
  check: Check,
  sg: SecurityGroupFacts,
  svc: ServiceConfig,
  input: CheckInput,
  dest: 'db' | 'cache',
  destSubnetIds: string[],
): Finding {
  const { env } = input;
  const t = tiersOf(sg, env, input.services);
  const app = t.apps[svc.name]!;
  const end = dest === 'db' ? t.db : t.cache;
  const port = dest === 'db' ? t.dbPort : t.cachePort;
  const label = dest === 'db' ? 'the database' : 'Redis';
  const net = sg.network;
  const sf = sg.services.find((s) => s.name === svc.name);
  const appSubnetIds =
    sf?.service?.networkConfiguration?.awsvpcConfiguration?.subnets ??
    net.subnets.filter((s) => subnetTier(s, env) === 'private').map((s) => s.SubnetId!);
  const linkF = linkFinding(
    dest === 'db' ? 'security-groups.app-to-db' : 'security-groups.app-to-cache',
    sg.groups,
    app,
    end,
    port,
    t.named.app,
    dest === 'db' ? t.named.db : t.named.cache,
    svc.name,
  );
  // No group on one side: nothing for the model to judge; the link check says which.
  if (!app.groupIds.length || !end.groupIds.length) return { ...linkF, check };
  const v = verdictOf(env.region, sg, appSubnetIds, app, end, destSubnetIds, port);
  const evidence = {
    port,
    via: v.via ?? null,
    path: v.path,
    appSubnets: appSubnetIds,
    appGroups: app.groupIds,
    [dest === 'db' ? 'databaseGroups' : 'cacheGroups']: end.groupIds,
    [dest === 'db' ? 'databaseSubnets' : 'cacheSubnets']: destSubnetIds,
    egress: linkF.evidence.egress ?? 'no rule',
    ingress: linkF.evidence.ingress ?? 'no rule',
    blockers: v.blockers.map((b) => `${b.problem}: ${b.ids.join(', ')}`),
  };
  const head = `service ${svc.name} -> ${label} on ${port}`;
  if (v.ok)
    return pass(check, {
      resource: end.groupIds[0],
      service: svc.name,
      message: `${head}: same VPC (the local route), egress and ingress allowed`,
      evidence,
    });
  return blockedFinding(check, v, head, net.vpc?.VpcId, linkF, evidence, svc.name);
}

function blockedFinding(
  check: Check,
  v: Verdict,
  head: string,
  vpcId: string | undefined,
  linkF: Finding,
  evidence: Finding['evidence'],
  service: string,
): Finding {
  const other = v.blockers.find((b) => b.problem === 'other-vpc');
  if (other)
    return warn(check, {
      resource: other.ids[0],
      service,
      message: `${head}: subnet ${other.ids.join(', ')} is not in ${vpcId ?? "the services' VPC"}: reachable only over a peering connection or a transit gateway, whose routes berth does not check`,
      evidence,
    });
  const why = v.blockers.map((b) =>
    b.problem === 'sg-egress'
      ? `no egress rule on ${b.ids.join(', ')} allows it out`
      : b.problem === 'sg-ingress'
        ? `no ingress rule on ${b.ids.join(', ')} lets it in`
        : `${b.problem} (${b.ids.join(', ')})`,
  );
  return fail(check, {
    resource: linkF.status === 'FAIL' ? linkF.resource : blockingIds(v)[0],
    service,
    message: `${head} is blocked: ${why.join('; ')}`,
    evidence,
    fix: linkF.fix,
    see: [linkF.check],
  });
}
