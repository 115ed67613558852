/**
 * Where AWS calls go for an environment: its region, and for a sandbox environment the local
 * emulator's endpoint with its fake credentials, which the sandbox hands in (src/sandbox/context.ts:
 * this folder knows nothing of the sandbox). Everything else uses the SDK's own credential chain.
 */
import { endpointUrlFromEnv, publicUrlFromEnv } from '../cli-args/env-vars.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError } from '../output/errors.js';
import { awsLimits } from './limits.js';

/** A local emulator that takes the calls of an environment that runs on it. */
export interface LocalEndpoint {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The local URL that stands for the public URL. */
  publicUrl?: string;
}

export interface AwsContext {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  sandbox: boolean;
  /** In the sandbox, the local URL that stands for the public URL. */
  publicUrlOverride?: string;
  /** The environment's `account`: every client refuses to work with credentials of another account. */
  expectedAccount?: string;
}

/** `local`: the running emulator, for an environment that runs on the sandbox (none running: an error that says so). */
export function awsContext(env: EnvironmentConfig, processEnv: NodeJS.ProcessEnv = process.env, local?: LocalEndpoint): AwsContext {
  awsLimits(processEnv); // a bad BERTH_AWS_TIMEOUT is bad input: refused before any call
  if (env.sandbox) {
    if (!local) {
      throw new BerthError(`environment ${env.name} runs on the sandbox, and no sandbox is running.`, {
        hint: 'Start it with `berth sandbox up`.',
      });
    }
    return {
      region: local.region,
      endpoint: local.endpoint,
      credentials: { ...local.credentials },
      sandbox: true,
      publicUrlOverride: local.publicUrl,
    };
  }
  const endpoint = endpointUrlFromEnv(processEnv);
  const publicUrlOverride = publicUrlFromEnv(processEnv);
  return {
    region: env.region,
    endpoint,
    sandbox: false,
    expectedAccount: env.account,
    ...(publicUrlOverride ? { publicUrlOverride } : {}),
  };
}
