import { describe, expect, it } from 'vitest';
import { defaultAssumptions, parseAssumptions } from '../../src/cost/assumptions.js';
import { costDelta, monthlyCost, type CostEstimate } from '../../src/cost/estimate.js';
import { loadPriceTable } from '../../src/cost/prices.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { environment, type Json } from '../stacks/helpers.js';

const { table } = loadPriceTable('/nonexistent-project');
const est = (name: string, mutate?: (raw: Json) => void, assume = defaultAssumptions()) =>
  monthlyCost(environment(name, mutate), table, assume);
const moved = (a: CostEstimate, b: CostEstimate) =>
  costDelta(a, b)
    .lines.map((l) => l.id)
    .sort();

describe('berth cost: the monthly estimate', () => {
  it('prices every line with its quantity, unit price, source and date; the totals are the sums', () => {
    for (const name of ['platform', 'two-service', 'sandbox']) {
      const e = est(name);
      expect(e.unpriced).toEqual([]);
      for (const l of e.lines) {
        expect(l.unitPrice, l.id).toBeGreaterThan(0);
        expect(l.source, l.id).toMatch(/^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//);
        expect(l.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(l.monthly).toBeCloseTo(l.unitPrice! * l.quantity, 1);
      }
      expect(e.total).toBeCloseTo(
        e.lines.reduce((a, l) => a + l.monthly, 0),
        1,
      );
      expect(e.totalMax).toBeGreaterThan(e.total);
    }
    const ids = est('platform').lines.map((l) => l.id);
    for (const id of [
      'fargate.vcpu:api',
      'fargate.gb:api',
      'aurora.acu',
      'redis.nodes',
      'alb.hours',
      'alb.lcu',
      'nat.hours',
      'nat.data',
      'ipv4',
      'route53.zones',
      'secrets',
      'kms.keys',
      'logs.ingest',
      'logs.storage',
      'ecr.storage',
      'alarms',
      'dashboard',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it("a task count change moves exactly that service's Fargate lines", () => {
    const a = est('two-service');
    const b = est('two-service', (e) => (e.services[1].desiredCount = 3));
    expect(moved(a, b)).toEqual(['fargate.gb:api', 'fargate.vcpu:api']);
    expect(b.lines.find((l) => l.id === 'fargate.vcpu:api')!.quantity).toBe(3 * 730);
    const c = est('two-service', (e) => (e.services[0].maxCount = 8));
    expect(moved(a, c)).toEqual(['fargate.gb:web', 'fargate.vcpu:web']);
    expect(costDelta(a, c).total).toBe(0);
    expect(costDelta(a, c).totalMax).toBeGreaterThan(0);
  });

  it('the NAT mode moves exactly the NAT hours and the public IPv4 addresses', () => {
    const single = est('platform');
    const perAz = est('platform', (e) => (e.network.nat = 'per-az'));
    expect(moved(single, perAz)).toEqual(['ipv4', 'nat.hours']);
    const d = costDelta(single, perAz);
    expect(d.total).toBeCloseTo(730 * (0.059 + 0.005), 1);
  });

  it('the ACU range moves exactly the Aurora line: minimum for the expected total, maximum for the ceiling', () => {
    const a = est('platform');
    const b = est('platform', (e) => Object.assign(e.database, { minCapacity: 1, maxCapacity: 16 }));
    expect(moved(a, b)).toEqual(['aurora.acu']);
    const line = b.lines.find((l) => l.id === 'aurora.acu')!;
    expect([line.quantity, line.maxQuantity, line.monthly, line.monthlyMax]).toEqual([730, 16 * 730, 146, 2336]);
  });

  it('prices ARM64 tasks at the ARM rates, and a region by its own table', () => {
    const arm = est('platform', (e) => (e.services[0].cpuArchitecture = 'ARM64'));
    expect(arm.lines.find((l) => l.id === 'fargate.vcpu:api')!.unitPrice).toBe(
      table.regions['ap-northeast-2']!['fargate.vcpu.ARM64']!.price,
    );
    const us = est('platform', (e) => (e.region = 'us-east-1'));
    expect(us.lines.find((l) => l.id === 'aurora.acu')!.unitPrice).toBe(0.12);
  });

  it('takes usage assumptions from --assume, refusing unknown keys and bad numbers', () => {
    const a = est('platform');
    const b = est('platform', undefined, parseAssumptions(['nat.gb=200']));
    expect(moved(a, b)).toEqual(['nat.data']);
    expect(() => parseAssumptions(['nat.gb'])).toThrow(/key=value/);
    expect(() => parseAssumptions(['nat.tb=1'])).toThrow(/unknown key "nat.tb"/);
    expect(() => parseAssumptions(['nat.gb=-3'])).toThrow(/not a number/);
  });

  it('through the CLI: a table with sources, --json lines, exit 2 for a region the table lacks or a bad --assume', async () => {
    const p = tempProject();
    try {
      const env = `${process.cwd()}/templates/environments/platform.json`;
      const human = await runCli(['cost', '--env', env], { project: p.dir });
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/Total: \$\d+\.\d\d a month/);
      expect(human.stdout).toContain('https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/ap-northeast-2/index.json');
      const json = JSON.parse((await runCli(['cost', '--env', env, '--json'], { project: p.dir })).stdout);
      expect(json.total).toBe(est('platform').total);
      expect(json.lines[0]).toMatchObject({ id: 'fargate.vcpu:api', unit: 'vCPU-hour', quantity: 365 });
      const bad = await runCli(['cost', '--env', env, '--assume', 'alb.lcu=lots', '--json'], { project: p.dir });
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stdout).error.message).toContain('alb.lcu=lots');
      const raw = JSON.parse(JSON.stringify((await import('../stacks/helpers.js')).templateRaw('platform')));
      raw.region = 'sa-east-1';
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${p.dir}/platform.json`, JSON.stringify(raw));
      const region = await runCli(['cost', '--env', `${p.dir}/platform.json`], { project: p.dir });
      expect(region.code).toBe(2);
      expect(region.stderr).toContain('"sa-east-1"');
    } finally {
      p.cleanup();
    }
  });
});

describe('the plan comment line', () => {
  it('shows the estimate, and with a base what the change moves, in the Markdown berth plan writes', async () => {
    const { costLine } = await import('../../src/cost/plan-line.js');
    const { renderPlanMarkdown } = await import('../../src/terraform/render.js');
    const before = est('platform');
    const after = est('platform', (e) => (e.network.nat = 'per-az'));
    expect(costLine(after)).toBe(
      `**Monthly estimate** (berth cost): $${after.total.toFixed(2)} a month, up to $${after.totalMax.toFixed(2)} at maximum scale.`,
    );
    const line = costLine(after, before);
    expect(line).toContain(`$${before.total.toFixed(2)} → $${after.total.toFixed(2)} (+$46.72 a month`);
    expect(line).toContain('`ipv4` +$3.65');
    expect(line).toContain('`nat.hours` +$43.07');
    expect(costLine(before, est('platform'))).toContain('unchanged');
    const md = renderPlanMarkdown(
      {
        environment: 'platform',
        exitCode: 0,
        changes: false,
        totals: { add: 0, change: 0, destroy: 0 },
        stacks: [],
        planDir: '/p',
        durationMs: 0,
      },
      { cost: line },
    );
    expect(md).toContain(line);
  });
});
