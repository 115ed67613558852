/**
 * An environment's stacks in one cdktf App: one TerraformStack per concern, wired by cross-stack
 * references (cdktf turns each into an output of the producer and a `terraform_remote_state` read
 * in the consumer, and records the dependency in manifest.json). The dependencies are exactly
 * STACK_DEPENDENCIES of src/config/names.ts; `buildApp` checks that after wiring.
 */
import { App } from 'cdktf';
import { STACK_DEPENDENCIES, serviceNames, stackOrder, type StackKind } from '../src/config/names.js';
import type { EnvironmentConfig } from '../src/config/types.js';
import type { AdoptionFile } from '../src/config/adoption.js';
import { applyAdoption } from './adopt.js';
import { BerthStack } from './base.js';
import { Alarms } from './constructs/alarms.js';
import { Cache } from './constructs/cache.js';
import { Data } from './constructs/data.js';
import { Dns } from './constructs/dns.js';
import { Edge } from './constructs/edge.js';
import { Network } from './constructs/network.js';
import { Registry } from './constructs/registry.js';
import { Security } from './constructs/security.js';
import { Service } from './constructs/service.js';

export interface BuiltApp {
  app: App;
  stacks: Map<StackKind, BerthStack>;
}

// eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 104 lines
export function buildApp(env: EnvironmentConfig, outdir: string, adoption?: AdoptionFile): BuiltApp {
  const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: false });
  const stacks = new Map<StackKind, BerthStack>();
  const stack = (kind: StackKind) => {
    const s = new BerthStack(app, env, kind);
    stacks.set(kind, s);
    return s;
  };

  // Created in dependency order; each construct reads only the outputs of stacks it depends on.
  const networkStack = stack('network');
  const network = new Network(networkStack, 'network', { env });
  networkStack.output('vpc_id', network.vpcId, 'The VPC id');
  for (const tier of ['public', 'private', 'database'] as const) {
    networkStack.output(`${tier}_subnet_ids`, network.subnetIds[tier], `The ${tier} subnet ids, one per AZ`);
    networkStack.output(`${tier}_route_table_ids`, network.routeTableIds[tier], `The route tables of the ${tier} subnets`);
  }
  networkStack.output('nat_gateway_ids', network.natGatewayIds, 'The NAT gateway ids');

  const securityStack = stack('security');
  const security = new Security(securityStack, 'security', { env, vpcId: network.vpcId });
  securityStack.output('alb_security_group_id', security.albSecurityGroupId, 'The load balancer security group');
  securityStack.output('app_security_group_id', security.appSecurityGroupId, 'The ECS tasks security group');
  securityStack.output('db_security_group_id', security.dbSecurityGroupId, 'The Aurora security group');
  securityStack.output('cache_security_group_id', security.cacheSecurityGroupId, 'The Redis security group');

  const dataStack = stack('data');
  const masterPasswordKept = adoption?.stacks.data?.keep['aws_rds_cluster.data_cluster']?.includes('manage_master_user_password');
  const data = new Data(dataStack, 'data', {
    env,
    subnetIds: network.subnetIds.database,
    securityGroupId: security.dbSecurityGroupId,
    masterPasswordKept,
  });
  dataStack.output('cluster_identifier', data.clusterIdentifier, 'The Aurora cluster identifier');
  dataStack.output('endpoint', data.endpoint, 'The writer endpoint');
  dataStack.output('reader_endpoint', data.readerEndpoint, 'The reader endpoint');
  dataStack.output('port', data.port, 'The database port');
  dataStack.output('master_secret_arn', data.masterSecretArn, 'The RDS-managed master user secret ({username, password})');

  const cacheStack = stack('cache');
  const cache = new Cache(cacheStack, 'cache', {
    env,
    subnetIds: network.subnetIds.private,
    securityGroupId: security.cacheSecurityGroupId,
  });
  cacheStack.output('primary_endpoint', cache.primaryEndpoint, 'The Redis primary endpoint');
  cacheStack.output('reader_endpoint', cache.readerEndpoint, 'The Redis reader endpoint');
  cacheStack.output('secret_arn', cache.secretArn, 'The Redis connection secret ({host, port, password, url})');

  const registryStack = stack('registry');
  const registry = new Registry(registryStack, 'registry', { env });
  registryStack.output('repository_urls', registry.repositoryUrls, 'Repository URL per repository name');

  const dnsStack = stack('dns');
  const dns = new Dns(dnsStack, 'dns', { env });
  dnsStack.output('zone_id', dns.zoneId, 'The hosted zone id');
  dnsStack.output('name_servers', dns.nameServers, 'The zone name servers: delegate the domain to these at the registrar');
  dnsStack.output('certificate_arn', dns.certificateArn, 'The validated certificate ARN');

  const edgeStack = stack('edge');
  const edge = new Edge(edgeStack, 'edge', {
    env,
    vpcId: network.vpcId,
    publicSubnetIds: network.subnetIds.public,
    securityGroupId: security.albSecurityGroupId,
    certificateArn: dns.certificateArn,
    zoneId: dns.zoneId,
  });
  edgeStack.output('alb_arn', edge.albArn, 'The load balancer ARN');
  edgeStack.output('alb_dns_name', edge.albDnsName, 'The load balancer DNS name');
  edgeStack.output('http_listener_arn', edge.httpListenerArn, 'The HTTP listener (redirects to HTTPS)');
  edgeStack.output('https_listener_arn', edge.httpsListenerArn, 'The HTTPS listener');
  edgeStack.output('target_group_arns', edge.targetGroupArns, 'Target group ARN per service');
  edgeStack.output('release_routes', edge.releaseRoutes, 'Per service: alternate target group, production and test listener rules');

  const serviceStack = stack('service');
  const service = new Service(serviceStack, 'service', {
    env,
    privateSubnetIds: network.subnetIds.private,
    securityGroupId: security.appSecurityGroupId,
    targetGroupArns: edge.targetGroupArns,
    repositoryUrls: registry.repositoryUrls,
    repositoryArns: registry.repositoryArns,
    databaseSecretArn: data.masterSecretArn,
    credentialsSecretArn: data.credentialsSecretArn,
    databaseSecretMayBeEmpty: Boolean(masterPasswordKept),
    databaseHost: data.endpoint,
    databasePort: data.port,
    databaseName: data.databaseName,
    redisSecretArn: cache.secretArn,
    redisHost: cache.primaryEndpoint,
    redisPort: cache.port,
  });
  serviceStack.output('cluster_name', service.clusterName, 'The ECS cluster name');
  serviceStack.output('cluster_arn', service.clusterArn, 'The ECS cluster ARN');
  serviceStack.output('services', service.services, 'Per service: service name, task family, log group, repository URL, target group ARN');
  serviceStack.output('operator_secret_arns', service.operatorSecretArns, 'Secrets created empty for the operator to fill in');
  serviceStack.output('ecs_infrastructure_role_arn', service.infrastructureRoleArn, 'The role ECS assumes to shift traffic in a release');

  const alarmsStack = stack('alarms');
  const alarms = new Alarms(alarmsStack, 'alarms', {
    env,
    albArnSuffix: edge.albArnSuffix,
    targetGroupArnSuffixes: edge.targetGroupArnSuffixes,
    clusterName: service.clusterName,
    serviceNames: Object.fromEntries(
      env.services.map((s) => [s.name, service.services[s.name]?.serviceName ?? serviceNames(env, s).service]),
    ),
  });
  alarmsStack.output('topic_arn', alarms.topicArn, 'The alarm SNS topic');

  // Record the dependencies explicitly, in STACK_DEPENDENCIES order, so manifest.json lists them
  // deterministically (cross-stack references add the same ones, in resolution order).
  for (const kind of stackOrder()) {
    const s = stacks.get(kind)!;
    for (const dep of STACK_DEPENDENCIES[kind]) s.addDependency(stacks.get(dep)!);
  }
  if (adoption) adopt(stacks, adoption);
  return { app, stacks };
}

/** `berth adopt`'s imports into the stacks; an address the stacks no longer have means the file is stale. */
function adopt(stacks: Map<StackKind, BerthStack>, adoption: AdoptionFile): void {
  const stale: string[] = [];
  for (const [kind, entry] of Object.entries(adoption.stacks)) {
    const s = stacks.get(kind as StackKind);
    if (s && entry) stale.push(...applyAdoption(s, entry).map((a) => `${kind}: ${a}`));
  }
  if (stale.length)
    throw new Error(
      `the adoption file of ${adoption.environment} names resources its stacks no longer have (${stale.join(', ')}); run \`berth adopt --env ${adoption.environment}\` again`,
    );
}
