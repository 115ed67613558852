/**
 * The line `berth plan --markdown` adds to the pull-request comment: the monthly estimate after the
 * change and, given the environment as it was before (--cost-base), what the change adds or saves,
 * with the lines it moves.
 */
import type { CostEstimate } from './estimate.js';
import { costDelta } from './estimate.js';

const usd = (n: number) => `$${n.toFixed(2)}`;
const signed = (n: number) => `${n < 0 ? '−' : '+'}${usd(Math.abs(n))}`;

export function costLine(after: CostEstimate, before?: CostEstimate): string {
  if (!before) return `**Monthly estimate** (berth cost): ${usd(after.total)} a month, up to ${usd(after.totalMax)} at maximum scale.`;
  const d = costDelta(before, after);
  if (!d.lines.length) return `**Monthly estimate** (berth cost): ${usd(after.total)} a month, unchanged by this change.`;
  const moved = d.lines.map((l) => `\`${l.id}\` ${signed(l.delta)}`).join(', ');
  const change = `${signed(d.total)} a month; at maximum scale ${signed(d.totalMax)}`;
  return `**Monthly estimate** (berth cost): ${usd(before.total)} → ${usd(after.total)} (${change}): ${moved}.`;
}
