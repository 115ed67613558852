/**
 * Fixes for what the reachability model (src/network) says blocks a task, naming the real
 * resources: the route table to associate (one with which the subnet WOULD get out, found by asking
 * the same model), the association to replace, the group to open.
 */
import type { RouteTable } from '@aws-sdk/client-ec2';
import { effectiveTable, internetWay } from '../../network/routes.js';
import type { Blocker, NetFacts, TaskPlace } from '../../network/types.js';
import { shq } from './finding.js';

const ROUTE_PROBLEMS = new Set([
  'no-route-table',
  'no-default-route',
  'blackhole',
  'nat-missing',
  'nat-unavailable',
  'nat-no-internet',
  'igw-detached',
  'unmodelled-target',
]);

export const isRouteProblem = (b: Blocker) => ROUTE_PROBLEMS.has(b.problem);

/** The facts with `subnetId` associated with table `rtb` instead of its current one. */
function associatedWith(f: NetFacts, subnetId: string, rtb: string): NetFacts {
  return {
    ...f,
    routeTables: f.routeTables.map((t) => ({
      ...t,
      subnetIds: t.id === rtb ? [...t.subnetIds.filter((s) => s !== subnetId), subnetId] : t.subnetIds.filter((s) => s !== subnetId),
    })),
  };
}

/** A table of the subnet's VPC that would take it out to the internet (a NAT gateway first; an IGW only with a public IP). */
export function wayOutTable(f: NetFacts, task: TaskPlace): string | undefined {
  const vpcId = f.subnets.find((s) => s.id === task.subnetId)?.vpcId;
  const current = effectiveTable(f, task.subnetId).table?.id;
  const ok = f.routeTables
    .filter((t) => t.vpcId === vpcId && t.id !== current)
    .map((t) => ({ t, way: internetWay(associatedWith(f, task.subnetId, t.id), task.subnetId, Boolean(task.publicIp)) }))
    .filter((x) => !x.way.blockers.length);
  return (ok.find((x) => x.way.via === 'nat-gateway') ?? ok[0])?.t.id;
}

/** The commands that put a subnet on a table that gets it out. */
export function routeFix(f: NetFacts, sdkTables: RouteTable[], task: TaskPlace): { commands: string[]; note?: string } {
  const sid = task.subnetId;
  const eff = effectiveTable(f, sid);
  const target = wayOutTable(f, task);
  const assoc = sdkTables.flatMap((t) => t.Associations ?? []).find((a) => a.SubnetId === sid && !a.Main)?.RouteTableAssociationId;
  if (target)
    return {
      commands: [
        eff.explicit && assoc
          ? `aws ec2 replace-route-table-association --association-id ${assoc} --route-table-id ${target}`
          : `aws ec2 associate-route-table --route-table-id ${target} --subnet-id ${sid}`,
      ],
    };
  const nat = f.natGateways.find((n) => (n.state ?? 'available') === 'available' && n.public !== false);
  const vpcId = f.subnets.find((s) => s.id === sid)?.vpcId ?? '<vpc-id>';
  return {
    commands: [
      `aws ec2 create-route-table --vpc-id ${vpcId}`,
      `aws ec2 create-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${nat?.id ?? '<nat-id>'}`,
      eff.explicit && assoc
        ? `aws ec2 replace-route-table-association --association-id ${assoc} --route-table-id <rtb-id>`
        : `aws ec2 associate-route-table --route-table-id <rtb-id> --subnet-id ${sid}`,
    ],
    note: nat
      ? undefined
      : 'There is no available NAT gateway that reaches the internet: create one in a public subnet first (network.nat-gateway).',
  };
}

/** The commands that open what a security-group blocker closes, for HTTPS to AWS. */
export function sgFix(b: Blocker, task: TaskPlace): string[] {
  if (b.problem === 'sg-egress' && b.ids[0])
    return [
      `aws ec2 authorize-security-group-egress --group-id ${b.ids[0]} --ip-permissions ${shq('IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]')}`,
    ];
  if (b.problem === 'sg-ingress' && task.securityGroupIds[0])
    return b.ids.map(
      (g) =>
        `aws ec2 authorize-security-group-ingress --group-id ${g} --protocol tcp --port 443 --source-group ${task.securityGroupIds[0]}`,
    );
  return [];
}
