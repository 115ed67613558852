/**
 * The resource map checked before any AWS call (exit 2, naming the field, the value and what was
 * expected): ids look like the ids AWS gives that kind of resource, ARNs like ARNs. Pure.
 */
import { UsageError } from '../output/errors.js';
import type { ResourceMap } from './resource-map.js';

const ID: Record<string, RegExp> = {
  vpc: /^vpc-[0-9a-f]{8,17}$/,
  subnet: /^subnet-[0-9a-f]{8,17}$/,
  rtb: /^rtb-[0-9a-f]{8,17}$/,
  igw: /^igw-[0-9a-f]{8,17}$/,
  nat: /^nat-[0-9a-f]{8,17}$/,
  sg: /^sg-[0-9a-f]{8,17}$/,
  arn: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/,
  zone: /^(\/hostedzone\/)?[A-Z0-9]{1,32}$/,
};
const WHAT: Record<string, string> = {
  vpc: 'a VPC id (vpc-...)',
  subnet: 'a subnet id (subnet-...)',
  rtb: 'a route table id (rtb-...)',
  igw: 'an internet gateway id (igw-...)',
  nat: 'a NAT gateway id (nat-...)',
  sg: 'a security group id (sg-...)',
  arn: 'an ARN (arn:aws:...)',
  zone: 'a hosted zone id (Z...)',
};

function check(field: string, value: unknown, kind: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !ID[kind]!.test(value))
    throw new UsageError(`${field}: ${JSON.stringify(value)} is not ${WHAT[kind]}.`, {
      code: 'config.invalid',
      hint: 'Fix the resource map in the environment file (berth discover writes it); nothing was read or written.',
    });
}

function list(field: string, value: unknown, kind: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value))
    throw new UsageError(`${field}: expected a list of ids, found ${JSON.stringify(value)}.`, { code: 'config.invalid' });
  value.forEach((v, i) => check(`${field}[${i}]`, v, kind));
}

export function validateResourceMap(map: ResourceMap): void {
  check('resources.vpc', map.vpc, 'vpc');
  for (const tier of ['public', 'private', 'database'] as const) {
    list(`resources.subnets.${tier}`, map.subnets?.[tier], 'subnet');
    list(`resources.routeTables.${tier}`, map.routeTables?.[tier], 'rtb');
  }
  check('resources.internetGateway', map.internetGateway, 'igw');
  list('resources.natGateways', map.natGateways, 'nat');
  for (const [role, id] of Object.entries(map.securityGroups ?? {})) check(`resources.securityGroups.${role}`, id, 'sg');
  check('resources.loadBalancer.httpListener', map.loadBalancer?.httpListener, 'arn');
  check('resources.loadBalancer.httpsListener', map.loadBalancer?.httpsListener, 'arn');
  check('resources.certificate', map.certificate, 'arn');
  check('resources.hostedZone', map.hostedZone, 'zone');
  for (const [svc, s] of Object.entries(map.services ?? {})) check(`resources.services.${svc}.listenerRule`, s.listenerRule, 'arn');
  if (map.subnets && !map.vpc)
    throw new UsageError('resources.subnets: the map names subnets but no `vpc`; expected both.', { code: 'config.invalid' });
}
