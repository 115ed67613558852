import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env?: string;
  assume: string[];
  refresh?: boolean;
  region: string[];
  timeout?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command): void {
  program
    .command('cost')
    .description(
      "The environment's monthly estimate, line by line, from berth's price table (offline). " +
        "--refresh rebuilds the table from AWS's price list (online).\n" +
        exitHelp('cost'),
    )
    .option('-e, --env <env>', 'environment name or path to a .json file')
    .option('--assume <key=value>', 'override a usage assumption (repeatable); see the README for the keys', collect, [])
    .option('--refresh', "rebuild the price table from AWS's public price list files into .berth/cost/prices.json")
    .option(
      '--region <region>',
      'with --refresh: a region to add or refresh (repeatable; default: the regions the table holds)',
      collect,
      [],
    )
    .option('--timeout <duration>', 'with --refresh: the limit for each price list download', '2m')
    .option('--json', 'machine-readable output')
    .action(
      action<Opts>(async (opts, out) => {
        const { UsageError } = await import('../../src/output/errors.js');
        const { loadPriceTable } = await import('../../src/cost/prices.js');
        if (opts.refresh) return refresh(opts, out);
        if (!opts.env) throw new UsageError('--env is required (or --refresh).');
        const { parseAssumptions } = await import('../../src/cost/assumptions.js');
        const assume = parseAssumptions(opts.assume);
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { table, path } = loadPriceTable();
        const { monthlyCost } = await import('../../src/cost/estimate.js');
        const { renderCost } = await import('../../src/cost/render.js');
        const estimate = monthlyCost(env, table, assume);
        out.result({ ok: true, ...estimate, priceTable: { path, generated: table.generated, generatedBy: table.generatedBy } }, () =>
          renderCost(estimate, path),
        );
      }),
    );
}

async function refresh(opts: Opts, out: import('../../src/output/reporter.js').Reporter): Promise<void> {
  const { parseDuration } = await import('../../src/cli-args/duration.js');
  const { loadPriceTable } = await import('../../src/cost/prices.js');
  const timeoutMs = parseDuration(opts.timeout ?? '2m', '--timeout');
  const { table } = loadPriceTable();
  const regions = opts.region.length ? opts.region : Object.keys(table.regions).sort();
  const { refreshPriceTable, writeRefreshedTable } = await import('../../src/cost/refresh.js');
  out.info(`Reading AWS's price list for ${regions.join(', ')} (each download limited to ${opts.timeout ?? '2m'})...`);
  const fresh = await refreshPriceTable(table, regions, { timeoutMs });
  const path = writeRefreshedTable(fresh);
  out.result({ ok: true, path, regions, generated: fresh.generated }, () => `Wrote the refreshed price table to ${path}`);
}
