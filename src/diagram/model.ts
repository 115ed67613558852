/**
 * The platform's picture as a pure model: synthesized stacks (terraform JSON) -> groups, nodes and
 * labelled edges. Everything shown is read from the synthesized resources, never from a hand-kept
 * list; secrets appear by name only. Renderers (mermaid, drawio, svg, html) draw this model.
 */
import { resourcesAll, resourcesOf, refersTo, subnetTier, type SynthDocs, type TfResource } from './tfjson.js';

export type NodeKind =
  'internet' | 'dns' | 'certificate' | 'listener' | 'service' | 'subnet' | 'nat' | 'database' | 'cache' | 'secret' | 'alarms' | 'topic';
export type EdgeKind = 'traffic' | 'dns' | 'tls' | 'egress' | 'notify' | 'secret';

export interface DiagramNode {
  id: string;
  kind: NodeKind;
  /** First line: the resource's name. */
  label: string;
  /** Further lines: size, counts, ports, versions. */
  lines: string[];
  parent?: string;
}
export interface DiagramGroup {
  id: string;
  label: string;
  parent?: string;
}
export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  kind: EdgeKind;
}
export interface Diagram {
  title: string;
  groups: DiagramGroup[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

const TIERS = ['public', 'private', 'database'] as const;

export function buildDiagram(docs: SynthDocs, title: string): Diagram {
  const d: Diagram = { title, groups: [], nodes: [], edges: [] };
  d.nodes.push({ id: 'internet', kind: 'internet', label: 'Internet', lines: ['users, registrar, external APIs'] });
  addNetwork(d, docs);
  addDns(d, docs);
  addEdge(d, docs);
  addServices(d, docs);
  addData(d, docs);
  addSecurityChain(d, docs);
  addSecrets(d, docs);
  addAlarms(d, docs);
  return d;
}

function addNetwork(d: Diagram, docs: SynthDocs): void {
  const vpc = resourcesOf(docs, 'network', 'aws_vpc')[0]?.[1];
  d.groups.push({ id: 'vpc', label: `VPC ${vpc?.cidr_block ?? ''}`.trim() });
  for (const tier of TIERS) d.groups.push({ id: `tier_${tier}`, label: `${tier} tier`, parent: 'vpc' });
  for (const tier of TIERS) {
    const subnets = resourcesOf(docs, 'network', 'aws_subnet').filter(([name]) => subnetTier(name)?.tier === tier);
    const lines = subnets.map(([name, s]) => `AZ ${subnetTier(name)!.az + 1} · ${s.cidr_block} · ${s.tags?.Name ?? name}`);
    d.nodes.push({
      id: `subnets_${tier}`,
      kind: 'subnet',
      label: `${subnets.length} ${tier} subnet${subnets.length === 1 ? '' : 's'}`,
      lines,
      parent: `tier_${tier}`,
    });
  }
  for (const [name, nat] of resourcesOf(docs, 'network', 'aws_nat_gateway')) {
    const t = subnetTier(nat.subnet_id);
    d.nodes.push({
      id: `nat_${t?.az ?? name}`,
      kind: 'nat',
      label: `${nat.tags?.Name ?? name}`,
      lines: [`NAT gateway · AZ ${(t?.az ?? 0) + 1}`, 'Elastic IP'],
      parent: 'tier_public',
    });
  }
}

function addDns(d: Diagram, docs: SynthDocs): void {
  const zone = resourcesOf(docs, 'dns', 'aws_route53_zone')[0]?.[1];
  const alias = resourcesOf(docs, 'edge', 'aws_route53_record')[0]?.[1];
  d.nodes.push({
    id: 'route53',
    kind: 'dns',
    label: `Route 53 ${zone?.name ?? '(existing zone)'}`,
    lines: alias ? [`${alias.name} ${alias.type} alias`] : [],
  });
  for (const [, cert] of resourcesOf(docs, 'dns', 'aws_acm_certificate')) {
    d.nodes.push({
      id: 'certificate',
      kind: 'certificate',
      label: `ACM ${cert.domain_name}`,
      lines: [`${cert.validation_method}-validated, auto-renewed`],
    });
    d.edges.push({ from: 'route53', to: 'certificate', label: 'validation CNAME', kind: 'dns' });
  }
  d.edges.push({ from: 'internet', to: 'route53', label: 'DNS', kind: 'dns' });
}

function addEdge(d: Diagram, docs: SynthDocs): void {
  const alb = resourcesOf(docs, 'edge', 'aws_lb')[0]?.[1];
  if (!alb) return;
  d.groups.push({ id: 'alb', label: `ALB ${alb.name}`, parent: 'tier_public' });
  for (const [name, l] of resourcesOf(docs, 'edge', 'aws_lb_listener')) {
    const action = l.default_action?.[0] ?? {};
    const what =
      action.type === 'redirect' ? `redirect to ${action.redirect?.protocol}:${action.redirect?.port}` : (l.ssl_policy ?? action.type);
    d.nodes.push({ id: listenerId(name), kind: 'listener', label: `${l.protocol} :${l.port}`, lines: [what], parent: 'alb' });
    if (action.type === 'redirect') d.edges.push({ from: listenerId(name), to: 'listener_https', label: '301', kind: 'traffic' });
    if (l.certificate_arn) d.edges.push({ from: 'certificate', to: listenerId(name), label: 'certificate', kind: 'tls' });
  }
  d.edges.push({
    from: 'route53',
    to: 'listener_https',
    label: `${docs.edge.resource?.aws_route53_record ? 'alias A' : 'DNS'}`,
    kind: 'dns',
  });
}

const listenerId = (name: string) => `listener_${name.replace(/^edge_/, '')}`;

/** Per service: task size, architecture, count range, port, and the path rule that routes to it. */
function addServices(d: Diagram, docs: SynthDocs): void {
  const rules = resourcesOf(docs, 'edge', 'aws_lb_listener_rule');
  const https = resourcesOf(docs, 'edge', 'aws_lb_listener').find(([, l]) => l.protocol === 'HTTPS')?.[1];
  for (const [name, svc] of resourcesOf(docs, 'service', 'aws_ecs_service')) {
    const base = name.replace(/^service_/, '').replace(/-service$/, '');
    const td = resourcesOf(docs, 'service', 'aws_ecs_task_definition').find(([n]) => n === `service_${base}-task-definition`)?.[1];
    const scale = resourcesOf(docs, 'service', 'aws_appautoscaling_target').find(([n]) => n === `service_${base}-scaling-target`)?.[1];
    const lb = svc.load_balancer?.[0] ?? {};
    d.nodes.push({
      id: `svc_${svc.name}`,
      kind: 'service',
      label: `${svc.name}`,
      lines: [
        taskSize(td),
        `tasks ${svc.desired_count} (${scale?.min_capacity ?? svc.desired_count}–${scale?.max_capacity ?? svc.desired_count})`,
        `port ${lb.container_port}`,
      ],
      parent: 'tier_private',
    });
    const tgName = lb.target_group_arn ? tgLogical(docs, lb.target_group_arn) : undefined;
    const rule = rules.find(([, r]) => tgName && isProductionRule(r) && ruleForwardsTo(r, tgName))?.[1];
    const isDefault = tgName && refersTo(https?.default_action?.[0]?.target_group_arn, 'aws_lb_target_group', tgName);
    const path = rule
      ? `${rule.condition?.[0]?.path_pattern?.values?.join(', ')} (priority ${rule.priority})`
      : isDefault
        ? 'default'
        : undefined;
    if (path) d.edges.push({ from: 'listener_https', to: `svc_${svc.name}`, label: `${path} → :${lb.container_port}`, kind: 'traffic' });
  }
}

/** A production rule: no header condition (a test rule carries `X-Berth-Test`). */
const isProductionRule = (r: TfResource) => !(r.condition ?? []).some((c: TfResource) => c.http_header);

/** Whether the rule's first action forwards to the target group, plainly or as one of a weighted forward's groups. */
function ruleForwardsTo(r: TfResource, tgName: string): boolean {
  const a = r.action?.[0] ?? {};
  const weighted = (a.forward?.[0] ?? a.forward)?.target_group ?? [];
  return (
    refersTo(a.target_group_arn, 'aws_lb_target_group', tgName) ||
    (Array.isArray(weighted) && weighted.some((t: TfResource) => refersTo(t.arn, 'aws_lb_target_group', tgName)))
  );
}

function taskSize(td: TfResource | undefined): string {
  if (!td) return '';
  const vcpu = Number(td.cpu) / 1024;
  const gb = Number(td.memory) / 1024;
  return `${vcpu} vCPU · ${gb} GB · ${td.runtime_platform?.cpu_architecture ?? 'X86_64'}`;
}

function tgLogical(docs: SynthDocs, ref: string): string | undefined {
  return resourcesOf(docs, 'edge', 'aws_lb_target_group').find(([n]) => refersTo(ref, 'aws_lb_target_group', n))?.[0];
}

function addData(d: Diagram, docs: SynthDocs): void {
  const tierOf = (subnetIds: unknown) => subnetTier(Array.isArray(subnetIds) ? subnetIds[0] : undefined)?.tier ?? 'database';
  for (const [, c] of resourcesOf(docs, 'data', 'aws_rds_cluster')) {
    const sv = c.serverlessv2_scaling_configuration ?? {};
    const group = resourcesOf(docs, 'data', 'aws_db_subnet_group')[0]?.[1];
    const engine =
      ({ 'aurora-postgresql': 'Aurora PostgreSQL', 'aurora-mysql': 'Aurora MySQL' } as Record<string, string>)[c.engine] ??
      String(c.engine);
    d.nodes.push({
      id: 'aurora',
      kind: 'database',
      label: c.cluster_identifier,
      lines: [`${engine} ${c.engine_version}`, `Serverless v2 ${sv.min_capacity}–${sv.max_capacity} ACU`, `port ${c.port}`],
      parent: `tier_${tierOf(group?.subnet_ids)}`,
    });
  }
  for (const [, r] of resourcesOf(docs, 'cache', 'aws_elasticache_replication_group')) {
    const group = resourcesOf(docs, 'cache', 'aws_elasticache_subnet_group')[0]?.[1];
    const tls = r.transit_encryption_enabled === true || r.transit_encryption_enabled === 'true';
    d.nodes.push({
      id: 'redis',
      kind: 'cache',
      label: r.replication_group_id,
      lines: [`Redis ${r.engine_version} · ${r.node_type} × ${r.num_cache_clusters}`, `port ${r.port}${tls ? ' · TLS' : ''}`],
      parent: `tier_${tierOf(group?.subnet_ids)}`,
    });
  }
}

/** The security groups and which nodes each one guards. */
function sgMembers(d: Diagram, docs: SynthDocs): Map<string, string[]> {
  const members = new Map<string, string[]>();
  const add = (ref: unknown, node: string) => {
    for (const [sg] of resourcesOf(docs, 'security', 'aws_security_group')) {
      if (refersTo(ref, 'aws_security_group', sg)) members.set(sg, [...(members.get(sg) ?? []), node]);
    }
  };
  for (const [, alb] of resourcesOf(docs, 'edge', 'aws_lb')) for (const r of alb.security_groups ?? []) add(r, 'listener_https');
  for (const [, s] of resourcesOf(docs, 'service', 'aws_ecs_service'))
    for (const r of s.network_configuration?.security_groups ?? []) add(r, `svc_${s.name}`);
  for (const [, c] of resourcesOf(docs, 'data', 'aws_rds_cluster')) for (const r of c.vpc_security_group_ids ?? []) add(r, 'aurora');
  for (const [, c] of resourcesOf(docs, 'cache', 'aws_elasticache_replication_group'))
    for (const r of c.security_group_ids ?? []) add(r, 'redis');
  void d;
  return members;
}

/** Ingress rules as edges from the source (internet or a security group's members) with their ports. */
function addSecurityChain(d: Diagram, docs: SynthDocs): void {
  const members = sgMembers(d, docs);
  const labels = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const [, rule] of resourcesOf(docs, 'security', 'aws_vpc_security_group_ingress_rule')) {
    const target = [...members].find(([sg]) => refersTo(rule.security_group_id, 'aws_security_group', sg));
    const source = rule.cidr_ipv4
      ? [rule.cidr_ipv4 === '0.0.0.0/0' ? 'internet' : rule.cidr_ipv4]
      : [...members].find(([sg]) => refersTo(rule.referenced_security_group_id, 'aws_security_group', sg))?.[1];
    for (const from of source ?? []) {
      for (const to of target?.[1] ?? []) {
        if (to.startsWith('svc_') && !d.nodes.find((n) => n.id === to)?.lines.includes(`port ${rule.from_port}`)) continue;
        const to2 = to === 'listener_https' && rule.from_port === 80 ? 'listener_http' : to;
        const key = `${from}>${to2}`;
        const e = labels.get(key) ?? { from, to: to2, ports: [] as string[] };
        e.ports.push(portText(rule));
        labels.set(key, e);
      }
    }
  }
  for (const e of [...labels.values()].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`))) {
    const routed = d.edges.find((x) => x.from === e.from && x.to === e.to);
    if (routed)
      routed.label += ` · SG ${e.ports.join(', ')}`; // the path rule's edge carries the port the SG allows
    else d.edges.push({ from: e.from, to: e.to, label: `SG ${e.ports.join(', ')}`, kind: 'traffic' });
  }
  addEgress(d, docs, members);
}

const portText = (r: TfResource) => `${r.ip_protocol} ${r.from_port === r.to_port ? r.from_port : `${r.from_port}-${r.to_port}`}`;

/** Egress to the internet (0.0.0.0/0) leaves through the NAT gateways. */
function addEgress(d: Diagram, docs: SynthDocs, members: Map<string, string[]>): void {
  const nats = d.nodes.filter((n) => n.kind === 'nat');
  for (const [, rule] of resourcesOf(docs, 'security', 'aws_vpc_security_group_egress_rule')) {
    if (rule.cidr_ipv4 !== '0.0.0.0/0') continue;
    const from = [...members].find(([sg]) => refersTo(rule.security_group_id, 'aws_security_group', sg))?.[1] ?? [];
    for (const f of from) for (const nat of nats) d.edges.push({ from: f, to: nat.id, label: `egress ${portText(rule)}`, kind: 'egress' });
  }
  for (const nat of nats) d.edges.push({ from: nat.id, to: 'internet', label: 'via internet gateway', kind: 'egress' });
}

/** Secrets Manager secrets berth creates, by name; the RDS-managed master secret by its owner. */
function addSecrets(d: Diagram, docs: SynthDocs): void {
  d.groups.push({ id: 'secrets', label: 'Secrets Manager' });
  for (const { name, res } of resourcesAll(docs, 'aws_secretsmanager_secret')) {
    d.nodes.push({
      id: `secret_${name}`,
      kind: 'secret',
      label: res.name,
      lines: [res.tags?.['berth-secret'] === 'operator-filled' ? 'filled by the operator' : 'written by berth'],
      parent: 'secrets',
    });
  }
  for (const [, c] of resourcesOf(docs, 'data', 'aws_rds_cluster')) {
    if (c.manage_master_user_password)
      d.nodes.push({
        id: 'secret_rds_master',
        kind: 'secret',
        label: `${c.cluster_identifier} master user`,
        lines: ['managed by RDS'],
        parent: 'secrets',
      });
  }
  for (const [, td] of resourcesOf(docs, 'service', 'aws_ecs_task_definition')) {
    const svc = JSON.parse(td.container_definitions ?? '[]')[0] ?? {};
    const reads = new Set<string>();
    for (const s of svc.secrets ?? []) {
      const hit = resourcesAll(docs, 'aws_secretsmanager_secret').find((r) => refersTo(s.valueFrom, 'aws_secretsmanager_secret', r.name));
      reads.add(hit ? `secret_${hit.name}` : 'secret_rds_master');
    }
    for (const id of [...reads].sort()) d.edges.push({ from: `svc_${svc.name}`, to: id, label: 'reads', kind: 'secret' });
  }
}

function addAlarms(d: Diagram, docs: SynthDocs): void {
  const alarms = resourcesOf(docs, 'alarms', 'aws_cloudwatch_metric_alarm').map(([, a]) => a);
  const topic = resourcesOf(docs, 'alarms', 'aws_sns_topic')[0]?.[1];
  const subs = resourcesOf(docs, 'alarms', 'aws_sns_topic_subscription').length;
  d.nodes.push({
    id: 'alarms',
    kind: 'alarms',
    label: `CloudWatch alarms (${alarms.length})`,
    lines: alarms.map((a) => `${a.alarm_name} > ${a.threshold}`),
  });
  if (topic) {
    d.nodes.push({
      id: 'topic',
      kind: 'topic',
      label: `SNS ${topic.name}`,
      lines: [`${subs} e-mail subscription${subs === 1 ? '' : 's'}`],
    });
    d.edges.push({ from: 'alarms', to: 'topic', label: 'ALARM / OK', kind: 'notify' });
  }
}
