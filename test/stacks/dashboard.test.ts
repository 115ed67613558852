import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environment, synth, type Json, type Synthed } from './helpers.js';

let two: Synthed;
let platform: Synthed;
beforeAll(async () => {
  two = await synth(environment('two-service'));
  platform = await synth(environment('platform'));
});
afterAll(() => [two, platform].forEach((s) => s?.cleanup()));

const body = (s: Synthed) => {
  const d = s.resource('alarms', 'aws_cloudwatch_dashboard');
  return { name: d.dashboard_name as string, body: JSON.parse(d.dashboard_body) as { widgets: Json[] } };
};
const titles = (s: Synthed) => body(s).body.widgets.map((w) => w.properties.title as string);
const metricsOf = (s: Synthed, title: string) =>
  body(s).body.widgets.find((w) => w.properties.title === title)!.properties.metrics as Json[];

describe('the CloudWatch dashboard (alarms stack)', () => {
  it('is valid dashboard body JSON: every widget placed on the 24-column grid without overlap, every metric widget in the region', () => {
    for (const s of [two, platform]) {
      const { name, body: b } = body(s);
      expect(name).toBe(`${s.env.app}-${s.env.name}`);
      expect(name).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
      const cells = new Set<string>();
      for (const w of b.widgets) {
        expect(['metric', 'alarm']).toContain(w.type);
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        for (let x = w.x; x < w.x + w.width; x++)
          for (let y = w.y; y < w.y + w.height; y++) {
            expect(cells.has(`${x},${y}`), `${w.properties.title} overlaps`).toBe(false);
            cells.add(`${x},${y}`);
          }
        if (w.type === 'metric') {
          expect(w.properties.region).toBe(s.env.region);
          for (const m of w.properties.metrics) expect(Array.isArray(m)).toBe(true);
        }
      }
    }
  });

  it('has one widget per seed panel: per service tasks and CPU/memory; per target group requests, p50/p95/p99 and 5xx rate', () => {
    expect(titles(two)).toEqual([
      'web: tasks running / desired',
      'web: CPU and memory (%)',
      'api: tasks running / desired',
      'api: CPU and memory (%)',
      'web: requests',
      'web: response time p50 / p95 / p99 (s)',
      'web: 5xx rate (%)',
      'api: requests',
      'api: response time p50 / p95 / p99 (s)',
      'api: 5xx rate (%)',
      'Aurora: capacity (ACU)',
      'Aurora: connections',
      'Redis: hits and misses',
      'Redis: memory used (%)',
      'Alarms',
    ]);
    const cpu = metricsOf(two, 'api: CPU and memory (%)');
    expect(cpu.map((m) => m[1])).toEqual(['CPUUtilization', 'MemoryUtilization']);
    expect(cpu[0].slice(2, 4)).toEqual([
      'ClusterName',
      two.stacks.alarms.resource.aws_cloudwatch_metric_alarm['alarms_api-cpu'].dimensions.ClusterName,
    ]);
    const rt = metricsOf(two, 'api: response time p50 / p95 / p99 (s)');
    expect(rt.map((m) => m.at(-1).stat)).toEqual(['p50', 'p95', 'p99']);
    const tg = two.stacks.alarms.resource.aws_cloudwatch_metric_alarm['alarms_api-unhealthy-hosts'].dimensions.TargetGroup;
    for (const m of rt) expect(m.slice(2, 6)).toEqual(['LoadBalancer', expect.any(String), 'TargetGroup', tg]);
    const rate = metricsOf(two, 'api: 5xx rate (%)');
    expect(rate[0][0].expression).toContain('e5xx');
    expect(rate.slice(1).map((m) => [m[1], m.at(-1).id])).toEqual([
      ['HTTPCode_Target_5XX_Count', 'e5xx'],
      ['RequestCount', 'req'],
    ]);
  });

  it('shows Aurora capacity and connections by cluster, Redis hits, misses and memory per node', () => {
    expect(metricsOf(platform, 'Aurora: capacity (ACU)')[0].slice(0, 4)).toEqual([
      'AWS/RDS',
      'ServerlessDatabaseCapacity',
      'DBClusterIdentifier',
      'chatbot-platform-db',
    ]);
    expect(metricsOf(platform, 'Aurora: connections')[0][1]).toBe('DatabaseConnections');
    const redis = metricsOf(platform, 'Redis: hits and misses').map((m) => `${m[1]} ${m[3]}`);
    expect(redis).toEqual([
      'CacheHits chatbot-platform-redis-001',
      'CacheHits chatbot-platform-redis-002',
      'CacheMisses chatbot-platform-redis-001',
      'CacheMisses chatbot-platform-redis-002',
    ]);
    expect(platform.resource('cache', 'aws_elasticache_replication_group').num_cache_clusters).toBe(2);
  });

  it("shows every alarm's state, by ARN", () => {
    const w = body(two).body.widgets.find((x) => x.type === 'alarm')!;
    const alarms = Object.values(two.resources('alarms', 'aws_cloudwatch_metric_alarm'))
      .map((a) => a.alarm_name as string)
      .sort();
    expect(w.properties.alarms.map((arn: string) => arn.split(':alarm:')[1]).sort()).toEqual(alarms);
    for (const arn of w.properties.alarms)
      expect(arn).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\}:cloudwatch:ap-northeast-2:\$\{data\.aws_caller_identity\.[^}]+\}:alarm:/);
  });
});
