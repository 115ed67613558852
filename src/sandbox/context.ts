/**
 * The AWS context of an environment, with the sandbox's endpoint handed in when the environment
 * runs on the sandbox: what every command that talks to AWS (or to the emulator) starts from.
 */
import { awsContext, type AwsContext, type LocalEndpoint } from '../aws/context.js';
import type { EnvironmentConfig } from '../config/types.js';
import { FAKE_CREDENTIALS, readSandboxRecord } from './state.js';

/** The running sandbox's endpoint, for an environment that runs on it (else, or with no sandbox running, none). */
export function sandboxEndpoint(env: EnvironmentConfig, project?: string): LocalEndpoint | undefined {
  if (!env.sandbox) return undefined;
  const rec = readSandboxRecord(project);
  return rec ? { region: rec.region, endpoint: rec.endpoint, credentials: { ...FAKE_CREDENTIALS }, publicUrl: rec.publicUrl } : undefined;
}

export function environmentContext(env: EnvironmentConfig, processEnv: NodeJS.ProcessEnv = process.env): AwsContext {
  return awsContext(env, processEnv, sandboxEndpoint(env));
}
