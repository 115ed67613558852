/**
 * Where AWS calls go for an environment: its region, and for a sandbox environment the local
 * emulator's endpoint with fake credentials. Everything else uses the SDK's own credential chain.
 */
import { endpointUrlFromEnv } from '../cli-args/env-vars.js';
import type { EnvironmentConfig } from '../config/types.js';
import { BerthError } from '../output/errors.js';
import { awsLimits } from './limits.js';
import { FAKE_CREDENTIALS, readSandboxRecord } from '../sandbox/state.js';

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

export function awsContext(env: EnvironmentConfig, processEnv: NodeJS.ProcessEnv = process.env): AwsContext {
  awsLimits(processEnv); // a bad BERTH_AWS_TIMEOUT is bad input: refused before any call
  if (env.sandbox) {
    const rec = readSandboxRecord();
    if (!rec) {
      throw new BerthError(`environment ${env.name} runs on the sandbox, and no sandbox is running.`, {
        hint: 'Start it with `berth sandbox up`.',
      });
    }
    return {
      region: rec.region,
      endpoint: rec.endpoint,
      credentials: { ...FAKE_CREDENTIALS },
      sandbox: true,
      publicUrlOverride: rec.publicUrl,
    };
  }
  const endpoint = endpointUrlFromEnv(processEnv);
  return { region: env.region, endpoint, sandbox: false, expectedAccount: env.account };
}
