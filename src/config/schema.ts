/**
 * The environment config: one JSON file per environment (`environments/<name>.json`).
 * Every field is documented here and has a production-safe default unless it cannot have one
 * (the application's name, its domain, its services' names and ports).
 */
import { deploymentSpec } from './deployment-schema.js';
import { resourcesSpec } from './resource-map-schema.js';
import type { Spec } from './spec.js';

const NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const NAME_DOC = 'a lowercase name of 2-20 letters, digits and dashes, starting with a letter';
const SECRET_REF = /^(@database|@redis|[A-Za-z0-9/_+=.@-]{1,512})(:[A-Za-z0-9_.-]+)?$/;

const service: Spec = {
  kind: 'object',
  doc: 'One containerised service behind the load balancer.',
  fields: {
    name: { kind: 'string', doc: 'The service name; also the ECS service and container name.', pattern: NAME, patternDoc: NAME_DOC },
    repository: {
      kind: 'string',
      optional: true,
      doc: 'ECR repository name. Default: `<app>/<service>`.',
      pattern: /^[a-z0-9][a-z0-9._/-]{1,254}$/,
      patternDoc: 'an ECR repository name (lowercase letters, digits, . _ - /)',
    },
    imageTag: {
      kind: 'string',
      default: 'latest',
      doc: 'The tag the first apply runs; later images arrive with `berth deploy`, ' + 'which terraform leaves alone.',
      pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      patternDoc: 'an image tag (letters, digits, _ . -; at most 128)',
    },
    port: { kind: 'number', doc: 'The container port the application listens on.', integer: true, min: 1, max: 65535 },
    cpu: { kind: 'number', default: 512, doc: 'Fargate CPU units for the task.', oneOf: [256, 512, 1024, 2048, 4096, 8192, 16384] },
    memory: {
      kind: 'number',
      default: 1024,
      doc: 'Task memory in MiB; must be a valid Fargate pair with cpu.',
      integer: true,
      min: 512,
      max: 122880,
    },
    cpuArchitecture: {
      kind: 'string',
      default: 'X86_64',
      doc: 'CPU architecture of the image, stated explicitly in the task ' + 'definition.',
      oneOf: ['X86_64', 'ARM64'],
    },
    desiredCount: {
      kind: 'number',
      default: 2,
      doc: 'Tasks to run at first apply (autoscaling moves it within min..max ' + 'afterwards).',
      integer: true,
      min: 0,
      max: 1000,
    },
    minCount: {
      kind: 'number',
      default: 2,
      doc: 'Autoscaling floor. Two tasks keep one AZ failure ' + 'survivable.',
      integer: true,
      min: 0,
      max: 1000,
    },
    maxCount: { kind: 'number', default: 4, doc: 'Autoscaling ceiling.', integer: true, min: 1, max: 1000 },
    healthPath: {
      kind: 'string',
      default: '/health',
      doc: 'HTTP path the target group and the container health check ' + 'probe.',
      pattern: /^\/[^\s?#]*$/,
      patternDoc: 'an absolute URL path starting with / (no query string)',
    },
    pathPattern: {
      kind: 'string',
      default: '/*',
      doc: 'ALB path pattern routed to this service, e.g. `/api/*`; `/*` is the ' + 'default route.',
      pattern: /^\/[^\s]*$/,
      patternDoc: 'an ALB path pattern starting with /',
    },
    environment: {
      kind: 'map',
      default: {},
      doc: 'Plain environment variables. Never put secrets here: use `secrets`.',
      values: { kind: 'string', doc: 'value' },
      keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      keyDoc: 'an environment variable name',
    },
    secrets: {
      kind: 'map',
      default: {},
      doc:
        'Environment variables filled from Secrets Manager: `NAME: "<secret>[:<json key>]"`, where `<secret>` is a secret name ' +
        "or `@database` / `@redis` for the platform's own.",
      values: {
        kind: 'string',
        doc: 'secret reference',
        pattern: SECRET_REF,
        patternDoc: 'a secret reference "<secret ' + 'name>[:<json key>]" or "@database:<key>" / "@redis:<key>"',
      },
      keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      keyDoc: 'an environment variable name',
    },
    logRetentionDays: {
      kind: 'number',
      default: 30,
      doc: 'CloudWatch Logs retention of the service log group.',
      oneOf: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
    },
    healthCheck: {
      kind: 'object',
      doc: 'Target-group and container health checks.',
      fields: {
        intervalSeconds: {
          kind: 'number',
          default: 30,
          doc: 'Seconds between target-group health checks.',
          integer: true,
          min: 5,
          max: 300,
        },
        timeoutSeconds: {
          kind: 'number',
          default: 5,
          doc: 'Seconds before a health check counts as failed.',
          integer: true,
          min: 2,
          max: 120,
        },
        healthyThreshold: {
          kind: 'number',
          default: 2,
          doc: 'Consecutive successes before a target is healthy.',
          integer: true,
          min: 2,
          max: 10,
        },
        unhealthyThreshold: {
          kind: 'number',
          default: 3,
          doc: 'Consecutive failures before a target is unhealthy.',
          integer: true,
          min: 2,
          max: 10,
        },
        gracePeriodSeconds: {
          kind: 'number',
          default: 60,
          doc: 'ECS ignores failing health checks this long after a task starts ' + '(also the container start period).',
          integer: true,
          min: 0,
          max: 2147483647,
        },
      },
    },
    release: {
      kind: 'object',
      doc: 'What `berth deploy` does before it moves the service to a new image.',
      fields: {
        runFirst: {
          kind: 'string',
          optional: true,
          doc: 'A command run as a one-off task on the NEW image before the service is updated (e.g. "npm run migrate"), as `sh -c`; if it fails, the release stops and no traffic moves (`deploy --run-first` overrides it, `--no-run-first` skips it).',
          pattern: /^(?=[\s\S]*\S)[\s\S]{1,4096}$/,
          patternDoc: 'a non-empty command line of at most 4096 characters',
        },
        runFirstTimeoutMinutes: {
          kind: 'number',
          default: 30,
          doc: 'How long the runFirst task may take before the release stops.',
          integer: true,
          min: 1,
          max: 1440,
        },
      },
    },
    deployment: deploymentSpec,
    scaling: {
      kind: 'object',
      doc: 'Target-tracking autoscaling.',
      fields: {
        cpuTargetPercent: { kind: 'number', default: 60, doc: 'Average CPU utilisation to hold.', min: 10, max: 95 },
        memoryTargetPercent: { kind: 'number', default: 70, doc: 'Average memory utilisation to hold.', min: 10, max: 95 },
        scaleOutCooldownSeconds: { kind: 'number', default: 60, doc: 'Wait after scaling out.', integer: true, min: 0, max: 3600 },
        scaleInCooldownSeconds: { kind: 'number', default: 300, doc: 'Wait after scaling in.', integer: true, min: 0, max: 3600 },
      },
    },
  },
};

export const environmentSpec: Spec = {
  kind: 'object',
  doc: 'One environment of one application.',
  fields: {
    name: { kind: 'string', doc: 'The environment name (matches the file name).', pattern: NAME, patternDoc: NAME_DOC },
    app: { kind: 'string', doc: 'The application name; prefixes every AWS resource name.', pattern: NAME, patternDoc: NAME_DOC },
    region: {
      kind: 'string',
      default: 'us-east-1',
      doc: 'AWS region.',
      pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
      patternDoc: 'an AWS region such as "ap-northeast-2"',
    },
    account: {
      kind: 'string',
      optional: true,
      doc: 'AWS account id; when set, berth refuses to run against any other ' + 'account.',
      pattern: /^\d{12}$/,
      patternDoc: 'a 12-digit AWS account id',
    },
    protected: {
      kind: 'boolean',
      default: true,
      doc: 'Destroy and other irreversible commands need the environment name typed ' + 'back (or `--confirm <name>`).',
    },
    sandbox: {
      kind: 'boolean',
      default: false,
      doc: 'This environment runs on the local emulator (`berth sandbox up`); relaxes ' + 'deletion protection only.',
    },
    domain: {
      kind: 'object',
      doc: 'The public name of the service.',
      fields: {
        name: {
          kind: 'string',
          doc: 'The hosted zone\'s domain, e.g. "example.com".',
          pattern: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          patternDoc: 'a lowercase domain name such as "example.com"',
        },
        record: {
          kind: 'string',
          default: 'api',
          doc: 'The record under the zone that points at the load balancer ("" for the ' + 'apex).',
          pattern: /^$|^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
          patternDoc: 'a single DNS label, or "" for the apex',
        },
        zone: {
          kind: 'string',
          default: 'create',
          doc: 'Create the Route 53 hosted zone, or use an existing one (then ' + '`zoneId`).',
          oneOf: ['create', 'existing'],
        },
        zoneId: {
          kind: 'string',
          optional: true,
          doc: 'Id of the existing hosted zone (with zone "existing").',
          pattern: /^[A-Z0-9]{1,32}$/,
          patternDoc: 'a Route 53 zone id such as "Z0123456789ABC"',
        },
      },
    },
    network: {
      kind: 'object',
      doc: 'The VPC.',
      fields: {
        cidr: {
          kind: 'string',
          default: '10.0.0.0/16',
          doc: 'VPC CIDR; subnets are carved from it (/24 each).',
          pattern: /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9])$/,
          patternDoc: 'an IPv4 CIDR from /16 to /19, e.g. "10.0.0.0/16"',
        },
        azCount: { kind: 'number', default: 2, doc: 'Availability zones to spread subnets over.', integer: true, min: 2, max: 4 },
        nat: {
          kind: 'string',
          default: 'per-az',
          doc: 'One NAT gateway per AZ (survives an AZ loss) or a single one ' + '(cheaper).',
          oneOf: ['per-az', 'single'],
        },
        flowLogRetentionDays: {
          kind: 'number',
          default: 30,
          doc: 'Retention of the VPC flow log group.',
          oneOf: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365],
        },
      },
    },
    database: {
      kind: 'object',
      doc: 'Aurora Serverless v2.',
      fields: {
        engine: { kind: 'string', default: 'postgresql', doc: 'Aurora engine.', oneOf: ['postgresql', 'mysql'] },
        version: {
          kind: 'string',
          optional: true,
          doc: 'Engine version. Default: "16.6" for PostgreSQL, ' + '"8.0.mysql_aurora.3.08.0" for MySQL.',
          pattern: /^[0-9][0-9a-z._]*$/,
          patternDoc: 'an engine version such as "16.6"',
        },
        databaseName: {
          kind: 'string',
          default: 'app',
          doc: 'The initial database.',
          pattern: /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
          patternDoc: 'a database name (letter first, letters, digits, _)',
        },
        masterUsername: {
          kind: 'string',
          default: 'app_admin',
          doc: 'Master user; its password is managed by RDS in Secrets ' + 'Manager.',
          pattern: /^[a-zA-Z][a-zA-Z0-9_]{0,15}$/,
          patternDoc: 'a user name of at most 16 characters, letter first',
        },
        minCapacity: { kind: 'number', default: 0.5, doc: 'Minimum Aurora capacity units.', min: 0, max: 256 },
        maxCapacity: { kind: 'number', default: 4, doc: 'Maximum Aurora capacity units.', min: 1, max: 256 },
        backupRetentionDays: { kind: 'number', default: 7, doc: 'Automatic backup retention.', integer: true, min: 1, max: 35 },
        deletionProtection: { kind: 'boolean', default: true, doc: 'Refuse deletes of the cluster (forced off in the sandbox).' },
        snapshotBeforeDeploy: {
          kind: 'boolean',
          default: false,
          doc: 'Take a manual cluster snapshot before every `berth deploy` (as `deploy --snapshot-first`); a failed snapshot stops the release.',
        },
        snapshotRetention: {
          kind: 'object',
          doc: 'Which manual snapshots berth took `berth db snapshots --prune` deletes (automated ones and ones berth did not take are never deleted unless asked).',
          fields: {
            keep: {
              kind: 'number',
              default: 10,
              doc: 'Keep at most this many of the newest berth snapshots; older ones are deleted.',
              integer: true,
              min: 1,
              max: 1000,
            },
            maxAgeDays: {
              kind: 'number',
              default: 90,
              doc: 'Delete berth snapshots older than this (the newest one is always kept).',
              integer: true,
              min: 1,
              max: 3650,
            },
          },
        },
      },
    },
    cache: {
      kind: 'object',
      doc: 'ElastiCache Redis.',
      fields: {
        nodeType: {
          kind: 'string',
          default: 'cache.t4g.micro',
          doc: 'Cache node type.',
          pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
          patternDoc: 'a node type such as "cache.t4g.micro"',
        },
        engineVersion: {
          kind: 'string',
          default: '7.1',
          doc: 'Redis engine version.',
          pattern: /^[0-9]+(\.[0-9x]+)*$/,
          patternDoc: 'a version such as "7.1"',
        },
        replicas: {
          kind: 'number',
          default: 1,
          doc: 'Read replicas; with one or more, automatic failover and Multi-AZ are ' + 'on.',
          integer: true,
          min: 0,
          max: 5,
        },
        transitEncryption: { kind: 'boolean', default: true, doc: 'TLS in transit; services get a `rediss://` URL.' },
        authToken: { kind: 'boolean', default: true, doc: 'Require an AUTH token (kept in Secrets Manager). Needs transitEncryption.' },
        snapshotRetentionDays: { kind: 'number', default: 1, doc: 'Daily snapshots kept.', integer: true, min: 0, max: 35 },
      },
    },
    state: {
      kind: 'object',
      doc: 'Where terraform keeps state.',
      fields: {
        backend: { kind: 'string', default: 's3', doc: 'S3 with a lock file, or local (the sandbox).', oneOf: ['s3', 'local'] },
        bucket: {
          kind: 'string',
          optional: true,
          doc: 'S3 state bucket (backend s3).',
          pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          patternDoc: 'an S3 bucket name',
        },
        keyPrefix: {
          kind: 'string',
          optional: true,
          doc: 'Key prefix; each stack stores `<prefix>/<stack>.tfstate`. Default: ' + '`berth/<app>/<env>`.',
          pattern: /^[A-Za-z0-9!_.*'()/-]{1,512}$/,
          patternDoc: 'an S3 key prefix',
        },
        region: {
          kind: 'string',
          optional: true,
          doc: "Region of the state bucket. Default: the environment's " + 'region.',
          pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
          patternDoc: 'an AWS region',
        },
        path: {
          kind: 'string',
          optional: true,
          doc: 'Folder of the local state, relative to the project (backend local). ' + 'Default: `.berth/state/<env>`.',
          pattern: /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/,
          patternDoc: 'a relative path inside the project',
        },
      },
    },
    alarms: {
      kind: 'object',
      doc: 'CloudWatch alarms, sent to one SNS topic.',
      fields: {
        emails: {
          kind: 'array',
          default: [],
          doc: 'E-mail addresses subscribed to the alarm topic.',
          items: { kind: 'string', doc: 'e-mail', pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, patternDoc: 'an e-mail address' },
        },
        cpuPercent: { kind: 'number', default: 80, doc: 'Service CPU alarm threshold (5 minutes).', min: 1, max: 100 },
        memoryPercent: { kind: 'number', default: 80, doc: 'Service memory alarm threshold (5 minutes).', min: 1, max: 100 },
        http5xxPercent: { kind: 'number', default: 1, doc: 'ALB 5xx share of requests (5 minutes).', min: 0.01, max: 100 },
        p95LatencySeconds: { kind: 'number', default: 10, doc: 'Target p95 response time (5 minutes).', min: 0.01, max: 600 },
      },
    },
    accessLogs: {
      kind: 'object',
      doc: 'Access logs of the public load balancer, kept in an S3 bucket of the environment (SSE-S3, private).',
      fields: {
        retentionDays: {
          kind: 'number',
          default: 90,
          doc: 'Days an access log file is kept before S3 deletes it.',
          integer: true,
          min: 1,
          max: 3650,
        },
      },
    },
    services: { kind: 'array', doc: 'The services behind the load balancer.', items: service, minItems: 1, maxItems: 20 },
    waivers: {
      kind: 'array',
      default: [],
      doc: '`berth check` findings accepted on purpose, each with a written reason.',
      items: {
        kind: 'object',
        doc: 'A waiver.',
        fields: {
          rule: {
            kind: 'string',
            doc: 'The rule id, e.g. "BERTH-LOG-001".',
            pattern: /^[A-Z]+-[A-Z0-9]+-\d{3}$/,
            patternDoc: 'a rule id such as "BERTH-LOG-001"',
          },
          resource: {
            kind: 'string',
            optional: true,
            doc: 'Limit the waiver to one resource address (stack/type.name); default: ' + 'every resource.',
          },
          reason: {
            kind: 'string',
            doc: 'Why this is acceptable (at least 10 characters).',
            pattern: /^\s*\S[\s\S]{9,}$/,
            patternDoc: 'a written reason of at least 10 characters',
          },
        },
      },
    },
    resources: resourcesSpec,
  },
};
