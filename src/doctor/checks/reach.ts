/**
 * "Can the service reach the data tier?": the route facts of the network group applied to the
 * service's subnets and the data subnets, and the security-group link on the data port, together.
 */
import type { ServiceConfig } from '../../config/types.js';
import type { SecurityGroupFacts } from '../facts.js';
import { contains as cidrContains } from '../../network/cidr.js';
import { fail, pass } from '../lib/finding.js';
import { effectiveRouteTable } from '../../network/from-ec2.js';
import { judgeLink } from '../lib/sg.js';
import { subnetTier } from '../lib/tiers.js';
import type { CheckInput, Finding } from '../types.js';
import { routeFinding } from './network.js';
import { fixGroup, linkFinding, tiersOf } from './security-groups.js';

export function reachability(
  check: 'database.reachability' | 'redis.reachability',
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
  const subnetIds = [...new Set([...appSubnetIds, ...destSubnetIds])];
  const routes = subnetIds.map((id) => {
    const s = net.subnets.find((x) => x.SubnetId === id);
    if (!s) return { id, ok: false, text: `${id}: not in the VPC` };
    const tier = subnetTier(s, env) ?? (destSubnetIds.includes(id) ? 'database' : 'private');
    const f = routeFinding(s, tier === 'public' ? 'private' : tier, net, input);
    const eff = effectiveRouteTable(id, net.vpc?.VpcId, net.routeTables);
    const local = eff.table?.Routes?.some(
      (r) =>
        r.GatewayId === 'local' && r.DestinationCidrBlock && net.vpc?.CidrBlock && cidrContains(r.DestinationCidrBlock, net.vpc.CidrBlock),
    );
    // A platform berth did not build may keep its data tier isolated: there only the local route counts.
    const isolated = Boolean(env.resources?.subnets) && destSubnetIds.includes(id) && !appSubnetIds.includes(id);
    const ok = (isolated || f.status === 'PASS') && local !== false;
    return {
      id,
      ok,
      text: `${id}: ${ok ? 'routed' : `${f.evidence.routeTable ?? 'no route table'} (${f.evidence.association}), default route ${f.evidence.defaultRoute}`}${local === false ? ', no local route' : ''}`,
    };
  });
  const link = judgeLink(sg.groups, app, end, port);
  const linkF = linkFinding(
    check.startsWith('database') ? 'security-groups.app-to-db' : 'security-groups.app-to-cache',
    sg.groups,
    app,
    end,
    port,
    t.named.app,
    dest === 'db' ? t.named.db : t.named.cache,
    svc.name,
  );
  const named = dest === 'db' ? t.named.db : t.named.cache;
  const attached = named?.GroupId ? end.groupIds.includes(named.GroupId) : true;
  const evidence = {
    port,
    appGroups: app.groupIds,
    [dest === 'db' ? 'databaseGroups' : 'cacheGroups']: end.groupIds,
    egress: link.egress ? `${link.egress.groupId}: ${link.egress.rule}` : 'no rule',
    ingress: link.ingress ? `${link.ingress.groupId}: ${link.ingress.rule}` : 'no rule',
    routes: routes.map((r) => r.text),
  };
  const badRoutes = routes.filter((r) => !r.ok);
  const problems = [
    ...(!link.ok ? [linkF.message] : []),
    ...(badRoutes.length ? [`subnet ${badRoutes.map((r) => r.id).join(', ')} not routed through an available NAT gateway`] : []),
    ...(!attached ? [`${label} does not use berth's group ${named?.GroupId} (it uses ${end.groupIds.join(', ')})`] : []),
  ];
  if (!problems.length)
    return pass(check, {
      resource: end.groupIds[0],
      service: svc.name,
      message: `service ${svc.name} -> ${label} on ${port}: routed, egress and ingress allowed`,
      evidence,
    });
  return fail(check, {
    resource: !link.ok ? (linkF.resource ?? fixGroup(app, t.named.app)) : (badRoutes[0]?.id ?? end.groupIds[0]),
    service: svc.name,
    message: `service ${svc.name} -> ${label} on ${port}: ${problems.join('; ')}`,
    evidence,
    fix: linkF.fix,
    see: [...(!link.ok ? [linkF.check] : []), ...(badRoutes.length ? ['network.private-route', 'network.database-route'] : [])],
  });
}
