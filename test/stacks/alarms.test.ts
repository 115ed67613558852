import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Json, type Synthed } from './helpers.js';

let platform: Synthed;
let two: Synthed;

beforeAll(async () => {
  platform = await synth(environment('platform'));
  two = await synth(
    environment(
      'two-service',
      (e) =>
        (e.alarms = {
          emails: ['b@example.org', 'a@example.org'],
          cpuPercent: 75,
          memoryPercent: 85,
          http5xxPercent: 2,
          p95LatencySeconds: 3,
        }),
    ),
  );
});
afterAll(() => [platform, two].forEach((s) => s?.cleanup()));

const alarms = (s: Synthed) => Object.values(s.resources('alarms', 'aws_cloudwatch_metric_alarm')) as Json[];
const byName = (s: Synthed, name: string) => alarms(s).find((a) => a.alarm_name === name)!;

describe('alarms stack', () => {
  it('sends every alarm, on ALARM and on OK, to the alarm topic', () => {
    for (const s of [platform, two]) {
      const all = alarms(s);
      expect(all.length).toBe(3 * s.env.services.length + 2);
      for (const a of all) {
        expect(a.alarm_actions, a.alarm_name).toEqual(['${aws_sns_topic.alarms_topic.arn}']);
        expect(a.ok_actions, a.alarm_name).toEqual(['${aws_sns_topic.alarms_topic.arn}']);
        expect(a.alarm_name.startsWith(`${s.env.app}-${s.env.name}-`)).toBe(true);
      }
    }
  });

  it('names the topic from names.ts, encrypts it with a KMS key CloudWatch may use, and subscribes the e-mails', () => {
    const topic = two.resource('alarms', 'aws_sns_topic');
    expect(topic.name).toBe('lawfirm-two-service-alarms');
    expect(topic.kms_master_key_id).toBe('${aws_kms_key.alarms_topic-key.arn}');
    const key = two.resource('alarms', 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    const cw = JSON.parse(key.policy).Statement.find((s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cw.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const subs = Object.values(two.resources('alarms', 'aws_sns_topic_subscription'));
    expect(subs.map((s: Json) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'a@example.org'],
      ['email', 'b@example.org'],
    ]);
    for (const s of subs) expect(s.topic_arn).toBe('${aws_sns_topic.alarms_topic.arn}');
  });

  it('alarms per service on CPU and memory above the thresholds over 5 minutes', () => {
    const cpu = byName(two, 'lawfirm-two-service-api-cpu-high');
    expect(cpu).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      statistic: 'Average',
      period: 300,
      evaluation_periods: 1,
      threshold: 75,
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(two.ref('alarms', cpu.dimensions.ClusterName)).toBe('service:${aws_ecs_cluster.service_cluster.name}');
    expect(two.ref('alarms', cpu.dimensions.ServiceName)).toBe('service:${aws_ecs_service.service_api-service.name}');
    expect(byName(two, 'lawfirm-two-service-web-memory-high')).toMatchObject({
      metric_name: 'MemoryUtilization',
      period: 300,
      threshold: 85,
    });
    expect(byName(platform, 'chatbot-platform-api-cpu-high').threshold).toBe(80);
  });

  it('alarms per target group on any unhealthy host for 1 minute', () => {
    const a = byName(two, 'lawfirm-two-service-web-unhealthy-hosts');
    expect(a).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'UnHealthyHostCount',
      period: 60,
      evaluation_periods: 1,
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(two.ref('alarms', a.dimensions.TargetGroup)).toBe('edge:${aws_lb_target_group.edge_tg-web.arn_suffix}');
    expect(two.ref('alarms', a.dimensions.LoadBalancer)).toBe('edge:${aws_lb.edge_alb.arn_suffix}');
  });

  it('alarms on the ALB 5xx share of requests (targets + ALB) by metric math over 5 minutes', () => {
    const a = byName(two, 'lawfirm-two-service-alb-5xx-rate');
    expect(a.threshold).toBe(2);
    expect(a.metric_name).toBeUndefined();
    const q = a.metric_query as Json[];
    const metrics: Record<string, Json> = Object.fromEntries(q.filter((x) => x.metric).map((x) => [x.metric.metric_name, x]));
    expect(Object.keys(metrics).sort()).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    for (const m of Object.values(metrics))
      expect(m).toMatchObject({ return_data: false, metric: { namespace: 'AWS/ApplicationELB', period: 300, stat: 'Sum' } });
    const expr = q.find((x) => x.expression)!;
    expect(expr.return_data).toBe(true);
    for (const m of Object.values(metrics)) expect(expr.expression).toContain(m.id);
    expect(expr.expression).toMatch(/100 \* /);
  });

  it('alarms on the p95 target response time over 5 minutes', () => {
    expect(byName(two, 'lawfirm-two-service-alb-p95-latency')).toMatchObject({
      metric_name: 'TargetResponseTime',
      extended_statistic: 'p95',
      period: 300,
      threshold: 3,
    });
    expect(byName(two, 'lawfirm-two-service-alb-p95-latency').statistic).toBeUndefined();
  });
});
