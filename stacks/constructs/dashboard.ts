/**
 * The environment's CloudWatch dashboard, laid out like the operators' own: a row per concern.
 * 1. Service health, per service: running vs desired tasks (Container Insights), CPU and memory.
 * 2. API performance, per target group: requests, p50/p95/p99 target response time, 5xx rate.
 * 3. Backend services: Aurora capacity (ACU) and connections; Redis hits, misses and memory.
 * 4. Every alarm's state.
 * Widgets are 24 units wide per row, as the console lays them out.
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export interface DashboardProps {
  env: EnvironmentConfig;
  albArnSuffix: string;
  targetGroupArnSuffixes: Record<string, string>;
  clusterName: string;
  /** ECS service name per service name. */
  serviceNames: Record<string, string>;
  /** ARNs of every alarm of the environment, for the alarm-status widget. */
  alarmArns: string[];
}

type Widget = Record<string, unknown>;
const W = 8;
const H = 6;

export class Dashboard extends Construct {
  readonly dashboardName: string;
  readonly widgets: Widget[];

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const region = props.env.region;
    this.widgets = [...serviceRow(props), ...apiRow(props), ...backendRow(props), alarmWidget(props)];
    let y = 0;
    let x = 0;
    for (const w of this.widgets) {
      const width = (w.width as number) ?? W;
      if (x + width > 24) ((x = 0), (y += H));
      Object.assign(w, { x, y, width, height: (w.height as number) ?? H });
      x += width;
    }
    for (const w of this.widgets) if (w.type === 'metric') (w.properties as Record<string, unknown>).region = region;
    this.dashboardName = names(props.env).dashboard;
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: this.dashboardName,
      dashboardBody: JSON.stringify({ widgets: this.widgets }),
    });
  }
}

const metric = (title: string, metrics: unknown[], extra: Record<string, unknown> = {}): Widget => ({
  type: 'metric',
  properties: { title, view: 'timeSeries', stacked: false, period: 60, metrics, ...extra },
});

function serviceRow(p: DashboardProps): Widget[] {
  return p.env.services.flatMap((svc) => {
    const service = p.serviceNames[svc.name] ?? svc.name;
    const dims = ['ClusterName', p.clusterName, 'ServiceName', service];
    return [
      metric(`${svc.name}: tasks running / desired`, [
        ['ECS/ContainerInsights', 'RunningTaskCount', ...dims, { stat: 'Average', label: 'running' }],
        ['ECS/ContainerInsights', 'DesiredTaskCount', ...dims, { stat: 'Average', label: 'desired' }],
      ]),
      metric(
        `${svc.name}: CPU and memory (%)`,
        [
          ['AWS/ECS', 'CPUUtilization', ...dims, { stat: 'Average', label: 'CPU' }],
          ['AWS/ECS', 'MemoryUtilization', ...dims, { stat: 'Average', label: 'memory' }],
        ],
        { yAxis: { left: { min: 0, max: 100 } } },
      ),
    ];
  });
}

function apiRow(p: DashboardProps): Widget[] {
  return p.env.services.flatMap((svc) => {
    const dims = ['LoadBalancer', p.albArnSuffix, 'TargetGroup', p.targetGroupArnSuffixes[svc.name] ?? svc.name];
    const rt = (stat: string) => ['AWS/ApplicationELB', 'TargetResponseTime', ...dims, { stat, label: stat }];
    return [
      metric(`${svc.name}: requests`, [['AWS/ApplicationELB', 'RequestCount', ...dims, { stat: 'Sum', label: 'requests' }]]),
      metric(`${svc.name}: response time p50 / p95 / p99 (s)`, [rt('p50'), rt('p95'), rt('p99')]),
      metric(`${svc.name}: 5xx rate (%)`, [
        [{ expression: 'IF(req > 0, 100 * FILL(e5xx, 0) / req, 0)', label: '5xx %', id: 'rate' }],
        ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...dims, { stat: 'Sum', id: 'e5xx', visible: false }],
        ['AWS/ApplicationELB', 'RequestCount', ...dims, { stat: 'Sum', id: 'req', visible: false }],
      ]),
    ];
  });
}

function backendRow(p: DashboardProps): Widget[] {
  const n = names(p.env);
  const db = ['DBClusterIdentifier', n.dbCluster];
  const nodes = Array.from({ length: 1 + p.env.cache.replicas }, (_, i) => `${n.cacheReplicationGroup}-${String(i + 1).padStart(3, '0')}`);
  const perNode = (m: string) => nodes.map((id) => ['AWS/ElastiCache', m, 'CacheClusterId', id, { stat: 'Sum', label: `${m} ${id}` }]);
  return [
    metric('Aurora: capacity (ACU)', [['AWS/RDS', 'ServerlessDatabaseCapacity', ...db, { stat: 'Average', label: 'ACU' }]], {
      yAxis: { left: { min: 0, max: p.env.database.maxCapacity } },
    }),
    metric('Aurora: connections', [['AWS/RDS', 'DatabaseConnections', ...db, { stat: 'Average', label: 'connections' }]]),
    metric('Redis: hits and misses', [...perNode('CacheHits'), ...perNode('CacheMisses')]),
    metric(
      'Redis: memory used (%)',
      nodes.map((id) => ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'CacheClusterId', id, { stat: 'Average', label: id }]),
      {
        yAxis: { left: { min: 0, max: 100 } },
      },
    ),
  ];
}

function alarmWidget(p: DashboardProps): Widget {
  return {
    type: 'alarm',
    width: 24,
    height: 4,
    properties: { title: 'Alarms', alarms: [...p.alarmArns].sort(), sortBy: 'stateUpdatedTimestamp' },
  };
}
