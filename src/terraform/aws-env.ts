/**
 * The AWS settings terraform runs with for an environment. A sandbox environment points every
 * provider call (and the S3 backend) at the local emulator with fake credentials; the synthesized
 * configuration itself stays endpoint-free, so synth is the same for every machine.
 */
import { awsContext, type LocalEndpoint } from '../aws/context.js';
import type { EnvironmentConfig } from '../config/types.js';

/** `local`: the sandbox's endpoint, for an environment that runs on it (the sandbox hands it in). */
export function terraformAwsEnv(env: EnvironmentConfig, local?: LocalEndpoint): NodeJS.ProcessEnv {
  const ctx = awsContext(env, process.env, local);
  const out: NodeJS.ProcessEnv = { AWS_REGION: ctx.region, AWS_DEFAULT_REGION: ctx.region };
  if (ctx.endpoint) out.AWS_ENDPOINT_URL = ctx.endpoint;
  if (ctx.credentials) {
    out.AWS_ACCESS_KEY_ID = ctx.credentials.accessKeyId;
    out.AWS_SECRET_ACCESS_KEY = ctx.credentials.secretAccessKey;
    // Never let a sandbox run pick up a real profile or session (undefined = removed by the runner).
    out.AWS_PROFILE = undefined;
    out.AWS_SESSION_TOKEN = undefined;
  }
  return out;
}
