/**
 * The four security groups and every rule between them, as separate rule resources (one per port
 * and peer, each with a description) so that a plan shows exactly which path opens or closes.
 *
 *   internet --80,443--> ALB --service ports--> app --443--> 0.0.0.0/0 (AWS APIs, ECR, external APIs)
 *                                                app --db port--> db
 *                                                app --6379-----> cache
 *
 * Nothing else reaches the data tier, and the data tier has no egress at all (terraform removes the
 * default allow-all egress rule of a group it creates). Incident 3 of the runbooks is the app
 * group missing egress to the data tier; both sides of every path are created here together.
 */
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { cacheSharesDatabaseGroup } from '../../src/config/adopted-tiers.js';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export const DB_PORT = { postgresql: 5432, mysql: 3306 } as const;
export const REDIS_PORT = 6379;

export interface SecurityProps {
  env: EnvironmentConfig;
  vpcId: string;
  /** Ports the app tasks listen on. Default: the distinct `port`s of `env.services`. */
  servicePorts?: number[];
  /** Database port. Default: 5432 for PostgreSQL, 3306 for MySQL (`env.database.engine`). */
  databasePort?: number;
  /** Ports the ALB accepts from the internet. Default: [80, 443] (80 only redirects to 443). */
  publicPorts?: number[];
  /**
   * CIDR the ALB accepts traffic from. Default: `0.0.0.0/0` (a public service). Narrow it for an
   * internal-only environment.
   */
  publicIngressCidr?: string;
}

export class Security extends Construct {
  readonly albSecurityGroupId: string;
  readonly appSecurityGroupId: string;
  readonly dbSecurityGroupId: string;
  readonly cacheSecurityGroupId: string;

  constructor(scope: Construct, id: string, props: SecurityProps) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const servicePorts = props.servicePorts ?? [...new Set(env.services.map((s) => s.port))].sort((a, b) => a - b);
    const dbPort = props.databasePort ?? DB_PORT[env.database.engine];
    const publicPorts = props.publicPorts ?? [80, 443];
    const anywhere = props.publicIngressCidr ?? '0.0.0.0/0';

    // Descriptions are fixed text: changing a group's description replaces the group.
    const group = (key: string, name: string, description: string) =>
      new SecurityGroup(this, key, { name, description, vpcId: props.vpcId, tags: { Name: name } });
    const alb = group('alb', n.albSecurityGroup, `Load balancer of ${n.prefix}: HTTP and HTTPS from the internet`);
    const app = group('app', n.serviceSecurityGroup, `ECS tasks of ${n.prefix}: service ports from the load balancer only`);
    const db = group('db', n.databaseSecurityGroup, `Aurora of ${n.prefix}: database port from the app tasks only`);
    // A platform whose map names one group for its database and cache keeps it for both (src/config/adopted-tiers.ts).
    const cache = cacheSharesDatabaseGroup(env)
      ? db
      : group('cache', n.cacheSecurityGroup, `Redis of ${n.prefix}: 6379 from the app tasks only`);
    this.albSecurityGroupId = alb.id;
    this.appSecurityGroupId = app.id;
    this.dbSecurityGroupId = db.id;
    this.cacheSecurityGroupId = cache.id;

    const ingress = (key: string, groupId: string, port: number, description: string, from: { cidr?: string; group?: string }) =>
      new VpcSecurityGroupIngressRule(this, key, {
        securityGroupId: groupId,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: from.cidr,
        referencedSecurityGroupId: from.group,
      });
    const egress = (key: string, groupId: string, port: number, description: string, to: { cidr?: string; group?: string }) =>
      new VpcSecurityGroupEgressRule(this, key, {
        securityGroupId: groupId,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: to.cidr,
        referencedSecurityGroupId: to.group,
      });

    for (const p of publicPorts)
      ingress(
        `alb-in-${p}`,
        alb.id,
        p,
        `${p === 80 ? 'HTTP (redirected to HTTPS)' : p === 443 ? 'HTTPS' : `Port ${p}`} from the internet`,
        { cidr: anywhere },
      );
    for (const p of servicePorts) {
      egress(`alb-out-app-${p}`, alb.id, p, `To the app tasks on service port ${p}`, { group: app.id });
      ingress(`app-in-alb-${p}`, app.id, p, `Service port ${p} from the load balancer`, { group: alb.id });
    }
    egress('app-out-https', app.id, 443, 'HTTPS to AWS APIs, ECR and external APIs', { cidr: '0.0.0.0/0' });
    egress(`app-out-db-${dbPort}`, app.id, dbPort, `To Aurora ${env.database.engine} on ${dbPort}`, { group: db.id });
    egress(`app-out-cache-${REDIS_PORT}`, app.id, REDIS_PORT, `To Redis on ${REDIS_PORT}`, { group: cache.id });
    ingress(`db-in-app-${dbPort}`, db.id, dbPort, `Aurora ${env.database.engine} from the app tasks`, { group: app.id });
    ingress(`cache-in-app-${REDIS_PORT}`, cache.id, REDIS_PORT, 'Redis from the app tasks', { group: app.id });
  }
}
