/**
 * The resource map: the optional `resources` object of an environment file. It pins each role berth
 * knows (the cluster, the VPC, the load balancer, a service's target group, ...) to the real
 * resource's id or name, so a platform berth did not build (found by `berth discover`) is operated
 * without following berth's naming. Ids where AWS identifies a resource by id (vpc-, subnet-, sg-,
 * rtb-, igw-, nat-), names where by name, ARNs where only an ARN names it (listeners, rules,
 * certificates). Every role is optional: an absent one falls back to berth's convention
 * (src/config/names.ts decides, and nothing else). The formats are checked here; the service's
 * naming rules, regions and cross-references in src/config/resource-map.ts.
 */
import type { Spec } from './spec.js';

const hexId = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
const idDoc = (prefix: string, what: string) =>
  `${/^[AEIOUaeiou]/.test(what) ? 'an' : 'a'} ${what} id such as "${prefix}-0123456789abcdef0" ("${prefix}-" and 8 or 17 hex digits)`;

const PARTITION = '(?:aws|aws-cn|aws-us-gov)';
const REGION = '[a-z]{2}(?:-gov)?-[a-z]+-\\d';
const arn = (service: string, resource: string) => new RegExp(`^arn:${PARTITION}:${service}:${REGION}:\\d{12}:${resource}$`);

export const ID_PATTERNS = {
  vpc: hexId('vpc'),
  subnet: hexId('subnet'),
  securityGroup: hexId('sg'),
  routeTable: hexId('rtb'),
  internetGateway: hexId('igw'),
  natGateway: hexId('nat'),
  hostedZone: /^[A-Z0-9]{1,32}$/,
  loadBalancerArn: arn('elasticloadbalancing', 'loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+'),
  listenerArn: arn('elasticloadbalancing', 'listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+'),
  listenerRuleArn: arn('elasticloadbalancing', 'listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+/[0-9a-f]+'),
  certificateArn: arn('acm', 'certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
  secretArn: arn('secretsmanager', 'secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}'),
} as const;

const id = (prefix: keyof typeof ID_PATTERNS, p: string, what: string, doc: string): Spec => ({
  kind: 'string',
  optional: true,
  doc,
  pattern: ID_PATTERNS[prefix],
  patternDoc: idDoc(p, what),
});

const ids = (prefix: keyof typeof ID_PATTERNS, p: string, what: string, doc: string): Spec => ({
  kind: 'array',
  optional: true,
  doc,
  minItems: 1,
  maxItems: 16,
  items: { kind: 'string', doc: `${what} id`, pattern: ID_PATTERNS[prefix], patternDoc: idDoc(p, what) },
});

/** A name: its characters and length here (for editors); the service's full rule in resource-map.ts. */
const name = (doc: string, chars: string, max: number, charsDoc: string): Spec => ({
  kind: 'string',
  optional: true,
  doc,
  pattern: new RegExp(`^[${chars}]{1,${max}}$`),
  patternDoc: `${charsDoc}, at most ${max} characters`,
});

const arnField = (prefix: keyof typeof ID_PATTERNS, doc: string, patternDoc: string): Spec => ({
  kind: 'string',
  optional: true,
  doc,
  pattern: ID_PATTERNS[prefix],
  patternDoc,
});

const secretRef: Spec = {
  kind: 'string',
  optional: true,
  doc: '',
  pattern:
    /^(?:[A-Za-z0-9/_+=.@-]{1,512}|arn:(?:aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6})$/,
  patternDoc: 'a Secrets Manager secret name or its ARN',
};

const tiers = (one: (tier: string) => Spec, doc: string): Spec => ({
  kind: 'object',
  optional: true,
  doc,
  fields: { public: one('public'), private: one('private'), database: one('database') },
});

const ECS_CHARS = 'A-Za-z0-9_-';

const serviceRoles: Spec = {
  kind: 'object',
  doc: "One service's resources, keyed by the berth service name (services[].name).",
  fields: {
    service: name('The ECS service name.', ECS_CHARS, 255, 'letters, digits, _ and -'),
    taskFamily: name('The task definition family.', ECS_CHARS, 255, 'letters, digits, _ and -'),
    container: name("The task definition's application container.", ECS_CHARS, 255, 'letters, digits, _ and -'),
    targetGroup: name('The target group name.', 'A-Za-z0-9-', 32, 'letters, digits and hyphens'),
    logGroup: name("The CloudWatch Logs group of the container's logs.", '.\\-_/#A-Za-z0-9', 512, 'letters, digits and . - _ / #'),
    logStreamPrefix: name(
      'The awslogs-stream-prefix of the container (streams are <prefix>/<container>/<task id>).',
      '.\\-_/#A-Za-z0-9',
      512,
      'letters, digits and . - _ / #',
    ),
    listenerRule: arnField(
      'listenerRuleArn',
      'The listener rule that routes to the target group (absent: the default action).',
      'an elasticloadbalancing listener-rule ARN',
    ),
    executionRole: name('The task execution role name.', '\\w+=,.@-', 64, 'letters, digits and + = , . @ _ -'),
    taskRole: name('The task role name.', '\\w+=,.@-', 64, 'letters, digits and + = , . @ _ -'),
  },
};

export const resourcesSpec: Spec = {
  kind: 'object',
  optional: true,
  doc:
    "The real resources of a platform berth did not build (written by `berth discover`): each role pinned to the resource's id or name. " +
    "Roles left out follow berth's naming.",
  fields: {
    cluster: name('The ECS cluster name.', ECS_CHARS, 255, 'letters, digits, _ and -'),
    vpc: id('vpc', 'vpc', 'VPC', 'The VPC id.'),
    subnets: tiers((t) => ids('subnet', 'subnet', 'subnet', `The ${t} subnets' ids.`), 'Subnet ids by tier.'),
    routeTables: tiers(
      (t) => ids('routeTable', 'rtb', 'route table', `The route tables of the ${t} subnets (their effective tables).`),
      'Route table ids by tier.',
    ),
    internetGateway: id('internetGateway', 'igw', 'internet gateway', 'The internet gateway id.'),
    natGateways: ids('natGateway', 'nat', 'NAT gateway', 'The NAT gateway ids.'),
    securityGroups: {
      kind: 'object',
      optional: true,
      doc: 'Security group ids by role.',
      fields: {
        alb: id('securityGroup', 'sg', 'security group', "The load balancer's security group."),
        service: id('securityGroup', 'sg', 'security group', "The services' tasks' security group."),
        database: id('securityGroup', 'sg', 'security group', "The database's security group."),
        cache: id('securityGroup', 'sg', 'security group', "The cache's security group."),
      },
    },
    loadBalancer: {
      kind: 'object',
      optional: true,
      doc: 'The public application load balancer.',
      fields: {
        name: name('The load balancer name.', 'A-Za-z0-9-', 32, 'letters, digits and hyphens'),
        arn: arnField('loadBalancerArn', 'The load balancer ARN.', 'an elasticloadbalancing loadbalancer/app ARN'),
        httpListener: arnField('listenerArn', 'The HTTP (port 80) listener ARN.', 'an elasticloadbalancing listener ARN'),
        httpsListener: arnField('listenerArn', 'The HTTPS (port 443) listener ARN.', 'an elasticloadbalancing listener ARN'),
      },
    },
    certificate: arnField('certificateArn', "The HTTPS listener's ACM certificate ARN.", 'an ACM certificate ARN'),
    hostedZone: {
      kind: 'string',
      optional: true,
      doc: "The Route 53 hosted zone id of the service's host name.",
      pattern: ID_PATTERNS.hostedZone,
      patternDoc: 'a Route 53 zone id such as "Z0123456789ABC"',
    },
    database: {
      kind: 'object',
      optional: true,
      doc: 'The Aurora cluster.',
      fields: {
        cluster: name('The DB cluster identifier.', 'A-Za-z0-9-', 63, 'letters, digits and hyphens'),
        subnetGroup: name('The DB subnet group name.', 'a-z0-9 ._-', 255, 'lowercase letters, digits, spaces, . _ -'),
        writerInstance: name('The writer instance identifier.', 'A-Za-z0-9-', 63, 'letters, digits and hyphens'),
        secret: { ...secretRef, doc: 'The secret holding the database credentials (name or ARN).' },
      },
    },
    cache: {
      kind: 'object',
      optional: true,
      doc: 'The ElastiCache Redis replication group.',
      fields: {
        replicationGroup: name('The replication group id.', 'A-Za-z0-9-', 40, 'letters, digits and hyphens'),
        subnetGroup: name('The cache subnet group name.', 'A-Za-z0-9-', 255, 'letters, digits and hyphens'),
        secret: { ...secretRef, doc: 'The secret holding the Redis connection (name or ARN).' },
      },
    },
    services: {
      kind: 'map',
      optional: true,
      doc: "Each service's resources, keyed by its berth name.",
      values: serviceRoles,
      keyPattern: /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/,
      keyDoc: 'a berth service name (services[].name)',
    },
  },
};
