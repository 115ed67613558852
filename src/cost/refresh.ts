/**
 * `berth cost --refresh`: rebuild the price table from AWS's public price list offer files (CSV),
 * streamed, each download bounded in time. Written to .berth/cost/prices.json (berth's own folder);
 * the shipped table is never touched. Offline, it fails with PriceListUnavailableError (exit 50).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { OFFER_PICKS, pickFromOfferCsv } from './offer-csv.js';
import { refreshedTablePath, type Price, type PriceTable } from './prices.js';

/** AWS's public price list; BERTH_PRICE_LIST_HOST points at a mirror (or a test server). */
export const priceListHost = () => process.env.BERTH_PRICE_LIST_HOST ?? 'https://pricing.us-east-1.amazonaws.com';
export const offerUrl = (offer: string, region: string) => `${priceListHost()}/offers/v1.0/aws/${offer}/current/${region}/index.csv`;

export class PriceListUnavailableError extends BerthError {
  constructor(url: string, reason: string) {
    super(`AWS's price list could not be read: ${url}: ${reason}`, {
      exitCode: EXIT.COST_PRICE_LIST_UNAVAILABLE,
      hint: 'berth cost --refresh needs the internet. The shipped table (and any earlier refresh) is unchanged and still used.',
      details: { code: 'PRICE_LIST_UNAVAILABLE', url },
    });
    this.name = 'PriceListUnavailableError';
  }
}

export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

async function fetchOffer(offer: string, region: string, fetchFn: Fetch, timeoutMs: number) {
  const url = offerUrl(offer, region);
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetchFn(url, { signal });
  } catch (e) {
    throw new PriceListUnavailableError(
      url,
      signal.aborted ? `no answer within ${timeoutMs / 1000} s` : String((e as Error).cause ?? (e as Error).message),
    );
  }
  if (!res.ok || !res.body) throw new PriceListUnavailableError(url, `HTTP ${res.status}`);
  try {
    const lines = createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), crlfDelay: Infinity });
    const out = await pickFromOfferCsv(lines, offer, region);
    lines.close();
    return { url, offer, ...out };
  } catch (e) {
    throw new PriceListUnavailableError(url, signal.aborted ? `download not finished within ${timeoutMs / 1000} s` : (e as Error).message);
  }
}

/** Fetch every offer for each region (offers in parallel per region) and merge into a new table. */
export async function refreshPriceTable(
  base: PriceTable,
  regions: string[],
  opts: { fetchFn?: Fetch; timeoutMs?: number; today?: string } = {},
): Promise<PriceTable> {
  const fetchFn = opts.fetchFn ?? ((u, i) => fetch(u, i));
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const table: PriceTable = structuredClone(base);
  table.generated = today;
  table.generatedBy = 'berth cost --refresh';
  for (const region of regions) {
    const offers = [...new Set(OFFER_PICKS.map((p) => p.offer))];
    const results = await Promise.all(offers.map((o) => fetchOffer(o, region, fetchFn, opts.timeoutMs ?? 120_000)));
    const prices: Record<string, Price> = { ...(table.regions[region] ?? {}) };
    for (const r of results) {
      for (const p of r.prices) {
        prices[p.key] = {
          ...(prices[p.key] ?? {}),
          price: p.price,
          unit: prices[p.key]?.unit ?? p.unit,
          offer: r.offer,
          usagetype: p.usagetype,
          source: r.url,
          evidence: `read from the offer file (publication ${r.meta.publicationDate ?? 'unknown'})`,
          checked: today,
          status: 'confirmed',
        };
      }
    }
    table.regions[region] = prices;
  }
  return table;
}

export function writeRefreshedTable(table: PriceTable, path = refreshedTablePath()): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(table, null, 2) + '\n');
  renameSync(tmp, path);
  return path;
}
