/**
 * `berth discover`: input checked first (options.ts), then the platform read (gather.ts), placed
 * into berth's schema (place.ts) and written (write.ts). Calls go to the region asked for, through
 * the SDK's credential chain (or BERTH_AWS_ENDPOINT_URL's emulator).
 */
import { endpointUrlFromEnv } from '../cli-args/env-vars.js';
import type { AwsContext } from '../aws/context.js';
import { awsLimits } from '../aws/limits.js';
import type { ResourceMap } from '../config/types.js';
import { gatherDiscovery } from './gather.js';
import { discoverOptions, type RawDiscoverOptions } from './options.js';
import { place } from './place.js';
import type { DiscoverReport } from './render.js';
import { writeEnvironment } from './write.js';

export async function discover(raw: RawDiscoverOptions, processEnv: NodeJS.ProcessEnv = process.env): Promise<DiscoverReport> {
  const o = discoverOptions(raw, processEnv);
  awsLimits(processEnv);
  const endpoint = endpointUrlFromEnv(processEnv);
  const ctx: AwsContext = { region: o.region, ...(endpoint ? { endpoint } : {}), sandbox: false };
  const facts = await gatherDiscovery(ctx, o.cluster, o.services);
  const p = place(facts, o.name, new Date());
  writeEnvironment(o.file, p.environment);
  const resources = p.environment.resources as ResourceMap;
  return {
    ok: true,
    environment: o.name,
    file: o.file,
    cluster: o.cluster,
    region: o.region,
    services: Object.entries(resources.services ?? {}).map(([name, s]) => ({ name, ecsService: s.service ?? name })),
    resources,
    reached: p.reached,
    notPlaced: p.notes.filter((n) => n.kind === 'not-placed'),
    doubts: p.notes.filter((n) => n.kind === 'doubt'),
  };
}
