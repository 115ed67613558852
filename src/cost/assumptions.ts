/**
 * The usage a monthly estimate cannot read from the configuration: traffic, log volume, image
 * sizes. Each has a documented default and can be overridden with `--assume key=value`.
 */
import { UsageError } from '../output/errors.js';

export const ASSUMPTIONS = {
  'alb.lcu': { value: 0.5, doc: 'average load balancer capacity units in use (1 LCU = 25 new connections/s, 3,000 active, 1 GB/h)' },
  'nat.gb': { value: 20, doc: 'GB a month through the NAT gateways (image pulls, external APIs)' },
  'logs.gbPerService': { value: 2, doc: 'GB of application logs each service writes a month' },
  'logs.flowGb': { value: 2, doc: 'GB of VPC flow logs a month' },
  'ecr.gbPerRepository': { value: 1, doc: 'GB stored per ECR repository (images kept by the lifecycle policy)' },
  'aurora.avgAcu': { value: -1, doc: 'average ACU for the expected line; -1 means the configured minimum' },
  'dashboards.free': { value: 0, doc: "the account's free dashboards still unused (3 per account); 0 prices the dashboard" },
} as const;

export type AssumptionKey = keyof typeof ASSUMPTIONS;
export type Assumptions = Record<AssumptionKey, number>;

export function defaultAssumptions(): Assumptions {
  return Object.fromEntries(Object.entries(ASSUMPTIONS).map(([k, v]) => [k, v.value])) as Assumptions;
}

/** Parse `--assume key=value` items; every mistake is a usage error naming the item. */
export function parseAssumptions(items: string[]): Assumptions {
  const out = defaultAssumptions();
  for (const item of items) {
    const m = /^([\w.]+)=(.*)$/.exec(item);
    if (!m) throw new UsageError(`--assume "${item}" is not key=value.`, { hint: `Keys: ${Object.keys(ASSUMPTIONS).join(', ')}.` });
    const key = m[1] as AssumptionKey;
    if (!(key in ASSUMPTIONS))
      throw new UsageError(`--assume "${item}": unknown key "${m[1]}".`, { hint: `Keys: ${Object.keys(ASSUMPTIONS).join(', ')}.` });
    const v = Number(m[2]);
    const min = key === 'aurora.avgAcu' ? -1 : 0;
    if (m[2] === '' || !Number.isFinite(v) || v < min) throw new UsageError(`--assume "${item}": "${m[2]}" is not a number ≥ ${min}.`);
    out[key] = v;
  }
  return out;
}
