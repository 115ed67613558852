/** A Logs Insights result as an aligned text table (long cells cut, never wrapped). */
import type { InsightsResult } from './run.js';

const MAX_CELL = 120;

export function renderInsights(r: InsightsResult, label: string): string {
  const head = `${label} over ${r.logGroup}, ${new Date(r.startTime).toISOString()} to ${new Date(r.endTime).toISOString()}`;
  if (!r.rows.length) return `${head}\nNo rows matched.`;
  const cell = (s: string | undefined) => {
    const t = (s ?? '').replace(/\s+/g, ' ');
    return t.length > MAX_CELL ? `${t.slice(0, MAX_CELL - 1)}…` : t;
  };
  const widths = r.columns.map((c) => Math.max(c.length, ...r.rows.map((row) => cell(row[c]).length)));
  const numeric = r.columns.map((c) => r.rows.every((row) => row[c] === undefined || /^-?\d+(\.\d+)?$/.test(row[c]!)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [head, '', line(r.columns), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of r.rows) out.push(line(r.columns.map((c) => cell(row[c]))));
  out.push(
    '',
    `${r.rows.length} row${r.rows.length === 1 ? '' : 's'}` +
      `${r.statistics?.recordsScanned !== undefined ? `, ${r.statistics.recordsScanned} records scanned` : ''}.`,
  );
  return out.join('\n');
}
