/**
 * The monthly estimate of an environment, line by line, from its configuration, berth's price table
 * and the usage assumptions. Pure: no AWS call, no file. Each line has the quantity at the expected
 * size (desired task count, minimum ACU) and at the maximum (autoscaling maximum, maximum ACU).
 */
import { names } from '../config/names.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { Assumptions } from './assumptions.js';
import { regionPrices, type Price, type PriceTable } from './prices.js';

export interface CostLine {
  /** Stable id, e.g. `fargate.vcpu:api`: what a delta compares. */
  id: string;
  group: string;
  item: string;
  quantity: number;
  maxQuantity: number;
  unit: string;
  /** Null when the table has no price for it (see `unpriced`). */
  unitPrice: number | null;
  priceKey: string;
  source: string;
  status: Price['status'] | 'missing';
  checked: string;
  monthly: number;
  monthlyMax: number;
  /** Assumption keys this line's quantity depends on. */
  assumes: string[];
}

export interface CostEstimate {
  environment: string;
  region: string;
  currency: 'USD';
  hoursPerMonth: number;
  lines: CostLine[];
  total: number;
  totalMax: number;
  unpriced: string[];
  assumptions: Assumptions;
}

interface LineSpec {
  id: string;
  group: string;
  item: string;
  priceKey: string;
  quantity: number;
  maxQuantity?: number;
  assumes?: string[];
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export function monthlyCost(env: EnvironmentConfig, table: PriceTable, assume: Assumptions): CostEstimate {
  const prices = regionPrices(table, env.region);
  const h = table.hoursPerMonth;
  const specs = [...fargateLines(env, h), ...dataLines(env, h, assume), ...edgeLines(env, h, assume), ...opsLines(env, assume)];
  const lines = specs.map((s) => priced(s, prices[s.priceKey]));
  const sum = (k: 'monthly' | 'monthlyMax') => round(lines.reduce((a, l) => a + l[k], 0));
  return {
    environment: env.name,
    region: env.region,
    currency: 'USD',
    hoursPerMonth: h,
    lines,
    total: sum('monthly'),
    totalMax: sum('monthlyMax'),
    unpriced: lines.filter((l) => l.unitPrice === null).map((l) => l.priceKey),
    assumptions: assume,
  };
}

function priced(s: LineSpec, p: Price | undefined): CostLine {
  const max = s.maxQuantity ?? s.quantity;
  const unitPrice = p ? p.price : null;
  return {
    id: s.id,
    group: s.group,
    item: s.item,
    quantity: round(s.quantity, 3),
    maxQuantity: round(max, 3),
    unit: p?.unit ?? '',
    unitPrice,
    priceKey: s.priceKey,
    source: p?.source ?? 'no price in the table for this region',
    status: p?.status ?? 'missing',
    checked: p?.checked ?? '',
    monthly: round((unitPrice ?? 0) * s.quantity),
    monthlyMax: round((unitPrice ?? 0) * max),
    assumes: s.assumes ?? [],
  };
}

function fargateLines(env: EnvironmentConfig, h: number): LineSpec[] {
  return env.services.flatMap((svc) => {
    const vcpu = svc.cpu / 1024;
    const gb = svc.memory / 1024;
    const arch = svc.cpuArchitecture;
    const tasks = `${svc.desiredCount} task${svc.desiredCount === 1 ? '' : 's'} (max ${svc.maxCount})`;
    return [
      {
        id: `fargate.vcpu:${svc.name}`,
        group: 'Fargate',
        item: `${svc.name}: ${vcpu} vCPU × ${tasks}, ${arch}`,
        priceKey: `fargate.vcpu.${arch}`,
        quantity: vcpu * svc.desiredCount * h,
        maxQuantity: vcpu * svc.maxCount * h,
      },
      {
        id: `fargate.gb:${svc.name}`,
        group: 'Fargate',
        item: `${svc.name}: ${gb} GB × ${tasks}, ${arch}`,
        priceKey: `fargate.gb.${arch}`,
        quantity: gb * svc.desiredCount * h,
        maxQuantity: gb * svc.maxCount * h,
      },
    ];
  });
}

function dataLines(env: EnvironmentConfig, h: number, a: Assumptions): LineSpec[] {
  const db = env.database;
  const avg = a['aurora.avgAcu'] >= 0 ? a['aurora.avgAcu'] : db.minCapacity;
  const nodes = 1 + env.cache.replicas;
  return [
    {
      id: 'aurora.acu',
      group: 'Aurora',
      item: `Serverless v2 writer, ${db.minCapacity}–${db.maxCapacity} ACU${a['aurora.avgAcu'] >= 0 ? ` (average ${avg} assumed)` : ''}`,
      priceKey: 'aurora.acu',
      quantity: avg * h,
      maxQuantity: db.maxCapacity * h,
      assumes: a['aurora.avgAcu'] >= 0 ? ['aurora.avgAcu'] : [],
    },
    {
      id: 'redis.nodes',
      group: 'Redis',
      item: `${nodes} × ${env.cache.nodeType} (primary + ${env.cache.replicas} replica${env.cache.replicas === 1 ? '' : 's'})`,
      priceKey: `elasticache.node.${env.cache.nodeType}`,
      quantity: nodes * h,
    },
  ];
}

function edgeLines(env: EnvironmentConfig, h: number, a: Assumptions): LineSpec[] {
  const nats = env.network.nat === 'per-az' ? env.network.azCount : 1;
  const ips = nats + env.network.azCount;
  return [
    { id: 'alb.hours', group: 'Load balancer', item: 'Application Load Balancer', priceKey: 'alb.hour', quantity: h },
    {
      id: 'alb.lcu',
      group: 'Load balancer',
      item: `${a['alb.lcu']} LCU on average`,
      priceKey: 'alb.lcu',
      quantity: a['alb.lcu'] * h,
      assumes: ['alb.lcu'],
    },
    {
      id: 'nat.hours',
      group: 'NAT',
      item: `${nats} NAT gateway${nats === 1 ? '' : 's'} (nat: ${env.network.nat})`,
      priceKey: 'nat.hour',
      quantity: nats * h,
    },
    { id: 'nat.data', group: 'NAT', item: `${a['nat.gb']} GB processed`, priceKey: 'nat.gb', quantity: a['nat.gb'], assumes: ['nat.gb'] },
    {
      id: 'ipv4',
      group: 'Public IPv4',
      item: `${ips} addresses (${nats} NAT, ${env.network.azCount} load balancer nodes)`,
      priceKey: 'ipv4.hour',
      quantity: ips * h,
    },
  ];
}

function opsLines(env: EnvironmentConfig, a: Assumptions): LineSpec[] {
  const operator = new Set(
    env.services.flatMap((s) =>
      Object.values(s.secrets)
        .filter((v) => !v.startsWith('@'))
        .map((v) => v.split(':')[0]!),
    ),
  );
  const secrets = 2 + operator.size; // the RDS-managed master secret, the Redis secret, the operator's
  const svcs = env.services.length;
  const logGb = a['logs.gbPerService'] * svcs + a['logs.flowGb'];
  const retention = Math.max(...env.services.map((s) => s.logRetentionDays), env.network.flowLogRetentionDays);
  const stored = (logGb * Math.min(retention, 3650)) / 30;
  const alarmMetrics = 3 * svcs + 3 + 1; // cpu, memory, unhealthy per service; the 5xx rate reads 3 metrics; p95 latency
  const repos = new Set(env.services.map((s) => s.repository)).size;
  const lines: LineSpec[] = [
    {
      id: 'route53.zones',
      group: 'Route 53',
      item: env.domain.zone === 'create' ? `hosted zone ${env.domain.name}` : 'existing zone (billed where it lives)',
      priceKey: 'route53.zone',
      quantity: env.domain.zone === 'create' ? 1 : 0,
    },
    {
      id: 'secrets',
      group: 'Secrets Manager',
      item: `${secrets} secrets (database master, Redis${operator.size ? `, ${[...operator].sort().join(', ')}` : ''})`,
      priceKey: 'secret.month',
      quantity: secrets,
    },
    { id: 'kms.keys', group: 'KMS', item: 'alarm topic key', priceKey: 'kms.key', quantity: 1 },
    {
      id: 'logs.ingest',
      group: 'CloudWatch Logs',
      item: `${logGb} GB ingested (${svcs} service${svcs === 1 ? '' : 's'} + flow logs)`,
      priceKey: 'logs.ingest',
      quantity: logGb,
      assumes: ['logs.gbPerService', 'logs.flowGb'],
    },
    {
      id: 'logs.storage',
      group: 'CloudWatch Logs',
      item: `${round(stored, 1)} GB kept (retention up to ${retention} days)`,
      priceKey: 'logs.storage',
      quantity: stored,
      assumes: ['logs.gbPerService', 'logs.flowGb'],
    },
    {
      id: 'ecr.storage',
      group: 'ECR',
      item: `${repos} repositor${repos === 1 ? 'y' : 'ies'} × ${a['ecr.gbPerRepository']} GB`,
      priceKey: 'ecr.storage',
      quantity: repos * a['ecr.gbPerRepository'],
      assumes: ['ecr.gbPerRepository'],
    },
    { id: 'alarms', group: 'CloudWatch', item: `${alarmMetrics} alarm metrics`, priceKey: 'alarm.metric', quantity: alarmMetrics },
    {
      id: 'dashboard',
      group: 'CloudWatch',
      item: `dashboard ${names(env).dashboard}`,
      priceKey: 'dashboard.month',
      quantity: a['dashboards.free'] > 0 ? 0 : 1,
      assumes: ['dashboards.free'],
    },
  ];
  return lines;
}

export interface CostDelta {
  total: number;
  totalMax: number;
  lines: { id: string; item: string; before: number; after: number; delta: number }[];
}

/** What a change of configuration does to the monthly estimate: the lines that moved. */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const ids = [...new Set([...before.lines, ...after.lines].map((l) => l.id))];
  const get = (e: CostEstimate, id: string) => e.lines.find((l) => l.id === id);
  const lines = ids
    .map((id) => ({
      id,
      item: (get(after, id) ?? get(before, id))!.item,
      before: get(before, id)?.monthly ?? 0,
      after: get(after, id)?.monthly ?? 0,
    }))
    .map((l) => ({ ...l, delta: round(l.after - l.before) }))
    .filter((l) => l.delta !== 0 || get(before, l.id)?.monthlyMax !== get(after, l.id)?.monthlyMax);
  return { total: round(after.total - before.total), totalMax: round(after.totalMax - before.totalMax), lines };
}
