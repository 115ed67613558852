/**
 * AWS price list offer files (CSV form, `.../offers/v1.0/aws/<offer>/current/<region>/index.csv`)
 * read as a stream of rows: the few on-demand prices berth's table holds are picked out by usage
 * type and product attributes, in constant memory (the EC2 file is several hundred MB).
 */

/** Which row of which offer gives a price key. `usagetype` is without the region prefix. */
export interface OfferPick {
  key: string;
  offer: string;
  usagetype: string;
  /** Further columns that must match (e.g. `Product Family`). */
  where?: Record<string, string>;
}

export const OFFER_PICKS: OfferPick[] = [
  { key: 'fargate.vcpu.X86_64', offer: 'AmazonECS', usagetype: 'Fargate-vCPU-Hours:perCPU' },
  { key: 'fargate.gb.X86_64', offer: 'AmazonECS', usagetype: 'Fargate-GB-Hours' },
  { key: 'fargate.vcpu.ARM64', offer: 'AmazonECS', usagetype: 'Fargate-ARM-vCPU-Hours:perCPU' },
  { key: 'fargate.gb.ARM64', offer: 'AmazonECS', usagetype: 'Fargate-ARM-GB-Hours' },
  { key: 'aurora.acu', offer: 'AmazonRDS', usagetype: 'Aurora:ServerlessV2Usage' },
  {
    key: 'elasticache.node.cache.t4g.micro',
    offer: 'AmazonElastiCache',
    usagetype: 'NodeUsage:cache.t4g.micro',
    where: { 'Cache Engine': 'Redis' },
  },
  {
    key: 'elasticache.node.cache.t4g.small',
    offer: 'AmazonElastiCache',
    usagetype: 'NodeUsage:cache.t4g.small',
    where: { 'Cache Engine': 'Redis' },
  },
  { key: 'alb.hour', offer: 'AWSELB', usagetype: 'LoadBalancerUsage', where: { 'Product Family': 'Load Balancer-Application' } },
  { key: 'alb.lcu', offer: 'AWSELB', usagetype: 'LCUUsage', where: { 'Product Family': 'Load Balancer-Application' } },
  { key: 'nat.hour', offer: 'AmazonEC2', usagetype: 'NatGateway-Hours' },
  { key: 'nat.gb', offer: 'AmazonEC2', usagetype: 'NatGateway-Bytes' },
  { key: 'ipv4.hour', offer: 'AmazonVPC', usagetype: 'PublicIPv4:InUseAddress' },
  { key: 'logs.ingest', offer: 'AmazonCloudWatch', usagetype: 'DataProcessing-Bytes', where: { 'Product Family': 'Data Payload' } },
  { key: 'logs.storage', offer: 'AmazonCloudWatch', usagetype: 'TimedStorage-ByteHrs', where: { 'Product Family': 'Storage Snapshot' } },
  { key: 'alarm.metric', offer: 'AmazonCloudWatch', usagetype: 'CW:AlarmMonitorUsage' },
  { key: 'ecr.storage', offer: 'AmazonECR', usagetype: 'TimedStorage-ByteHrs' },
  { key: 'secret.month', offer: 'AWSSecretsManager', usagetype: 'AWSSecretsManager-Secrets' },
  { key: 'kms.key', offer: 'awskms', usagetype: 'KMS-Keys' },
];

/** The usage-type prefix of a region in the price list (us-east-1 often has none). */
export const REGION_PREFIX: Record<string, string> = {
  'us-east-1': 'USE1',
  'us-east-2': 'USE2',
  'us-west-2': 'USW2',
  'eu-west-1': 'EU',
  'eu-central-1': 'EUC1',
  'ap-northeast-1': 'APN1',
  'ap-northeast-2': 'APN2',
  'ap-southeast-1': 'APS1',
};

/** Split one CSV line (RFC 4180 quoting, as AWS writes it). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') ((cur += '"'), i++);
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(cur), (cur = ''));
    else cur += c;
  }
  out.push(cur);
  return out;
}

export interface OfferMeta {
  publicationDate?: string;
  version?: string;
}

export interface PickedPrice {
  key: string;
  price: number;
  unit: string;
  usagetype: string;
}

/**
 * Read an offer CSV's lines (metadata lines, then the header, then rows) and return the on-demand,
 * first-tier price of each pick of this offer found.
 */
export async function pickFromOfferCsv(
  lines: AsyncIterable<string> | Iterable<string>,
  offer: string,
  region: string,
): Promise<{ meta: OfferMeta; prices: PickedPrice[] }> {
  const picks = OFFER_PICKS.filter((p) => p.offer === offer);
  const prefix = REGION_PREFIX[region];
  const meta: OfferMeta = {};
  let header: string[] | undefined;
  const found = new Map<string, PickedPrice>();
  for await (const line of lines) {
    const f = csvFields(line);
    if (!header) {
      if (f[0] === 'Publication Date') meta.publicationDate = f[1];
      else if (f[0] === 'Version') meta.version = f[1];
      else if (f[0] === 'SKU') header = f;
      continue;
    }
    const row = (name: string) => f[header!.indexOf(name)] ?? '';
    if (row('TermType') !== 'OnDemand' || Number(row('StartingRange') || 0) !== 0) continue;
    const ut = row('usageType');
    const base = prefix && ut.startsWith(`${prefix}-`) ? ut.slice(prefix.length + 1) : ut;
    for (const p of picks) {
      if (found.has(p.key) || base !== p.usagetype) continue;
      if (Object.entries(p.where ?? {}).some(([k, v]) => row(k) !== v)) continue;
      const price = Number(row('PricePerUnit'));
      if (Number.isFinite(price) && price > 0) found.set(p.key, { key: p.key, price, unit: row('Unit'), usagetype: ut });
    }
    if (found.size === picks.length) break;
  }
  return { meta, prices: [...found.values()] };
}
