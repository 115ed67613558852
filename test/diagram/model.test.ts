import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../../src/config/names.js';
import { buildDiagram, type Diagram } from '../../src/diagram/model.js';
import { renderDiagram } from '../../src/diagram/render.js';
import { readSynthDocs, type SynthDocs } from '../../src/diagram/tfjson.js';
import { environment, synth, type Json, type Synthed } from '../stacks/helpers.js';

interface Case {
  s: Synthed;
  docs: SynthDocs;
  d: Diagram;
}
const cases: Record<string, Case> = {};
const load = async (name: string, mutate?: (raw: Json) => void) => {
  const s = await synth(environment(name, mutate));
  const docs = readSynthDocs(s.result.outdir, names(s.env).stack);
  return { s, docs, d: buildDiagram(docs, name) };
};

beforeAll(async () => {
  for (const name of ['platform', 'two-service', 'sandbox']) cases[name] = await load(name);
  cases['three'] = await load('two-service', (raw) =>
    raw.services.push({
      name: 'worker',
      port: 9000,
      cpu: 2048,
      memory: 4096,
      cpuArchitecture: 'ARM64',
      desiredCount: 1,
      minCount: 1,
      maxCount: 3,
      healthPath: '/ready',
      pathPattern: '/jobs/*',
    }),
  );
});
afterAll(() => Object.values(cases).forEach((c) => c.s.cleanup()));

const node = (d: Diagram, id: string) => d.nodes.find((n) => n.id === id);
const text = (d: Diagram) => JSON.stringify(d);

describe('the diagram model, checked against the synthesized JSON', () => {
  for (const name of ['platform', 'two-service', 'sandbox', 'three']) {
    it(`${name}: every service with its task size and count range, and the path rule that routes to it`, () => {
      const { s, d } = cases[name]!;
      for (const [key, svc] of Object.entries(s.resources('service', 'aws_ecs_service'))) {
        const base = key.replace(/^service_/, '').replace(/-service$/, '');
        const td = s.resources('service', 'aws_ecs_task_definition')[`service_${base}-task-definition`];
        const st = s.resources('service', 'aws_appautoscaling_target')[`service_${base}-scaling-target`];
        const n = node(d, `svc_${svc.name}`)!;
        expect(n, svc.name).toBeDefined();
        expect(n.lines).toContain(
          `${Number(td.cpu) / 1024} vCPU · ${Number(td.memory) / 1024} GB · ${td.runtime_platform.cpu_architecture}`,
        );
        expect(n.lines).toContain(`tasks ${svc.desired_count} (${st.min_capacity}–${st.max_capacity})`);
        const routed = d.edges.find((e) => e.from === 'listener_https' && e.to === n.id)!;
        expect(routed.label).toContain(`SG tcp ${svc.load_balancer[0].container_port}`);
      }
      // Production rules (a test rule, X-Berth-Test, is not a route of the public URL).
      for (const r of Object.values(s.resources('edge', 'aws_lb_listener_rule')).filter(
        (x) => !x.condition.some((c: Json) => c.http_header),
      )) {
        expect(d.edges.some((e) => e.label.startsWith(`${r.condition[0].path_pattern.values[0]} (priority ${r.priority})`))).toBe(true);
      }
    });

    it(`${name}: listeners, subnets by tier and AZ, NAT gateways, Aurora, Redis`, () => {
      const { s, d } = cases[name]!;
      for (const l of Object.values(s.resources('edge', 'aws_lb_listener')))
        expect(d.nodes.some((n) => n.kind === 'listener' && n.label === `${l.protocol} :${l.port}`)).toBe(true);
      for (const [key, sub] of Object.entries(s.resources('network', 'aws_subnet'))) {
        const [, tier, az] = /subnet-(\w+)-(\d)/.exec(key)!;
        expect(node(d, `subnets_${tier}`)!.lines).toContain(`AZ ${Number(az) + 1} · ${sub.cidr_block} · ${sub.tags.Name}`);
      }
      expect(d.nodes.filter((n) => n.kind === 'nat').length).toBe(Object.keys(s.resources('network', 'aws_nat_gateway')).length);
      const c = s.resource('data', 'aws_rds_cluster');
      expect(node(d, 'aurora')!.lines).toContain(
        `Serverless v2 ${c.serverlessv2_scaling_configuration.min_capacity}–${c.serverlessv2_scaling_configuration.max_capacity} ACU`,
      );
      expect(node(d, 'aurora')!.parent).toBe('tier_database');
      const r = s.resource('cache', 'aws_elasticache_replication_group');
      expect(node(d, 'redis')!.lines[0]).toBe(`Redis ${r.engine_version} · ${r.node_type} × ${r.num_cache_clusters}`);
    });

    it(`${name}: DNS, certificate, secrets by name, alarms and their topic`, () => {
      const { s, d } = cases[name]!;
      expect(node(d, 'route53')!.lines[0]).toContain(s.resource('edge', 'aws_route53_record').name);
      expect(node(d, 'certificate')!.label).toBe(`ACM ${s.resource('dns', 'aws_acm_certificate').domain_name}`);
      for (const kind of ['service', 'cache'] as const) {
        for (const sec of Object.values(s.resources(kind, 'aws_secretsmanager_secret')))
          expect(d.nodes.some((n) => n.kind === 'secret' && n.label === sec.name)).toBe(true);
      }
      for (const a of Object.values(s.resources('alarms', 'aws_cloudwatch_metric_alarm')))
        expect(node(d, 'alarms')!.lines).toContain(`${a.alarm_name} > ${a.threshold}`);
      expect(node(d, 'topic')!.label).toBe(`SNS ${s.resource('alarms', 'aws_sns_topic').name}`);
      expect(d.edges).toContainEqual({ from: 'alarms', to: 'topic', label: 'ALARM / OK', kind: 'notify' });
    });

    it(`${name}: the security-group chain, one labelled edge per ingress rule's port`, () => {
      const { s, d } = cases[name]!;
      for (const rule of Object.values(s.resources('security', 'aws_vpc_security_group_ingress_rule'))) {
        expect(
          d.edges.some((e) => e.label.includes(`SG tcp ${rule.from_port}`)),
          `${rule.description}`,
        ).toBe(true);
      }
      const db = s.resource('data', 'aws_rds_cluster').port;
      for (const svc of Object.values(s.resources('service', 'aws_ecs_service'))) {
        expect(d.edges).toContainEqual({ from: `svc_${svc.name}`, to: 'aurora', label: `SG tcp ${db}`, kind: 'traffic' });
        expect(d.edges).toContainEqual({ from: `svc_${svc.name}`, to: 'redis', label: 'SG tcp 6379', kind: 'traffic' });
      }
      expect(d.edges).toContainEqual({ from: 'internet', to: 'listener_https', label: 'SG tcp 443', kind: 'traffic' });
    });
  }

  it('a service added to the environment appears, routed by its path rule, sized and counted', () => {
    const n = node(cases['three']!.d, 'svc_worker')!;
    expect(n.lines).toEqual(['2 vCPU · 4 GB · ARM64', 'tasks 1 (1–3)', 'port 9000']);
    expect(cases['three']!.d.edges.find((e) => e.to === 'svc_worker' && e.from === 'listener_https')!.label).toMatch(
      /^\/jobs\/\* \(priority \d+\) → :9000 · SG tcp 9000$/,
    );
    expect(node(cases['two-service']!.d, 'svc_worker')).toBeUndefined();
  });

  it('follows the NAT mode: one gateway with nat=single, one per AZ with per-az', () => {
    expect(cases['platform']!.d.nodes.filter((n) => n.kind === 'nat').map((n) => n.id)).toEqual(['nat_0']);
    expect(cases['two-service']!.d.nodes.filter((n) => n.kind === 'nat').map((n) => n.id)).toEqual(['nat_0', 'nat_1']);
  });

  it('holds no secret value and renders deterministically in every format', async () => {
    for (const c of Object.values(cases)) {
      const t = text(c.d);
      for (const v of Object.values(c.s.resources('cache', 'aws_secretsmanager_secret_version')))
        expect(t).not.toContain(String(v.secret_string).slice(0, 40));
      expect(t).not.toMatch(/random_password|auth_token|secret_string/);
      for (const f of ['mermaid', 'drawio', 'svg', 'html'] as const)
        expect(await renderDiagram(c.d, f)).toBe(await renderDiagram(buildDiagram(c.docs, c.d.title), f));
    }
  });
});
