/**
 * The doctor's reads, memoized per run: every group asks the same Source, so a fact several groups
 * need (the VPC, the security groups, a task definition) is fetched once, and groups fetch in
 * parallel. Not-found answers become `undefined`; other errors propagate to the group's runner.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { SecurityGroup, Vpc } from '@aws-sdk/client-ec2';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CacheCluster, CacheSubnetGroup, ReplicationGroup } from '@aws-sdk/client-elasticache';
import type { DBCluster, DBInstance, DBSubnetGroup } from '@aws-sdk/client-rds';
import * as clients from '../../aws/clients.js';
import type { AwsContext } from '../../aws/context.js';
import type { HttpGet } from '../../http/get.js';
import { ec2Filter, names, publicHealthPath, serviceNames } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import { redact, registerSecret } from '../../output/redact.js';
import type {
  HostedZoneFacts,
  ImageFacts,
  NetworkFacts,
  ProbeResult,
  RoleFacts,
  SecretShape,
  SecurityGroupFacts,
  ServiceFacts,
} from '../facts.js';
import { taskId, tdFamily } from '../../ecs/ids.js';
import { logStreamName } from '../../ecs/logs.js';
import { classifyStop } from '../../ecs/stops.js';
import { mainContainer, secretRefs } from '../lib/ecs.js';
import { type NamedPolicy, parsePolicy } from '../lib/iam-policy.js';
import { MANIFEST_MEDIA_TYPES, readManifest } from '../lib/image.js';
import { parseImage, parseValueFrom } from '../lib/refs.js';
import { describeSecretString } from '../lib/secret-shape.js';

export interface GatherOptions {
  ctx: AwsContext;
  env: EnvironmentConfig;
  services: ServiceConfig[];
  /** NS lookup of a domain (default: node:dns against the system resolver). */
  resolveNs?: (domain: string) => Promise<string[]>;
  /** HTTP for the health probe and image config blobs (the doctor's runner passes src/http/get.ts; default: global fetch). */
  fetch?: HttpGet;
  probeTimeoutMs?: number;
}

const NOT_FOUND =
  /NotFound|NoSuchEntity|ResourceNotFound|DBClusterNotFoundFault|ReplicationGroupNotFound|CacheClusterNotFound|CacheSubnetGroupNotFound|DBSubnetGroupNotFound|RepositoryNotFound|ImageNotFound|InvalidVpcID|NoSuchHostedZone/;

export function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; Code?: string; message?: string };
  return (
    NOT_FOUND.test(err?.name ?? '') ||
    NOT_FOUND.test(err?.Code ?? '') ||
    /does not exist|not found|Unable to describe task definition/i.test(err?.message ?? '')
  );
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const errText = (e: unknown) => {
  const err = e as { name?: string; message?: string };
  return redact(`${err?.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err?.message ?? String(e)}`.slice(0, 200));
};

export class Source {
  private readonly memo = new Map<string, Promise<unknown>>();
  readonly n: ReturnType<typeof names>;

  constructor(readonly o: GatherOptions) {
    this.n = names(o.env);
  }

  get env() {
    return this.o.env;
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  // ---- EC2 ----
  vpc(): Promise<Vpc | undefined> {
    return this.once('vpc', async () => {
      const { DescribeVpcsCommand } = await import('../../aws/sdk/ec2.js');
      const c = await clients.ec2(this.o.ctx);
      // The resolver's reference: the resource map's id, else berth's Name tag.
      const byRef = await c.send(new DescribeVpcsCommand({ Filters: [ec2Filter(this.n.refs.vpc, 'vpc-id')] }));
      if (byRef.Vpcs?.length || 'id' in this.n.refs.vpc) return byRef.Vpcs?.[0];
      const byTags = await c.send(
        new DescribeVpcsCommand({
          Filters: [
            { Name: 'tag:app', Values: [this.env.app] },
            { Name: 'tag:environment', Values: [this.env.name] },
          ],
        }),
      );
      return byTags.Vpcs?.[0];
    });
  }

  network(): Promise<NetworkFacts> {
    return this.once('network', async () => {
      const vpc = await this.vpc();
      if (!vpc?.VpcId) return { vpc, subnets: [], routeTables: [], natGateways: [], internetGateways: [] };
      const ec2 = await import('../../aws/sdk/ec2.js');
      const c = await clients.ec2(this.o.ctx);
      const f = [{ Name: 'vpc-id', Values: [vpc.VpcId] }];
      const [subnets, routeTables, nats, igws, endpoints] = await Promise.all([
        c.send(new ec2.DescribeSubnetsCommand({ Filters: f })),
        c.send(new ec2.DescribeRouteTablesCommand({ Filters: f })),
        c.send(new ec2.DescribeNatGatewaysCommand({ Filter: f })),
        c.send(new ec2.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpc.VpcId] }] })),
        c.send(new ec2.DescribeVpcEndpointsCommand({ Filters: f })),
      ]);
      return {
        vpc,
        subnets: subnets.Subnets ?? [],
        routeTables: routeTables.RouteTables ?? [],
        natGateways: (nats.NatGateways ?? []).filter((g) => g.State !== 'deleted'),
        internetGateways: igws.InternetGateways ?? [],
        endpoints: (endpoints.VpcEndpoints ?? []).filter((e) => !['deleted', 'deleting'].includes(String(e.State).toLowerCase())),
      };
    });
  }

  securityGroups(): Promise<SecurityGroup[]> {
    return this.once('sgs', async () => {
      const vpc = await this.vpc();
      if (!vpc?.VpcId) return [];
      const { DescribeSecurityGroupsCommand } = await import('../../aws/sdk/ec2.js');
      const c = await clients.ec2(this.o.ctx);
      const r = await c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId] }] }));
      return r.SecurityGroups ?? [];
    });
  }

  sgFacts(): Promise<SecurityGroupFacts> {
    return this.once('sgFacts', async () => {
      const [network, groups, loadBalancer, services, dbCluster, replicationGroup] = await Promise.all([
        this.network(),
        this.securityGroups(),
        this.loadBalancer(),
        Promise.all(this.o.services.map((s) => this.serviceFacts(s))),
        this.dbCluster(),
        this.replicationGroup(),
      ]);
      const [dbSubnetGroup, cacheClusters, cacheSubnetGroup] = await Promise.all([
        this.dbSubnetGroup(dbCluster),
        this.cacheClusters(replicationGroup),
        this.cacheSubnetGroup(),
      ]);
      return { network, groups, loadBalancer, services, dbCluster, dbSubnetGroup, replicationGroup, cacheClusters, cacheSubnetGroup };
    });
  }

  // ---- ELBv2 ----
  loadBalancer(): Promise<LoadBalancer | undefined> {
    return this.once('alb', async () => {
      const { DescribeLoadBalancersCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const c = await clients.elbv2(this.o.ctx);
      return orUndefined(c.send(new DescribeLoadBalancersCommand({ Names: [this.n.alb] })).then((r) => r.LoadBalancers?.[0]));
    });
  }

  listeners(): Promise<Listener[]> {
    return this.once('listeners', async () => {
      const lb = await this.loadBalancer();
      if (!lb?.LoadBalancerArn) return [];
      const { DescribeListenersCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const c = await clients.elbv2(this.o.ctx);
      return (
        (await orUndefined(c.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn })).then((r) => r.Listeners ?? []))) ??
        []
      );
    });
  }

  rules(listenerArn: string): Promise<Rule[]> {
    return this.once(`rules:${listenerArn}`, async () => {
      const { DescribeRulesCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const c = await clients.elbv2(this.o.ctx);
      return (await orUndefined(c.send(new DescribeRulesCommand({ ListenerArn: listenerArn })).then((r) => r.Rules ?? []))) ?? [];
    });
  }

  targetGroup(svc: ServiceConfig): Promise<TargetGroup | undefined> {
    return this.once(`tg:${svc.name}`, async () => {
      const { DescribeTargetGroupsCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const c = await clients.elbv2(this.o.ctx);
      return orUndefined(
        c.send(new DescribeTargetGroupsCommand({ Names: [serviceNames(this.env, svc).targetGroup] })).then((r) => r.TargetGroups?.[0]),
      );
    });
  }

  targetHealth(arn: string): Promise<TargetHealthDescription[]> {
    return this.once(`th:${arn}`, async () => {
      const { DescribeTargetHealthCommand } = await import('../../aws/sdk/elastic-load-balancing-v2.js');
      const c = await clients.elbv2(this.o.ctx);
      return (
        (await orUndefined(
          c.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })).then((r) => r.TargetHealthDescriptions ?? []),
        )) ?? []
      );
    });
  }

  // ---- ECS ----
  ecsService(svc: ServiceConfig): Promise<Service | undefined> {
    return this.once(`svc:${svc.name}`, async () => {
      const { DescribeServicesCommand } = await import('../../aws/sdk/ecs.js');
      const c = await clients.ecs(this.o.ctx);
      const r = await orUndefined(
        c.send(new DescribeServicesCommand({ cluster: this.n.cluster, services: [serviceNames(this.env, svc).service] })),
      );
      return r?.services?.find((s) => s.serviceName === serviceNames(this.env, svc).service);
    });
  }

  taskDefinition(svc: ServiceConfig): Promise<TaskDefinition | undefined> {
    return this.once(`td:${svc.name}`, async () => {
      const s = await this.ecsService(svc);
      const { DescribeTaskDefinitionCommand } = await import('../../aws/sdk/ecs.js');
      const c = await clients.ecs(this.o.ctx);
      const ref = s?.taskDefinition ?? serviceNames(this.env, svc).taskFamily;
      return orUndefined(c.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })).then((r) => r.taskDefinition));
    });
  }

  serviceFacts(svc: ServiceConfig): Promise<ServiceFacts> {
    return this.once(`sf:${svc.name}`, async () => {
      const [service, taskDefinition] = await Promise.all([this.ecsService(svc), this.taskDefinition(svc)]);
      return { name: svc.name, service, taskDefinition };
    });
  }

  /** Recently stopped tasks of the service (its task family), newest first. */
  stoppedTasks(svc: ServiceConfig): Promise<Task[]> {
    return this.once(`stopped:${svc.name}`, async () => {
      const { ListTasksCommand, DescribeTasksCommand } = await import('../../aws/sdk/ecs.js');
      const c = await clients.ecs(this.o.ctx);
      const list = await orUndefined(
        c.send(
          new ListTasksCommand({
            cluster: this.n.cluster,
            serviceName: serviceNames(this.env, svc).service,
            desiredStatus: 'STOPPED',
            maxResults: 100,
          }),
        ),
      );
      const arns = list?.taskArns ?? [];
      if (!arns.length) return [];
      const tasks: Task[] = [];
      for (let i = 0; i < arns.length; i += 100) {
        const r = await c.send(new DescribeTasksCommand({ cluster: this.n.cluster, tasks: arns.slice(i, i + 100) }));
        tasks.push(...(r.tasks ?? []));
      }
      const fam = serviceNames(this.env, svc).taskFamily;
      const t = (x: Task) => new Date((x.stoppedAt ?? x.createdAt ?? 0) as Date).getTime();
      return tasks
        .filter((x) => x.group === `service:${serviceNames(this.env, svc).service}` || tdFamily(x.taskDefinitionArn) === fam)
        .sort((a, b) => t(b) - t(a))
        .slice(0, 50);
    });
  }

  /** Error-looking last lines of the logs of up to three recent failed tasks, redacted. */
  async stoppedTaskLogs(svc: ServiceConfig, tasks: Task[], td: TaskDefinition | undefined): Promise<Record<string, string[]>> {
    const c0 = mainContainer(td, serviceNames(this.env, svc).container);
    const opts = c0?.logConfiguration?.options;
    if (c0?.logConfiguration?.logDriver !== 'awslogs' || !opts?.['awslogs-group']) return {};
    const failed = tasks
      .filter(
        (t) =>
          classifyStop({
            stopCode: t.stopCode,
            stoppedReason: t.stoppedReason,
            containerReasons: (t.containers ?? []).map((c) => c.reason ?? ''),
            exitCodes: [],
            logLines: [],
          }) !== 'benign',
      )
      .slice(0, 3);
    if (!failed.length) return {};
    const { GetLogEventsCommand } = await import('../../aws/sdk/cloudwatch-logs.js');
    const c = await clients.logs(this.o.ctx);
    const out: Record<string, string[]> = {};
    await Promise.all(
      failed.map(async (t) => {
        const id = taskId(t.taskArn);
        const stream = logStreamName(opts['awslogs-stream-prefix'] ?? 'ecs', c0.name ?? '', id);
        try {
          const r = await c.send(
            new GetLogEventsCommand({ logGroupName: opts['awslogs-group'], logStreamName: stream, limit: 50, startFromHead: false }),
          );
          const lines = (r.events ?? [])
            .map((e) => (e.message ?? '').trim())
            .filter((m) => /error|exception|traceback|fatal|exec format|killed|denied|refused|timed? ?out|panic/i.test(m));
          if (lines.length) out[id] = lines.slice(-5).map((l) => redact(l.slice(0, 200)));
        } catch {
          /* no stream: the task never logged */
        }
      }),
    );
    return out;
  }

  logGroupExists(name: string): Promise<boolean> {
    return this.once(`lg:${name}`, async () => {
      const { DescribeLogGroupsCommand } = await import('../../aws/sdk/cloudwatch-logs.js');
      const c = await clients.logs(this.o.ctx);
      const r = await c.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
      return Boolean(r.logGroups?.some((g) => g.logGroupName === name));
    });
  }

  // ---- ECR ----
  image(uri: string): Promise<ImageFacts> {
    return this.once(`img:${uri}`, async () => {
      const ref = parseImage(uri);
      if (!ref.ecr) return { ref, found: false };
      const ecr = await import('../../aws/sdk/ecr.js');
      const c = await clients.ecr(this.o.ctx);
      let r;
      try {
        r = await c.send(
          new ecr.BatchGetImageCommand({
            registryId: ref.registryId,
            repositoryName: ref.repository,
            imageIds: [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag }],
            acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
          }),
        );
      } catch (e) {
        if (isNotFound(e)) return { ref, found: false, error: errText(e) };
        throw e;
      }
      const img = r.images?.[0];
      if (!img)
        return { ref, found: false, error: r.failures?.[0] ? `${r.failures[0].failureCode}: ${r.failures[0].failureReason}` : undefined };
      const manifest = readManifest(img.imageManifest, img.imageManifestMediaType);
      const facts: ImageFacts = { ref, found: true, manifest };
      if (manifest.kind === 'manifest' && manifest.configDigest && !manifest.architecture) {
        try {
          const one = await clients.ecrSingleAttempt(this.o.ctx);
          const u = await one.send(
            new ecr.GetDownloadUrlForLayerCommand({
              registryId: ref.registryId,
              repositoryName: ref.repository,
              layerDigest: manifest.configDigest,
            }),
          );
          const res = await (this.o.fetch ?? fetch)(u.downloadUrl!, { signal: AbortSignal.timeout(this.o.probeTimeoutMs ?? 5000) });
          const cfg = (await res.json()) as { architecture?: string; os?: string };
          facts.configArchitecture = cfg.architecture;
        } catch (e) {
          facts.configError = `could not read the image config: ${errText(e)}`;
        }
      }
      return facts;
    });
  }

  // ---- Secrets Manager ----
  secret(id: string): Promise<SecretShape> {
    return this.once(`secret:${id}`, async () => {
      const sm = await import('../../aws/sdk/secrets-manager.js');
      const c = await clients.secretsManager(this.o.ctx);
      const shape: SecretShape = { ref: id, found: false, json: false, keys: [], urls: {}, plain: {} };
      let d;
      try {
        d = await c.send(new sm.DescribeSecretCommand({ SecretId: id }));
      } catch (e) {
        if (isNotFound(e)) return shape;
        return { ...shape, error: errText(e) };
      }
      shape.found = true;
      shape.arn = d.ARN;
      shape.name = d.Name;
      shape.deleted = Boolean(d.DeletedDate);
      shape.kmsKeyId = d.KmsKeyId;
      if (shape.deleted) return shape;
      try {
        const v = await c.send(new sm.GetSecretValueCommand({ SecretId: id }));
        Object.assign(shape, describeSecretString(v.SecretString, registerSecret));
      } catch (e) {
        if (isNotFound(e)) shape.noValue = true;
        else shape.valueError = errText(e);
      }
      return shape;
    });
  }

  /** The secret id behind a platform reference (`@database` / `@redis`) as the task definitions wire it. */
  async platformSecretId(kind: '@database' | '@redis'): Promise<string | undefined> {
    // The secret the resource map pins for the database or the cache comes first.
    const pinned = kind === '@database' ? this.n.databaseSecret : this.env.resources?.cache?.secret && this.n.redisSecret;
    if (pinned) return pinned;
    for (const svc of this.o.services) {
      const envVar = Object.entries(svc.secrets).find(([, v]) => v.startsWith(kind))?.[0];
      if (!envVar) continue;
      const td = await this.taskDefinition(svc);
      const ref = secretRefs(td).find((r) => r.name === envVar);
      if (ref) return parseValueFrom(ref.valueFrom).secretId;
    }
    return undefined;
  }

  // ---- IAM ----
  role(name: string): Promise<RoleFacts> {
    return this.once(`role:${name}`, async () => {
      const iamMod = await import('../../aws/sdk/iam.js');
      const c = await clients.iam(this.o.ctx);
      const r = await orUndefined(c.send(new iamMod.GetRoleCommand({ RoleName: name })));
      if (!r?.Role) return { name, found: false, policies: [] };
      const [inline, attached] = await Promise.all([
        c.send(new iamMod.ListRolePoliciesCommand({ RoleName: name })),
        c.send(new iamMod.ListAttachedRolePoliciesCommand({ RoleName: name })),
      ]);
      const policies: NamedPolicy[] = await Promise.all([
        ...(inline.PolicyNames ?? []).map(async (p) => {
          const g = await c.send(new iamMod.GetRolePolicyCommand({ RoleName: name, PolicyName: p }));
          return { source: `inline:${p}`, document: parsePolicy(g.PolicyDocument) };
        }),
        ...(attached.AttachedPolicies ?? []).map(async (p) => {
          const g = await c.send(new iamMod.GetPolicyCommand({ PolicyArn: p.PolicyArn }));
          const v = await c.send(new iamMod.GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: g.Policy?.DefaultVersionId }));
          return { source: p.PolicyArn ?? p.PolicyName ?? '?', document: parsePolicy(v.PolicyVersion?.Document) };
        }),
      ]);
      return {
        name,
        found: true,
        arn: r.Role.Arn,
        trust: parsePolicy(r.Role.AssumeRolePolicyDocument),
        policies,
        permissionsBoundary: r.Role.PermissionsBoundary?.PermissionsBoundaryArn,
      };
    });
  }

  // ---- RDS ----
  dbCluster(): Promise<DBCluster | undefined> {
    return this.once('db', async () => {
      const { DescribeDBClustersCommand } = await import('../../aws/sdk/rds.js');
      const c = await clients.rds(this.o.ctx);
      return orUndefined(c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: this.n.dbCluster })).then((r) => r.DBClusters?.[0]));
    });
  }

  dbInstances(cluster: DBCluster | undefined): Promise<DBInstance[]> {
    return this.once('dbi', async () => {
      const ids = (cluster?.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier).filter((x): x is string => Boolean(x));
      if (!ids.length) return [];
      const { DescribeDBInstancesCommand } = await import('../../aws/sdk/rds.js');
      const c = await clients.rds(this.o.ctx);
      const rs = await Promise.all(
        ids.map((id) => orUndefined(c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).then((r) => r.DBInstances?.[0]))),
      );
      return rs.filter((x): x is DBInstance => Boolean(x));
    });
  }

  dbSubnetGroup(cluster: DBCluster | undefined): Promise<DBSubnetGroup | undefined> {
    return this.once('dbsg', async () => {
      const { DescribeDBSubnetGroupsCommand } = await import('../../aws/sdk/rds.js');
      const c = await clients.rds(this.o.ctx);
      const name = cluster?.DBSubnetGroup ?? this.n.dbSubnetGroup;
      return orUndefined(c.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })).then((r) => r.DBSubnetGroups?.[0]));
    });
  }

  // ---- ElastiCache ----
  replicationGroup(): Promise<ReplicationGroup | undefined> {
    return this.once('rg', async () => {
      const { DescribeReplicationGroupsCommand } = await import('../../aws/sdk/elasticache.js');
      const c = await clients.elasticache(this.o.ctx);
      return orUndefined(
        c
          .send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: this.n.cacheReplicationGroup }))
          .then((r) => r.ReplicationGroups?.[0]),
      );
    });
  }

  cacheClusters(rg: ReplicationGroup | undefined): Promise<CacheCluster[]> {
    return this.once('cc', async () => {
      const ids = rg?.MemberClusters ?? [];
      if (!ids.length) return [];
      const { DescribeCacheClustersCommand } = await import('../../aws/sdk/elasticache.js');
      const c = await clients.elasticache(this.o.ctx);
      const rs = await Promise.all(
        ids.map((id) => orUndefined(c.send(new DescribeCacheClustersCommand({ CacheClusterId: id })).then((r) => r.CacheClusters?.[0]))),
      );
      return rs.filter((x): x is CacheCluster => Boolean(x));
    });
  }

  cacheSubnetGroup(): Promise<CacheSubnetGroup | undefined> {
    return this.once('csg', async () => {
      const clusters = await this.cacheClusters(await this.replicationGroup());
      const { DescribeCacheSubnetGroupsCommand } = await import('../../aws/sdk/elasticache.js');
      const c = await clients.elasticache(this.o.ctx);
      const name = clusters[0]?.CacheSubnetGroupName ?? this.n.cacheSubnetGroup;
      return orUndefined(
        c.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: name })).then((r) => r.CacheSubnetGroups?.[0]),
      );
    });
  }

  // ---- ACM / Route 53 ----
  certificates(): Promise<CertificateDetail[]> {
    return this.once('certs', async () => {
      const acm = await import('../../aws/sdk/acm.js');
      const c = await clients.acm(this.o.ctx);
      const fqdn = this.n.fqdn;
      const covers = (name: string | undefined) =>
        Boolean(name && (name === fqdn || (name.startsWith('*.') && fqdn.endsWith(name.slice(1)))));
      const arns: string[] = [];
      let token: string | undefined;
      let pages = 0;
      // A failing ListCertificates (a missing acm:ListCertificates permission) must not hide the
      // listener's own certificates: they are described below anyway.
      do {
        const r = await c
          .send(
            new acm.ListCertificatesCommand({
              CertificateStatuses: ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'],
              Includes: { keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] },
              NextToken: token,
            }),
          )
          .catch((e: Error) => {
            if (this.o.ctx.endpoint || e.name === 'AccessDeniedException') return undefined;
            throw e;
          });
        if (!r) break;
        for (const s of r.CertificateSummaryList ?? [])
          if (covers(s.DomainName) || s.SubjectAlternativeNameSummaries?.some(covers)) arns.push(s.CertificateArn!);
        token = r.NextToken;
      } while (token && ++pages < 20);
      for (const l of await this.listeners())
        for (const cert of l.Certificates ?? [])
          if (cert.CertificateArn && !arns.includes(cert.CertificateArn)) arns.push(cert.CertificateArn);
      const ds = await Promise.all(
        arns
          .slice(0, 20)
          .map((a) => orUndefined(c.send(new acm.DescribeCertificateCommand({ CertificateArn: a })).then((r) => r.Certificate))),
      );
      return ds.filter((x): x is CertificateDetail => Boolean(x));
    });
  }

  zone(): Promise<HostedZoneFacts | undefined> {
    return this.once('zone', async () => {
      const r53 = await import('../../aws/sdk/route-53.js');
      const c = await clients.route53(this.o.ctx);
      const domain = this.env.domain.name;
      let id = this.env.domain.zoneId;
      if (!id) {
        const r = await c.send(new r53.ListHostedZonesByNameCommand({ DNSName: domain, MaxItems: 10 }));
        id = r.HostedZones?.find((z) => z.Name?.replace(/\.$/, '') === domain && !z.Config?.PrivateZone)?.Id;
      }
      if (!id) return undefined;
      const z = await orUndefined(c.send(new r53.GetHostedZoneCommand({ Id: id })));
      if (!z?.HostedZone) return undefined;
      const records = [];
      let start: { name?: string; type?: string; id?: string } | undefined = {};
      for (let page = 0; start && page < 10; page++) {
        const r: import('@aws-sdk/client-route-53').ListResourceRecordSetsCommandOutput = await c.send(
          new r53.ListResourceRecordSetsCommand({
            HostedZoneId: id,
            StartRecordName: start.name,
            StartRecordType: start.type as never,
            StartRecordIdentifier: start.id,
          }),
        );
        records.push(...(r.ResourceRecordSets ?? []));
        start = r.IsTruncated ? { name: r.NextRecordName, type: r.NextRecordType, id: r.NextRecordIdentifier } : undefined;
      }
      return {
        id: z.HostedZone.Id!.replace('/hostedzone/', ''),
        name: z.HostedZone.Name ?? domain,
        nameServers: z.DelegationSet?.NameServers ?? [],
        records,
      };
    });
  }

  /** Where the domain is delegated: public DNS for a real account, the zone's own NS record set on an emulator. */
  delegation(zone: HostedZoneFacts | undefined): Promise<{ source: 'dns' | 'zone-ns-record'; nameServers: string[]; error?: string }> {
    return this.once('deleg', async () => {
      const domain = this.env.domain.name;
      if (this.o.ctx.endpoint && !this.o.resolveNs) {
        const ns = zone?.records.find((r) => r.Type === 'NS' && r.Name?.replace(/\.$/, '') === domain);
        return { source: 'zone-ns-record' as const, nameServers: (ns?.ResourceRecords ?? []).map((r) => r.Value ?? '') };
      }
      try {
        const resolve =
          this.o.resolveNs ??
          (async (d: string) => {
            const { Resolver } = await import('node:dns/promises');
            return new Resolver({ timeout: 3000, tries: 2 }).resolveNs(d);
          });
        return { source: 'dns' as const, nameServers: await resolve(domain) };
      } catch (e) {
        return { source: 'dns' as const, nameServers: [], error: (e as NodeJS.ErrnoException).code ?? errText(e) };
      }
    });
  }

  // ---- HTTP ----
  probe(svc: ServiceConfig): Promise<ProbeResult> {
    return this.once(`probe:${svc.name}`, async () => {
      const ctx = this.o.ctx;
      let url: string;
      if (ctx.publicUrlOverride) url = ctx.publicUrlOverride.replace(/\/$/, '') + publicHealthPath(svc);
      else if (ctx.endpoint)
        return { skipped: `AWS calls go to an emulator (${ctx.endpoint}) and no local stand-in for the public URL is known` };
      else url = serviceNames(this.env, svc).healthUrl;
      try {
        const res = await (this.o.fetch ?? fetch)(url, { signal: AbortSignal.timeout(this.o.probeTimeoutMs ?? 5000), redirect: 'follow' });
        const body = redact((await res.text()).replace(/\s+/g, ' ').trim().slice(0, 200));
        return { url, status: res.status, body };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        return { url, error: err.cause?.code ?? err.cause?.message ?? err.message };
      }
    });
  }
}
