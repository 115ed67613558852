/**
 * Test helper: berth's doctor (network and security-groups groups, in-process) on a test world of
 * the emulator, and the AWS CLI fixes it prints applied through the SDK, as an operator would run
 * them. A fix this helper cannot read fails the test, naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssociateRouteTableCommand, AuthorizeSecurityGroupEgressCommand, CreateTagsCommand } from '@aws-sdk/client-ec2';
import { parseEnvironment } from '../../src/config/load.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { checkNetwork } from '../../src/doctor/checks/network.js';
import { checkSecurityGroups } from '../../src/doctor/checks/security-groups.js';
import { gatherNetwork, gatherSecurityGroups } from '../../src/doctor/gather/groups.js';
import { Source } from '../../src/doctor/gather/source.js';
import type { Finding } from '../../src/doctor/types.js';
import type { World } from './world.js';

/** The runbooks' platform environment, named so that berth's names are the world's (demo-sandbox). */
export async function worldEnv(w: World): Promise<EnvironmentConfig> {
  const file = join(process.cwd(), 'templates/environments/platform.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  await w.ec2.send(new CreateTagsCommand({ Resources: [w.vpc], Tags: [{ Key: 'Name', Value: 'demo-sandbox-vpc' }] }));
  return parseEnvironment({ ...raw, name: 'sandbox', app: 'demo', region: 'us-east-1', protected: false }, file, 'sandbox');
}

export async function doctor(w: World, env: EnvironmentConfig): Promise<Finding[]> {
  const src = new Source({ ctx: { ...w.cfg, sandbox: true }, env, services: env.services });
  const input = { env, services: env.services, now: new Date() };
  const [net, sg] = await Promise.all([gatherNetwork(src), gatherSecurityGroups(src)]);
  return [...checkNetwork(net, input), ...checkSecurityGroups(sg, input)];
}

const ASSOCIATE = /^aws ec2 associate-route-table --route-table-id (rtb-[0-9a-f]+) --subnet-id (subnet-[0-9a-f]+)$/;
const EGRESS_GROUP =
  /^aws ec2 authorize-security-group-egress --group-id (sg-[0-9a-f]+) --ip-permissions 'IpProtocol=tcp,FromPort=(\d+),ToPort=(\d+),UserIdGroupPairs=\[\{GroupId=(sg-[0-9a-f]+)\}\]'$/;

/** Run a printed fix command through the SDK. */
export async function applyFix(w: World, command: string): Promise<void> {
  let m = ASSOCIATE.exec(command);
  if (m) {
    await w.ec2.send(new AssociateRouteTableCommand({ RouteTableId: m[1], SubnetId: m[2] }));
    return;
  }
  m = EGRESS_GROUP.exec(command);
  if (m) {
    await w.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: m[1],
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: Number(m[2]), ToPort: Number(m[3]), UserIdGroupPairs: [{ GroupId: m[4] }] }],
      }),
    );
    return;
  }
  throw new Error(`the test cannot apply this fix: ${command}`);
}
