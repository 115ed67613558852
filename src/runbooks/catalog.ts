/**
 * The runbooks: every incident and checklist of the operators' write-ups, in berth's words, each
 * step pointing at the doctor check that performs it or the berth / aws command to run.
 * `<env>`, `<service>` and friends are placeholders. A test keeps every check id here real.
 */

export interface RunbookStep {
  /** What to look at or do. */
  text: string;
  /** Doctor check ids that do this step. */
  checks?: string[];
  /** A command that does it (berth first, aws where berth has none). */
  command?: string;
}

export interface Runbook {
  name: string;
  kind: 'incident' | 'checklist';
  title: string;
  summary: string;
  symptoms?: string[];
  cause?: string;
  steps: RunbookStep[];
  fix?: string[];
  /** The one doctor run that covers the runbook. */
  doctor?: string;
}

export const RUNBOOKS: readonly Runbook[] = [
  {
    name: 'redis-tls-url',
    kind: 'incident',
    title: 'Redis over TLS: the URL must be a plain rediss:// URL',
    summary: 'The application crashed on its first Redis call because the connection URL carried TLS options as a query string.',
    symptoms: [
      "The Redis client raises a TypeError: an unexpected keyword argument 'ssl' when the connection is made.",
      'It happens only with in-transit encryption on, typically inside a rate-limiting or caching library that parses the URL itself.',
    ],
    cause:
      'The URL was `rediss://...?ssl_cert_reqs=none`. The library turned the rediss scheme into its own ssl argument and the query parameter into a second one, and the connection class rejected the pair.',
    steps: [
      {
        text: 'Check the URL the service receives: scheme rediss:// when TLS in transit is on (redis:// when off), no query string, the primary endpoint, a password when AUTH is on.',
        checks: ['redis.url'],
        command: 'berth doctor --env <env> redis',
      },
      { text: "Confirm the replication group's TLS and AUTH settings match the environment file.", checks: ['redis.replication-group'] },
      {
        text: 'Check the task definition still reads the URL from the secret (never a plain environment variable).',
        checks: ['task-start.secrets', 'task-start.task-definition'],
      },
      {
        text: "Rewrite the secret's url key as rediss://:<auth token>@<primary-endpoint>:6379/0, keeping its other keys.",
        command: 'aws secretsmanager put-secret-value --secret-id <app>/<env>/redis --secret-string file://redis.json',
      },
      {
        text: 'Pass TLS options (certificate checks, timeouts) to the client in code, never in the URL; the doctor rejects any query string.',
        checks: ['redis.url'],
      },
      { text: 'Tasks read secrets only at start: replace them.', command: 'berth restart --env <env> --service <service>' },
    ],
    fix: ['A URL without a query string, and TLS options as explicit client arguments.'],
    doctor: 'berth doctor --env <env> redis',
  },
  {
    name: 'private-subnet-routes',
    kind: 'incident',
    title: 'Private subnets with no route to the NAT gateway',
    summary:
      'Tasks timed out reaching Aurora, Redis and the internet although a NAT gateway existed: the private subnets were associated with no route table.',
    symptoms: [
      'Tasks fail to pull images or read secrets (timeouts), or connect timeouts to the database, cache and external APIs.',
      'A NAT gateway exists and is available.',
    ],
    cause:
      "A subnet without an explicit association uses the VPC's main route table. The 0.0.0.0/0 -> NAT route lived in another table that no subnet was associated with.",
    steps: [
      {
        text: 'For every private and database subnet, find its effective route table (explicit association, else the main table) and its 0.0.0.0/0 route.',
        checks: ['network.private-route', 'network.database-route'],
        command: 'berth doctor --env <env> network',
      },
      {
        text: 'Check the NAT gateway is available and sits in a public subnet (whose own table routes to the internet gateway).',
        checks: ['network.nat-gateway', 'network.public-route', 'network.internet-gateway'],
      },
      {
        text: 'Associate each unrouted subnet with the table that routes 0.0.0.0/0 to the NAT gateway (the doctor prints the exact ids).',
        command: 'aws ec2 associate-route-table --route-table-id <rtb-id> --subnet-id <subnet-id>',
      },
      {
        text: 'Re-run the network checks; then the data-tier reachability checks.',
        checks: ['database.reachability', 'redis.reachability'],
        command: 'berth doctor --env <env> network database redis',
      },
    ],
    fix: ["berth's network stack associates every subnet with a table of its own tier, so `berth apply` restores the associations."],
    doctor: 'berth doctor --env <env> network',
  },
  {
    name: 'security-group-egress',
    kind: 'incident',
    title: 'App security group allowed egress on 443 only',
    summary: 'With routing fixed, connections to Aurora and Redis still failed: the app group let only HTTPS out.',
    symptoms: ['Database and Redis connections time out from the tasks; HTTPS calls to AWS and external APIs work.'],
    cause:
      'Security groups are checked on both sides: the database group allowed 5432 and 6379 in from the app group, but the app group had no egress rule for those ports.',
    steps: [
      {
        text: 'For each link, check egress on the source group AND ingress on the destination group: load balancer -> service port, service -> database port, service -> 6379.',
        checks: ['security-groups.alb-to-app', 'security-groups.app-to-db', 'security-groups.app-to-cache'],
        command: 'berth doctor --env <env> security-groups',
      },
      {
        text: 'Check the app group still reaches 443 (ECR, Secrets Manager, CloudWatch Logs, external APIs).',
        checks: ['security-groups.app-egress-https'],
      },
      {
        text: 'Add the missing egress rules, by group reference rather than a VPC-wide range.',
        command:
          'aws ec2 authorize-security-group-egress --group-id <app-sg> --ip-permissions IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=<db-sg>}]',
      },
      {
        text: 'Make sure nothing but the app tier reaches the data tier.',
        checks: ['security-groups.db-exposure', 'security-groups.cache-exposure'],
      },
    ],
    doctor: 'berth doctor --env <env> security-groups',
  },
  {
    name: 'image-architecture',
    kind: 'incident',
    title: 'Image built for the wrong CPU: exec format error',
    summary:
      'Tasks never started; the container log said "exec format error". The image had been built on an ARM laptop and ran on x86_64 Fargate.',
    symptoms: ['Tasks stop right after start, the essential container exits, the log shows exec format error.'],
    cause: "A local docker build produces an image for the build machine's architecture unless told otherwise.",
    steps: [
      {
        text: 'Group the stopped tasks by reason and exit code; look for exec format error in reasons and logs.',
        checks: ['task-start.stopped-tasks'],
        command: 'berth logs --env <env> --service <service> --since 1h --filter "exec format error"',
      },
      {
        text: "Compare the image's architecture (manifest or image index platforms in ECR) with the task definition's runtimePlatform.cpuArchitecture.",
        checks: ['task-start.architecture', 'task-start.image'],
      },
      {
        text: "Rebuild for the task's platform and push.",
        command: 'docker buildx build --platform linux/amd64 -t <repository-uri>:<tag> --push .',
      },
      {
        text: "Or run the service on the image's architecture: set services[i].cpuArchitecture in the environment file, then apply.",
        command: 'berth apply --env <env>',
      },
      { text: 'Deploy the rebuilt image.', command: 'berth deploy --env <env> --service <service> --tag <tag>' },
    ],
    doctor: 'berth doctor --env <env> task-start',
  },
  {
    name: 'certificate-pending',
    kind: 'incident',
    title: 'Certificate stuck in PENDING_VALIDATION',
    summary: 'The DNS validation record was in Route 53, but the registrar still served its own name servers, so ACM could not see it.',
    symptoms: ['The ACM certificate stays PENDING_VALIDATION; the HTTPS listener cannot use it.'],
    cause:
      "The domain was not yet delegated to the hosted zone's name servers. After the registrar change, delegation took about ten minutes to propagate and issuance about an hour.",
    steps: [
      {
        text: 'Check the certificate status and how long it has been pending.',
        checks: ['certificate.status'],
        command: 'berth doctor --env <env> certificate',
      },
      { text: 'Check each validation CNAME is in the zone with the value ACM expects.', checks: ['certificate.validation-records'] },
      {
        text: "Compare the name servers public DNS returns for the domain with the zone's own.",
        checks: ['certificate.delegation'],
        command: 'dig +short NS <domain>',
      },
      {
        text: "At the registrar, set the domain's name servers to the zone's four (the doctor prints them); wait for propagation, then for issuance.",
        checks: ['certificate.delegation'],
        command:
          'aws route53domains update-domain-nameservers --region us-east-1 --domain-name <domain> --nameservers Name=<ns-1> Name=<ns-2> Name=<ns-3> Name=<ns-4>',
      },
      {
        text: 'Once issued: the listener serves it, the alias record points at the load balancer, and expiry is far off.',
        checks: ['certificate.listener', 'certificate.alias-record', 'certificate.expiry'],
      },
    ],
    doctor: 'berth doctor --env <env> certificate',
  },
  {
    name: 'task-not-starting',
    kind: 'checklist',
    title: 'A task does not start',
    summary: 'The service never reaches its desired count, or tasks stop shortly after launch.',
    steps: [
      {
        text: "Read the stopped tasks' stop codes, reasons and exit codes, grouped and explained.",
        checks: ['task-start.service', 'task-start.stopped-tasks'],
        command: 'berth status --env <env> --service <service>',
      },
      { text: 'Read the logs of the failed tasks.', command: 'berth logs --env <env> --service <service> --since 1h' },
      {
        text: "Check the task definition's environment and secrets: every configured secret wired, none in plain environment, every secret and key present.",
        checks: ['task-start.task-definition', 'task-start.secrets'],
      },
      {
        text: 'Check the security groups: the app group must reach 443 for ECR, Secrets Manager and logs.',
        checks: ['security-groups.app-egress-https'],
      },
      { text: 'Check the private subnets route to an available NAT gateway.', checks: ['network.private-route'] },
      {
        text: "Check the execution role's permissions: ECR pull, Secrets Manager, CloudWatch Logs.",
        checks: ['iam.execution-role', 'iam.ecr-pull', 'iam.secret-read', 'iam.logs-write'],
      },
      {
        text: 'Check the image exists in ECR for the right architecture, and the log group exists.',
        checks: ['task-start.image', 'task-start.architecture', 'task-start.log-group'],
      },
    ],
    doctor: 'berth doctor --env <env> task-start iam security-groups network',
  },
  {
    name: 'health-check-failing',
    kind: 'checklist',
    title: 'Health checks fail',
    summary: 'Targets stay unhealthy, tasks are replaced by the load balancer, or the public URL answers 502/503.',
    steps: [
      {
        text: 'Check the health URL answers 200, and the target health reasons.',
        checks: ['health.endpoint', 'health.targets'],
        command: 'berth health --env <env>',
      },
      {
        text: 'Check the load balancer group may reach the app port and the app group accepts it from the load balancer.',
        checks: ['security-groups.alb-to-app'],
      },
      { text: 'Check the container port equals the target group port.', checks: ['health.port'] },
      { text: 'Check the target group and container health checks probe the configured health path.', checks: ['health.path'] },
      { text: "Check the listener forwards the service's path to its target group.", checks: ['health.routing'] },
      { text: "Read the application's own errors.", command: 'berth logs --env <env> --service <service> --since 15m --filter ERROR' },
    ],
    doctor: 'berth doctor --env <env> health security-groups',
  },
  {
    name: 'database-connection',
    kind: 'checklist',
    title: 'Database connection fails',
    summary: 'The application cannot connect to Aurora: timeouts, authentication errors or unknown host.',
    steps: [
      {
        text: "Check the secret's keys (username, password) and that it points at the cluster; never print its values.",
        checks: ['database.secret', 'task-start.secrets'],
      },
      {
        text: 'Check egress from the app group and ingress on the database group on the database port.',
        checks: ['security-groups.app-to-db'],
      },
      { text: "Check the private and database subnets' route tables.", checks: ['network.private-route', 'network.database-route'] },
      { text: 'Check the whole path from the service to the database.', checks: ['database.reachability'] },
      { text: 'Check the Aurora cluster and its writer are available.', checks: ['database.cluster', 'database.writer'] },
    ],
    doctor: 'berth doctor --env <env> database security-groups network',
  },
  {
    name: 'redis-connection',
    kind: 'checklist',
    title: 'Redis connection fails',
    summary: 'The application cannot connect to ElastiCache: timeouts, TLS or AUTH errors.',
    steps: [
      { text: 'Check the Redis secret exists and holds the keys the task reads.', checks: ['task-start.secrets'] },
      {
        text: 'Check 6379 both ways: egress from the app group, ingress on the cache group.',
        checks: ['security-groups.app-to-cache', 'redis.reachability'],
      },
      { text: 'Check the URL is rediss:// when TLS is on, with no query string.', checks: ['redis.url'] },
      { text: 'Check the replication group is available.', checks: ['redis.replication-group'] },
    ],
    doctor: 'berth doctor --env <env> redis security-groups',
  },
  {
    name: 'lambda-s3',
    kind: 'checklist',
    title: 'A Lambda function times out, or S3 access is denied',
    summary:
      'From one of the write-ups (a Lambda back end); berth does not deploy Lambda, so these steps are aws CLI commands, not doctor checks.',
    steps: [
      {
        text: "Check the function's memory and timeout; raise memory first (it also raises CPU).",
        command: "aws lambda get-function-configuration --function-name <function> --query '{Memory:MemorySize,Timeout:Timeout}'",
      },
      { text: 'Read its recent logs for the time actually spent.', command: 'aws logs tail /aws/lambda/<function> --since 1h' },
      {
        text: "Check the function role's IAM policy allows the S3 action on the object.",
        command:
          'aws iam simulate-principal-policy --policy-source-arn <role-arn> --action-names s3:GetObject --resource-arns arn:aws:s3:::<bucket>/<key>',
      },
      { text: 'Check the bucket policy does not deny it.', command: 'aws s3api get-bucket-policy --bucket <bucket>' },
      { text: "Check the bucket's region matches the region the client uses.", command: 'aws s3api get-bucket-location --bucket <bucket>' },
    ],
  },
];

export function runbook(name: string): Runbook | undefined {
  return RUNBOOKS.find((r) => r.name === name);
}
