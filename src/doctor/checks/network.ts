/**
 * network: the VPC, its subnets per tier, the gateways, and the route every subnet really uses
 * (explicit association, else the main table). Incident: private subnets associated with no
 * table, while the NAT route lived in a table nobody used.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import type { NetworkFacts } from '../facts.js';
import { fail, pass, plural, tag, warn } from '../lib/finding.js';
import { defaultRouteOf, judgeDefaultRoute, natFor, natTableFor } from '../lib/routes.js';
import { effectiveRouteTable, routeTarget } from '../../network/from-ec2.js';
import { subnetsByTier, TIERS, type Tier } from '../lib/tiers.js';
import type { CheckInput, Finding } from '../types.js';
import { databaseSharesPrivateTier } from '../../config/adopted-tiers.js';
import { names, refLabel } from '../../config/names.js';
import { checkTaskEgress } from './task-egress.js';

// eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 125 lines
export function checkNetwork(f: NetworkFacts, input: CheckInput): Finding[] {
  const { env } = input;
  const n = names(env);
  const out: Finding[] = [];
  const apply = `berth apply --env ${env.name}`;
  if (!f.vpc) {
    out.push(
      fail('network.vpc', {
        resource: refLabel(n.refs.vpc),
        message:
          'id' in n.refs.vpc
            ? `no VPC ${n.refs.vpc.id} (resources.vpc) in ${env.region}`
            : `no VPC named ${n.vpc} (tag Name) or tagged app=${env.app}, environment=${env.name} in ${env.region}`,
        evidence: { expected: refLabel(n.refs.vpc), region: env.region },
        fix: { commands: [apply], note: 'Create the network stack; every other check needs the VPC.' },
      }),
    );
    return out;
  }
  const vpcId = f.vpc.VpcId!;
  const vpcEv = { vpc: vpcId, cidr: f.vpc.CidrBlock ?? null, state: f.vpc.State ?? null, name: tag(f.vpc.Tags, 'Name') ?? null };
  if (f.vpc.State && f.vpc.State !== 'available')
    out.push(fail('network.vpc', { resource: vpcId, message: `VPC ${vpcId} is ${f.vpc.State}`, evidence: vpcEv }));
  else if (f.vpc.CidrBlock && f.vpc.CidrBlock !== env.network.cidr)
    out.push(
      warn('network.vpc', {
        resource: vpcId,
        message: `VPC ${vpcId} has CIDR ${f.vpc.CidrBlock}, the config says ${env.network.cidr}: subnet tiers are found by tag and the plan may not match`,
        evidence: vpcEv,
        fix: { config: `network.cidr: "${f.vpc.CidrBlock}"` },
      }),
    );
  else out.push(pass('network.vpc', { resource: vpcId, message: `VPC ${vpcId} (${f.vpc.CidrBlock}) is available`, evidence: vpcEv }));

  // Subnets per tier.
  const tiers = subnetsByTier(f.subnets, env);
  const want = env.network.azCount;
  const tierEv: Record<string, string[]> = {};
  for (const t of TIERS) tierEv[t] = tiers[t].map((s) => `${s.SubnetId} ${s.CidrBlock} ${s.AvailabilityZone}`);
  // A mapped two-tier platform keeps its data stores in the private subnets: no database tier is expected.
  const shared = databaseSharesPrivateTier(env);
  const expected = TIERS.filter((t) => !(shared && t === 'database'));
  const missing = expected.filter((t) => tiers[t].length === 0);
  const short = expected.filter((t) => tiers[t].length > 0 && new Set(tiers[t].map((s) => s.AvailabilityZone)).size < want);
  if (missing.length)
    out.push(
      fail('network.subnets', {
        resource: vpcId,
        message: `no ${missing.join(', ')} subnets in ${vpcId}`,
        evidence: tierEv,
        fix: { commands: [apply] },
      }),
    );
  else if (short.length)
    out.push(
      warn('network.subnets', {
        resource: vpcId,
        message: `${short.join(', ')} subnets span fewer than ${want} availability zones: one AZ failure takes the tier down`,
        evidence: tierEv,
        fix: { commands: [apply] },
      }),
    );
  else
    out.push(
      pass('network.subnets', {
        resource: vpcId,
        message: shared
          ? `${want} AZs each of public and private subnets (the database and cache share the private ones)`
          : `${want} AZs each of public, private and database subnets`,
        evidence: tierEv,
      }),
    );

  // Internet gateway.
  const igw = f.internetGateways.find((g) =>
    g.Attachments?.some((a) => a.VpcId === vpcId && ['available', 'attached'].includes(String(a.State))),
  );
  if (igw)
    out.push(
      pass('network.internet-gateway', {
        resource: igw.InternetGatewayId,
        message: `${igw.InternetGatewayId} is attached to ${vpcId}`,
        evidence: { internetGateway: igw.InternetGatewayId ?? null, vpc: vpcId },
      }),
    );
  else
    out.push(
      fail('network.internet-gateway', {
        resource: vpcId,
        message: `no internet gateway attached to ${vpcId}: the load balancer and the NAT gateway cannot reach the internet`,
        evidence: { vpc: vpcId, internetGateways: f.internetGateways.map((g) => g.InternetGatewayId ?? '?') },
        fix: {
          commands: ['aws ec2 create-internet-gateway', `aws ec2 attach-internet-gateway --internet-gateway-id <igw-id> --vpc-id ${vpcId}`],
          note: `or re-create the network stack: ${apply}`,
        },
      }),
    );

  // NAT gateways.
  const publicIds = new Set(tiers.public.map((s) => s.SubnetId));
  const avail = f.natGateways.filter((g) => g.State === 'available');
  const natEv = { natGateways: f.natGateways.map((g) => `${g.NatGatewayId} ${g.State} in ${g.SubnetId}`) };
  const misplaced = avail.filter((g) => !publicIds.has(g.SubnetId));
  if (!avail.length)
    out.push(
      fail('network.nat-gateway', {
        resource: vpcId,
        message: f.natGateways.length
          ? `no NAT gateway of ${vpcId} is available (${f.natGateways.map((g) => `${g.NatGatewayId}: ${g.State}`).join(', ')})`
          : `${vpcId} has no NAT gateway: private subnets cannot reach ECR, Secrets Manager or the internet`,
        evidence: natEv,
        fix: {
          commands: [
            'aws ec2 allocate-address --domain vpc',
            `aws ec2 create-nat-gateway --subnet-id ${tiers.public[0]?.SubnetId ?? '<public-subnet-id>'} --allocation-id <eipalloc-id>`,
          ],
          note: `or re-create the network stack: ${apply}`,
        },
      }),
    );
  else if (misplaced.length)
    out.push(
      fail('network.nat-gateway', {
        resource: misplaced[0]!.NatGatewayId,
        message: `NAT gateway ${misplaced.map((g) => `${g.NatGatewayId} (in ${g.SubnetId})`).join(', ')} is not in a public subnet: it has no route to the internet gateway`,
        evidence: { ...natEv, publicSubnets: [...publicIds].filter((x): x is string => Boolean(x)) },
        fix: {
          commands: [
            `aws ec2 create-nat-gateway --subnet-id ${tiers.public[0]?.SubnetId ?? '<public-subnet-id>'} --allocation-id <eipalloc-id>`,
          ],
          note: 'then point the private route tables at the new gateway',
        },
      }),
    );
  else {
    const azs = new Set(avail.map((g) => f.subnets.find((s) => s.SubnetId === g.SubnetId)?.AvailabilityZone));
    if (env.network.nat === 'per-az' && azs.size < want)
      out.push(
        warn('network.nat-gateway', {
          resource: vpcId,
          message: `nat is "per-az" but only ${plural(azs.size, 'AZ')} of ${want} has an available NAT gateway: losing that AZ cuts every private subnet off`,
          evidence: natEv,
          fix: { commands: [apply] },
        }),
      );
    else
      out.push(
        pass('network.nat-gateway', {
          resource: avail[0]!.NatGatewayId,
          message: `${plural(avail.length, 'NAT gateway')} available (${avail.map((g) => g.NatGatewayId).join(', ')})`,
          evidence: natEv,
        }),
      );
  }

  // The database tier is judged apart: AWS needs no route out where no task runs.
  const pinned = Boolean(env.resources?.subnets);
  for (const t of ['public', 'private'] as const) for (const s of tiers[t]) out.push(routeFinding(s, t, f, input));
  out.push(...databaseRoutes(tiers, f, input, pinned));
  out.push(...checkTaskEgress(f, input));
  return out;
}

/**
 * The database subnets. One a service's tasks also run in (a mapped platform's shared subnet) is judged
 * as a private subnet (already done). One where no task runs needs no route out: the services reach the
 * database and cache over the VPC's local route and the stores fetch nothing from the internet. A
 * platform berth did not build often keeps such a tier isolated (PASS); berth's own network stack routes
 * it through NAT, so there a missing route is a WARN (berth's layout, not a fault), with the fix.
 */
function databaseRoutes(tiers: Record<Tier, Subnet[]>, f: NetworkFacts, input: CheckInput, pinned: boolean): Finding[] {
  const taskSubnets = new Set([
    ...tiers.private.map((s) => s.SubnetId),
    ...(f.services ?? []).flatMap((x) => x.service?.networkConfiguration?.awsvpcConfiguration?.subnets ?? []),
  ]);
  return tiers.database
    .filter((s) => !(pinned && tiers.private.some((p) => p.SubnetId === s.SubnetId)))
    .map((s) => {
      const r = routeFinding(s, 'database', f, input);
      if (r.status === 'PASS' || taskSubnets.has(s.SubnetId)) return r;
      if (pinned) {
        const message = `${s.SubnetId} has no route out: an isolated database subnet, where no task runs`;
        return pass(r.check, { resource: r.resource, message, evidence: r.evidence });
      }
      const message = `${r.message.replace(/; tasks there time out .*$/, '')}. No task runs there and the services reach the database over the VPC's local route, so nothing fails; berth's network stack routes its database tier through NAT (berth apply restores that)`;
      return warn(r.check, { resource: r.resource, message, evidence: r.evidence, fix: r.fix, see: r.see });
    });
}

const CHECK_OF: Record<Tier, string> = {
  public: 'network.public-route',
  private: 'network.private-route',
  database: 'network.database-route',
};

/** The verdict on one subnet's effective default route. Exported for the database and redis groups. */
export function routeFinding(s: Subnet, tier: Tier, f: NetworkFacts, _input: CheckInput): Finding {
  const check = CHECK_OF[tier];
  const sid = s.SubnetId!;
  const vpcId = f.vpc?.VpcId ?? s.VpcId;
  const eff = effectiveRouteTable(sid, vpcId, f.routeTables);
  const rtb = eff.table?.RouteTableId;
  const def = defaultRouteOf(eff.table);
  const evidence = {
    subnet: sid,
    tier,
    cidr: s.CidrBlock ?? null,
    az: s.AvailabilityZone ?? null,
    routeTable: rtb ?? null,
    association: eff.explicit ? 'explicit' : 'none (falls back to the main table)',
    defaultRoute: def ? `0.0.0.0/0 -> ${routeTarget(def) ?? '?'} (${def.State ?? 'active'})` : 'none',
  };
  const want = tier === 'public' ? 'igw' : 'nat';
  const v = judgeDefaultRoute(eff.table, want, f.natGateways, f.internetGateways);
  if (v.ok)
    return pass(check, {
      resource: sid,
      message: `${sid} -> ${rtb}${eff.explicit ? '' : ' (main)'} -> 0.0.0.0/0 via ${v.target}`,
      evidence,
    });

  if (want === 'igw') {
    const igw = f.internetGateways.find((g) => g.Attachments?.some((a) => a.VpcId === vpcId));
    const good = f.routeTables.find((t) => judgeDefaultRoute(t, 'igw', [], f.internetGateways).ok);
    const commands =
      !eff.explicit && good
        ? [`aws ec2 associate-route-table --route-table-id ${good.RouteTableId} --subnet-id ${sid}`]
        : rtb
          ? [
              `aws ec2 ${def ? 'replace-route' : 'create-route'} --route-table-id ${rtb} --destination-cidr-block 0.0.0.0/0 --gateway-id ${igw?.InternetGatewayId ?? '<igw-id>'}`,
            ]
          : [`aws ec2 associate-route-table --route-table-id <public-rtb-id> --subnet-id ${sid}`];
    return fail(check, {
      resource: sid,
      message: `public subnet ${sid}: ${describeProblem(v, rtb, eff.explicit)}; the load balancer and NAT gateway there cannot reach the internet`,
      evidence,
      fix: { commands },
    });
  }

  const nat = natFor(s, f.natGateways, f.subnets);
  const natId = nat?.NatGatewayId ?? '<nat-id>';
  const good = natTableFor(s, f.routeTables, f.natGateways, f.subnets);
  if (v.problem === 'other-target')
    return warn(check, {
      resource: sid,
      message: `${sid}: 0.0.0.0/0 goes to ${v.target} (not a NAT gateway); berth cannot tell whether that reaches the internet`,
      evidence,
      fix: {
        note: `If it is a NAT instance, check it is running with source/dest check off; else: aws ec2 replace-route --route-table-id ${rtb} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${natId}`,
      },
    });
  const createTable = (associate: string) => [
    `aws ec2 create-route-table --vpc-id ${vpcId}`,
    `aws ec2 create-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${natId}`,
    associate,
  ];
  let commands: string[];
  if (!eff.explicit) {
    // The incident: the subnet uses the main table; the NAT route lives in a table nobody uses.
    commands = good
      ? [`aws ec2 associate-route-table --route-table-id ${good.RouteTableId} --subnet-id ${sid}`]
      : createTable(`aws ec2 associate-route-table --route-table-id <rtb-id> --subnet-id ${sid}`);
  } else if (v.problem === 'wrong-target') {
    // Its table is a public one (shared with public subnets): move the subnet, do not edit the table.
    const assoc = eff.table?.Associations?.find((a) => a.SubnetId === sid)?.RouteTableAssociationId ?? '<association-id>';
    commands = good
      ? [`aws ec2 replace-route-table-association --association-id ${assoc} --route-table-id ${good.RouteTableId}`]
      : createTable(`aws ec2 replace-route-table-association --association-id ${assoc} --route-table-id <rtb-id>`);
  } else if (!def) commands = [`aws ec2 create-route --route-table-id ${rtb} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${natId}`];
  else commands = [`aws ec2 replace-route --route-table-id ${rtb} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${natId}`];
  return fail(check, {
    resource: sid,
    message: `${tier} subnet ${sid}: ${describeProblem(v, rtb, eff.explicit)}; tasks there time out reaching ECR, Secrets Manager and the internet`,
    evidence: { ...evidence, ...(nat ? { availableNat: natId } : {}), ...(good ? { natRouteTable: good.RouteTableId ?? null } : {}) },
    fix: { commands, ...(nat ? {} : { note: 'There is no available NAT gateway: fix network.nat-gateway first.' }) },
    see: nat ? undefined : ['network.nat-gateway'],
  });
}

function describeProblem(v: ReturnType<typeof judgeDefaultRoute>, rtb: string | undefined, explicit: boolean): string {
  if (v.ok) return 'ok';
  if (v.problem === 'no-table') return 'no route table applies to it (no association and no main table)';
  const where = explicit ? `its route table ${rtb}` : `it has no route table association, so it uses the main table ${rtb}, which`;
  switch (v.problem) {
    case 'no-default-route':
      return `${where} has no 0.0.0.0/0 route`;
    case 'blackhole':
      return `${where} sends 0.0.0.0/0 to ${v.target}, which is gone (blackhole)`;
    case 'nat-missing':
      return `${where} sends 0.0.0.0/0 to ${v.target}, which does not exist`;
    case 'nat-not-available':
    case 'igw-missing':
      return `${where} sends 0.0.0.0/0 to ${v.target}, which is ${v.targetState}`;
    case 'wrong-target':
      return `${where} sends 0.0.0.0/0 to ${v.target}, the wrong kind of gateway for this tier`;
    case 'other-target':
      return `${where} sends 0.0.0.0/0 to ${v.target}`;
  }
}
