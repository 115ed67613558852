/** The estimate as a table for people: one line per charge, the totals, the assumptions, the sources. */
import { ASSUMPTIONS } from './assumptions.js';
import type { CostEstimate } from './estimate.js';

const usd = (n: number) => `$${n.toFixed(2)}`;
const qty = (n: number) =>
  Number.isInteger(n)
    ? String(n)
    : n
        .toFixed(n < 10 ? 3 : 1)
        .replace(/0+$/, '')
        .replace(/\.$/, '');

export function renderCost(e: CostEstimate, tablePath: string): string {
  const rows = e.lines.map((l) => [
    l.group,
    l.item,
    l.quantity === l.maxQuantity ? `${qty(l.quantity)} ${l.unit}` : `${qty(l.quantity)} (max ${qty(l.maxQuantity)}) ${l.unit}`,
    l.unitPrice === null ? 'no price' : `$${l.unitPrice}${l.status === 'unconfirmed' ? ' *' : ''}`,
    usd(l.monthly),
    usd(l.monthlyMax),
  ]);
  const head = ['group', 'item', 'quantity / month', 'unit price', 'monthly', 'at max'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i >= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `Monthly estimate of ${e.environment} (${e.region}), USD, ${e.hoursPerMonth} hours a month, list prices before tax and free tier`,
    '',
    fmt(head),
  ];
  out.push(
    ...rows.map(fmt),
    '',
    `Total: ${usd(e.total)} a month at the desired task counts and minimum ACU; ` +
      `${usd(e.totalMax)} with every service at its maximum and Aurora at its maximum ACU.`,
  );
  const used = [...new Set(e.lines.flatMap((l) => l.assumes))].sort();
  if (used.length) {
    out.push('', 'Assumptions (override with --assume key=value):');
    for (const k of used)
      out.push(`  ${k}=${e.assumptions[k as keyof typeof ASSUMPTIONS]}  ${ASSUMPTIONS[k as keyof typeof ASSUMPTIONS].doc}`);
  }
  if (e.unpriced.length)
    out.push('', `Not priced (no price in the table for ${e.region}): ${e.unpriced.join(', ')}; the totals leave them out.`);
  out.push('', `Sources (${tablePath}; * = not confirmed against AWS for this region):`);
  const seen = new Set<string>();
  for (const l of e.lines) {
    if (seen.has(l.priceKey) || l.unitPrice === null) continue;
    seen.add(l.priceKey);
    out.push(`  ${l.priceKey}: ${l.source} (checked ${l.checked}${l.status === 'unconfirmed' ? ', unconfirmed' : ''})`);
  }
  return out.join('\n');
}
