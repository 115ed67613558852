/**
 * `berth cost --refresh` against a price list served on 127.0.0.1 (never AWS): the parser picks
 * the on-demand Linux prices out of an offer-file excerpt (the CSV layout AWS publishes, rows for
 * Seoul's Fargate, with the Windows and ephemeral-storage rows it must skip), and an unreachable
 * price list is exit 50 with the table unchanged.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFromOfferCsv } from '../../src/cost/offer-csv.js';
import { refreshedTablePath } from '../../src/cost/prices.js';
import { runCli, tempProject } from '../helpers/cli.js';

const ecs = readFileSync(new URL('./fixtures/AmazonECS-ap-northeast-2.csv', import.meta.url), 'utf8');
const header = ecs.split('\n').slice(0, 6).join('\n'); // the metadata lines and the column header, no rows
let server: Server;
let host: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url!);
    if (req.url === '/offers/v1.0/aws/AmazonECS/current/ap-northeast-2/index.csv')
      return res.end(ecs.replace('0.0465600000', '0.0470000000'));
    if (/^\/offers\/v1\.0\/aws\/\w+\/current\/[\w-]+\/index\.csv$/.test(req.url!)) return res.end(header);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('berth cost --refresh', () => {
  it('picks the on-demand Linux Fargate prices out of an offer file excerpt, skipping Windows and storage rows', async () => {
    const { meta, prices } = await pickFromOfferCsv(ecs.split('\n'), 'AmazonECS', 'ap-northeast-2');
    expect(meta.publicationDate).toBe('2026-08-31T18:21:44Z');
    expect(Object.fromEntries(prices.map((p) => [p.key, [p.price, p.usagetype]]))).toEqual({
      'fargate.gb.X86_64': [0.00511, 'APN2-Fargate-GB-Hours'],
      'fargate.vcpu.X86_64': [0.04656, 'APN2-Fargate-vCPU-Hours:perCPU'],
      'fargate.vcpu.ARM64': [0.03725, 'APN2-Fargate-ARM-vCPU-Hours:perCPU'],
      'fargate.gb.ARM64': [0.00409, 'APN2-Fargate-ARM-GB-Hours'],
    });
  });

  it('rebuilds the table into .berth/cost/prices.json from the price list, and berth cost then uses it', async () => {
    const p = tempProject();
    try {
      const r = await runCli(['cost', '--refresh', '--region', 'ap-northeast-2', '--json'], {
        project: p.dir,
        env: { BERTH_PRICE_LIST_HOST: host },
      });
      expect(r.code, r.stderr).toBe(0);
      const table = JSON.parse(readFileSync(refreshedTablePath(p.dir), 'utf8'));
      expect(table.generatedBy).toBe('berth cost --refresh');
      expect(table.regions['ap-northeast-2']['fargate.vcpu.X86_64']).toMatchObject({
        price: 0.047,
        status: 'confirmed',
        source: `${host}/offers/v1.0/aws/AmazonECS/current/ap-northeast-2/index.csv`,
      });
      expect(table.regions['us-east-1']).toBeDefined();
      expect(asked).toContain('/offers/v1.0/aws/AmazonEC2/current/ap-northeast-2/index.csv');
      const cost = JSON.parse(
        (await runCli(['cost', '--env', `${process.cwd()}/templates/environments/platform.json`, '--json'], { project: p.dir })).stdout,
      );
      expect(cost.lines[0].unitPrice).toBe(0.047);
      expect(cost.priceTable.path).toBe(refreshedTablePath(p.dir));
    } finally {
      p.cleanup();
    }
  });

  it('offline (nothing answers): exit 50, a PRICE_LIST_UNAVAILABLE error document, no table written', async () => {
    const p = tempProject();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    try {
      const r = await runCli(['cost', '--refresh', '--json', '--timeout', '5s'], {
        project: p.dir,
        env: { BERTH_PRICE_LIST_HOST: `http://127.0.0.1:${port}` },
      });
      expect(r.code).toBe(50);
      expect(JSON.parse(r.stdout).error.details.code).toBe('PRICE_LIST_UNAVAILABLE');
      expect(existsSync(refreshedTablePath(p.dir))).toBe(false);
    } finally {
      p.cleanup();
    }
  });
});
