/** The plan comment's cost line for an environment (and its base); an estimate that cannot be made says why instead of failing the plan. */
import type { EnvironmentConfig } from '../config/types.js';
import { isBerthError } from '../output/errors.js';
import { defaultAssumptions } from './assumptions.js';
import { monthlyCost } from './estimate.js';
import { costLine } from './plan-line.js';
import { loadPriceTable } from './prices.js';

export function planCostLine(env: EnvironmentConfig, base?: EnvironmentConfig): string {
  try {
    const { table } = loadPriceTable();
    const a = defaultAssumptions();
    return costLine(monthlyCost(env, table, a), base ? monthlyCost(base, table, a) : undefined);
  } catch (e) {
    if (!isBerthError(e)) throw e;
    return `**Monthly estimate**: not available (${e.message})`;
  }
}
