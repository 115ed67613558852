/**
 * `berth discover`'s input, all of it checked before the first AWS call: the cluster and service
 * names by ECS's rules, the region (flag, else AWS_REGION / AWS_DEFAULT_REGION) among the regions
 * that exist, the environment name by berth's rule (default: made from the cluster's name), and the
 * file it will write: environments/<name>.json, new or one berth wrote before. Bad input is a usage
 * error (exit 2) naming the flag, the value and what was expected.
 */
import { existsSync, lstatSync } from 'node:fs';
import { NAME_RULES, nameProblem } from '../config/aws-names.js';
import { isAwsRegion } from '../config/aws-regions.js';
import { isOwnedFile } from '../config/owned-dir.js';
import { paths } from '../config/paths.js';
import { ERROR_CODES, UsageError } from '../output/errors.js';

export interface DiscoverOptions {
  cluster: string;
  services: string[];
  region: string;
  name: string;
  /** environments/<name>.json, absolute. */
  file: string;
}

export interface RawDiscoverOptions {
  cluster?: string;
  service?: string[];
  region?: string;
  name?: string;
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
/** DescribeServices takes at most 10 services per call; an environment at most 20 services. */
const MAX_SERVICES = 10;

const bad = (message: string, code: string = ERROR_CODES.flagFormat, hint?: string) => new UsageError(message, { code, hint });

/** An ECS name (or the ARN of one), by ECS's rules: 1-255 letters, digits, _ and -. */
function ecsName(flag: string, value: string, what: 'cluster' | 'service'): string {
  const arn = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(cluster|service)\/(?:[A-Za-z0-9_-]+\/)?([A-Za-z0-9_-]+)$/.exec(value);
  const name = arn?.[1] === what ? arn[2]! : value;
  const problem = nameProblem(what === 'cluster' ? NAME_RULES.ecsCluster : NAME_RULES.ecsService, name);
  if (problem) throw bad(`${flag} "${value.slice(0, 300)}": expected an ${problem}, or its ARN.`);
  return name;
}

/** The default environment name: the cluster's, lowercased, other characters as "-", cut to 20. */
export function defaultEnvironmentName(cluster: string): string | undefined {
  const s = cluster
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  return ENV_NAME.test(s) ? s : undefined;
}

function regionOf(raw: string | undefined, processEnv: NodeJS.ProcessEnv): string {
  const region = raw ?? processEnv.AWS_REGION ?? processEnv.AWS_DEFAULT_REGION;
  const from = raw !== undefined ? '--region' : processEnv.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  if (!region) throw bad('no region: expected --region <region> (or AWS_REGION), e.g. --region ap-northeast-2.', ERROR_CODES.missingOption);
  if (!isAwsRegion(region)) throw bad(`${from} "${region.slice(0, 100)}": expected an AWS region that exists, such as "ap-northeast-2".`);
  return region;
}

/** The file discover writes: new, or one berth wrote before; never a file berth did not write. */
function targetFile(name: string): string {
  const file = paths.environmentFile(name);
  if (!existsSync(file) && !isSymlink(file)) return file;
  const st = lstatSync(file);
  if (!st.isFile() || !isOwnedFile(file))
    throw bad(
      `${file} exists and berth did not write it; expected --name to name a new environment.`,
      ERROR_CODES.outputNotOwned,
      'Pick another --name, or move that file away yourself; nothing was read from AWS and nothing was written.',
    );
  return file;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

export function discoverOptions(raw: RawDiscoverOptions, processEnv: NodeJS.ProcessEnv = process.env): DiscoverOptions {
  if (!raw.cluster) throw bad('--cluster is required: the ECS cluster the services run in.', ERROR_CODES.missingOption);
  const cluster = ecsName('--cluster', raw.cluster, 'cluster');
  const given = raw.service ?? [];
  if (!given.length) throw bad('--service is required: an ECS service of the cluster (repeat it for more).', ERROR_CODES.missingOption);
  if (given.length > MAX_SERVICES)
    throw bad(`--service given ${given.length} times: expected at most ${MAX_SERVICES} services.`, ERROR_CODES.flagRange);
  const services = given.map((s) => ecsName('--service', s, 'service'));
  const twice = services.find((s, i) => services.indexOf(s) !== i);
  if (twice) throw bad(`--service "${twice}" is given twice: expected each service once.`, ERROR_CODES.flagCombination);
  const region = regionOf(raw.region, processEnv);
  const name = raw.name ?? defaultEnvironmentName(cluster);
  if (!name)
    throw bad(
      `--name is needed: the cluster's name "${cluster}" does not make an environment name; expected --name <2-20 lowercase letters, digits, dashes>.`,
      ERROR_CODES.missingOption,
    );
  if (!ENV_NAME.test(name))
    throw bad(
      `--name "${name.slice(0, 100)}": expected an environment name of 2-20 lowercase letters, digits and dashes, starting with a letter.`,
    );
  return { cluster, services, region, name, file: targetFile(name) };
}
