import { Testing } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Synthed } from './helpers.js';

let platform: Synthed;
let two: Synthed;
let sandbox: Synthed;
let noDefault: Synthed; // no service on /*: HTTPS default action must be a fixed 404
let existingZone: Synthed;

beforeAll(async () => {
  platform = await synth(environment('platform'));
  two = await synth(environment('two-service'));
  sandbox = await synth(environment('sandbox'));
  noDefault = await synth(environment('two-service', (e) => (e.services[0].pathPattern = '/web/*')));
  existingZone = await synth(
    environment('platform', (e) => (e.domain = { name: 'example.com', record: 'api', zone: 'existing', zoneId: 'Z0123456789ABC' })),
  );
});
afterAll(() => [platform, two, sandbox, noDefault, existingZone].forEach((s) => s?.cleanup()));

describe('registry stack', () => {
  it('creates one scanned, encrypted repository per service image, MUTABLE (latest is pushed)', () => {
    const repos = Object.values(two.resources('registry', 'aws_ecr_repository'));
    expect(repos.map((r) => r.name).sort()).toEqual(['lawfirm/api', 'lawfirm/web']);
    for (const r of repos) {
      expect(r.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(r.image_tag_mutability).toBe('MUTABLE');
      expect(['AES256', 'KMS']).toContain(r.encryption_configuration[0].encryption_type);
      expect(r.force_delete).toBe(false);
    }
    expect(sandbox.resource('registry', 'aws_ecr_repository').force_delete).toBe(true);
  });

  it('expires untagged images after 14 days and keeps the last 30 tagged ones, on every repository', () => {
    const policies = Object.values(two.resources('registry', 'aws_ecr_lifecycle_policy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      const rules = JSON.parse(p.policy).rules;
      expect(rules).toContainEqual(
        expect.objectContaining({
          selection: expect.objectContaining({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }),
          action: { type: 'expire' },
        }),
      );
      expect(rules).toContainEqual(
        expect.objectContaining({
          selection: expect.objectContaining({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 30 }),
          action: { type: 'expire' },
        }),
      );
    }
    const repoRefs = policies.map((p) => p.repository).sort();
    expect(repoRefs).toEqual([
      '${aws_ecr_repository.registry_repo-lawfirm-api.name}',
      '${aws_ecr_repository.registry_repo-lawfirm-web.name}',
    ]);
  });
});

describe('dns stack', () => {
  it('creates the zone and a DNS-validated certificate for the fqdn, with validation records and the validation resource', () => {
    expect(platform.resource('dns', 'aws_route53_zone').name).toBe('example.com');
    const cert = platform.resource('dns', 'aws_acm_certificate');
    expect(cert).toMatchObject({ domain_name: 'api.example.com', validation_method: 'DNS', lifecycle: { create_before_destroy: true } });
    const rec = platform.resource('dns', 'aws_route53_record');
    expect(rec.for_each).toBe(
      '${{ for key, val in tolist(aws_acm_certificate.dns_certificate.domain_validation_options): val.domain_name => val }}',
    );
    expect(rec).toMatchObject({
      allow_overwrite: true,
      name: '${each.value.resource_record_name}',
      type: '${each.value.resource_record_type}',
      records: ['${each.value.resource_record_value}'],
      zone_id: '${aws_route53_zone.dns_zone.zone_id}',
    });
    const v = platform.resource('dns', 'aws_acm_certificate_validation');
    expect(v.certificate_arn).toBe('${aws_acm_certificate.dns_certificate.arn}');
    expect(v.validation_record_fqdns).toContain('aws_route53_record.dns_validation-record');
    const out = platform.stacks.dns.output;
    expect(out.certificate_arn.value).toBe('${aws_acm_certificate_validation.dns_certificate-validation.certificate_arn}');
    expect(out.name_servers.value).toBe('${aws_route53_zone.dns_zone.name_servers}');
    expect(out.zone_id.value).toBe('${aws_route53_zone.dns_zone.zone_id}');
  });

  it('looks an existing zone up by id instead of creating one', () => {
    expect(existingZone.resources('dns', 'aws_route53_zone')).toEqual({});
    expect(Testing.toHaveDataSourceWithProperties(existingZone.text('dns'), 'aws_route53_zone', { zone_id: 'Z0123456789ABC' })).toBe(true);
    expect(existingZone.resource('dns', 'aws_route53_record').zone_id).toBe('${data.aws_route53_zone.dns_zone.zone_id}');
  });
});

describe('edge stack', () => {
  it('puts an internet-facing ALB in the public subnets with the alb group, dropping invalid headers', () => {
    const alb = platform.resource('edge', 'aws_lb');
    expect(alb).toMatchObject({
      name: 'chatbot-platform-alb',
      internal: false,
      load_balancer_type: 'application',
      drop_invalid_header_fields: true,
      idle_timeout: 60,
      enable_deletion_protection: true,
    });
    expect(alb.subnets.map((x: string) => platform.ref('edge', x))).toEqual([
      'network:${aws_subnet.network_subnet-public-0.id}',
      'network:${aws_subnet.network_subnet-public-1.id}',
    ]);
    expect(platform.ref('edge', alb.security_groups[0])).toBe('security:${aws_security_group.security_alb.id}');
    expect(sandbox.resource('edge', 'aws_lb').enable_deletion_protection).toBe(false);
  });

  it('redirects HTTP to HTTPS (301) and serves HTTPS with the TLS13-1-2-2021-06 policy and the VALIDATED certificate', () => {
    const http = platform.resource('edge', 'aws_lb_listener', '_http');
    expect(http).toMatchObject({
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
    });
    const https = platform.resource('edge', 'aws_lb_listener', '_https');
    expect(https).toMatchObject({ port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(platform.ref('edge', https.certificate_arn)).toBe(
      'dns:${aws_acm_certificate_validation.dns_certificate-validation.certificate_arn}',
    );
    expect(https.default_action).toEqual([{ type: 'forward', target_group_arn: '${aws_lb_target_group.edge_tg-api.arn}' }]);
  });

  it("creates two ip target groups per service (primary, alternate) with the service's health check", () => {
    const tgs = two.resources('edge', 'aws_lb_target_group');
    expect(Object.keys(tgs).sort()).toEqual(['edge_tg-alt-api', 'edge_tg-alt-web', 'edge_tg-api', 'edge_tg-web']);
    const { name: _n, tags: _t, '//': _m, ...alt } = tgs['edge_tg-alt-api'];
    const { name: _n2, tags: _t2, '//': _m2, ...primary } = tgs['edge_tg-api'];
    expect(alt).toEqual(primary);
    expect([tgs['edge_tg-alt-api'].name, tgs['edge_tg-alt-web'].name]).toEqual([
      'lawfirm-two-service-api-alt',
      'lawfirm-two-service-web-alt',
    ]);
    expect(tgs['edge_tg-api']).toMatchObject({
      name: 'lawfirm-two-service-api',
      target_type: 'ip',
      protocol: 'HTTP',
      port: 8000,
      deregistration_delay: '30',
      health_check: {
        enabled: true,
        path: '/api/v1/health',
        interval: 30,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
        matcher: '200-399',
      },
    });
    expect(tgs['edge_tg-web']).toMatchObject({ port: 8501, health_check: { path: '/_stcore/health' } });
    const sb = sandbox.resource('edge', 'aws_lb_target_group', '_tg-api');
    expect(sb.health_check).toMatchObject({ interval: 5, timeout: 2, healthy_threshold: 2, unhealthy_threshold: 3 });
  });

  it('routes each path by a production rule forwarding primary 100 / alternate 0, whose action terraform leaves to ECS', () => {
    const rule = two.resource('edge', 'aws_lb_listener_rule', '_rule-api');
    expect(rule).toMatchObject({
      listener_arn: '${aws_lb_listener.edge_https.arn}',
      priority: 10,
      condition: [{ path_pattern: { values: ['/api/*'] } }],
      action: [
        {
          type: 'forward',
          forward: {
            target_group: [
              { arn: '${aws_lb_target_group.edge_tg-api.arn}', weight: 100 },
              { arn: '${aws_lb_target_group.edge_tg-alt-api.arn}', weight: 0 },
            ],
          },
        },
      ],
      lifecycle: { ignore_changes: ['action'] },
    });
    // The /* service: a rule of its own at the last priority (ECS shifts rules, not default actions).
    expect(two.resource('edge', 'aws_lb_listener_rule', '_rule-web')).toMatchObject({
      priority: 50000,
      condition: [{ path_pattern: { values: ['/*'] } }],
      lifecycle: { ignore_changes: ['action'] },
    });
    expect(two.resource('edge', 'aws_lb_listener', '_https').default_action).toEqual([
      { type: 'forward', target_group_arn: '${aws_lb_target_group.edge_tg-web.arn}' },
    ]);
  });

  it('gives each service a test rule just before its production rule: same path plus X-Berth-Test: <service>', () => {
    for (const [svc, priority, path] of [
      ['api', 5, '/api/*'],
      ['web', 49995, '/*'],
    ] as const) {
      const test = two.resource('edge', 'aws_lb_listener_rule', `_test-rule-${svc}`);
      expect(test).toMatchObject({
        priority,
        condition: [{ path_pattern: { values: [path] } }, { http_header: { http_header_name: 'X-Berth-Test', values: [svc] } }],
        lifecycle: { ignore_changes: ['action'] },
      });
      expect(test.action).toEqual(two.resource('edge', 'aws_lb_listener_rule', `_rule-${svc}`).action);
    }
    const out = two.stacks.edge.output.release_routes.value;
    expect(out.api).toEqual({
      alternateTargetGroupArn: '${aws_lb_target_group.edge_tg-alt-api.arn}',
      productionListenerRule: '${aws_lb_listener_rule.edge_rule-api.arn}',
      testListenerRule: '${aws_lb_listener_rule.edge_test-rule-api.arn}',
    });
  });

  it('points an alias A record for the fqdn at the ALB in the zone', () => {
    const a = two.resource('edge', 'aws_route53_record');
    expect(a).toMatchObject({
      name: 'app.example.org',
      type: 'A',
      alias: { name: '${aws_lb.edge_alb.dns_name}', zone_id: '${aws_lb.edge_alb.zone_id}', evaluate_target_health: true },
    });
    expect(two.ref('edge', a.zone_id)).toBe('dns:${aws_route53_zone.dns_zone.zone_id}');
  });

  it('outputs the ALB, listeners and target groups per service', () => {
    const out = two.stacks.edge.output;
    expect(out.alb_arn.value).toBe('${aws_lb.edge_alb.arn}');
    expect(out.alb_dns_name.value).toBe('${aws_lb.edge_alb.dns_name}');
    expect(out.https_listener_arn.value).toBe('${aws_lb_listener.edge_https.arn}');
    expect(out.http_listener_arn.value).toBe('${aws_lb_listener.edge_http.arn}');
    expect(out.target_group_arns.value).toEqual({
      api: '${aws_lb_target_group.edge_tg-api.arn}',
      web: '${aws_lb_target_group.edge_tg-web.arn}',
    });
  });
});
