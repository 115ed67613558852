/**
 * berth's price table: shipped as data/prices.json; `berth cost --refresh` writes a rebuilt one to
 * .berth/cost/prices.json, which is read first when present. Every price carries its source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, projectDir } from '../config/paths.js';
import { UsageError } from '../output/errors.js';

export interface Price {
  price: number;
  unit: string;
  offer: string;
  usagetype: string;
  source: string;
  evidence: string;
  checked: string;
  status: 'confirmed' | 'unconfirmed';
}

export interface PriceTable {
  generated: string;
  generatedBy: string;
  hoursPerMonth: number;
  regions: Record<string, Record<string, Price>>;
}

export const shippedTablePath = () => join(packageDir(), 'data', 'prices.json');
export const refreshedTablePath = (project = projectDir()) => join(project, '.berth', 'cost', 'prices.json');

export function loadPriceTable(project = projectDir()): { table: PriceTable; path: string } {
  const refreshed = refreshedTablePath(project);
  const path = existsSync(refreshed) ? refreshed : shippedTablePath();
  return { table: JSON.parse(readFileSync(path, 'utf8')) as PriceTable, path };
}

/** The prices of a region, or a usage error naming the regions the table holds. */
export function regionPrices(table: PriceTable, region: string): Record<string, Price> {
  const r = table.regions[region];
  if (!r) {
    throw new UsageError(`region "${region}" is not in berth's price table (it holds ${Object.keys(table.regions).sort().join(', ')}).`, {
      hint: "Run `berth cost --refresh --region <region>` online to add it from AWS's price list.",
    });
  }
  return r;
}
