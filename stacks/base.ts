/**
 * What every berth stack shares: the AWS provider (region, default tags, sandbox switches), the
 * state backend, readable resource addresses, and named outputs.
 */
import { posix } from 'node:path';
import { LocalBackend, S3Backend, TerraformDataSource, TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { names, type StackKind } from '../src/config/names.js';
import type { EnvironmentConfig } from '../src/config/types.js';

/**
 * Where a stack's state lives, as plain data (pure: tests and the terraform runner read it).
 * - `s3`: one object per stack under the key prefix, encrypted, locked with an S3 lock file
 *   (`use_lockfile`, terraform >= 1.10; no DynamoDB table).
 * - `local`: a path RELATIVE to the stack's working directory `cdktf.out/<env>/stacks/<stack>/`,
 *   i.e. four levels below the project; the state folder itself is relative to the project.
 *   The synthesized tree is meant to live at `<project>/cdktf.out/<env>/` (the default outdir);
 *   a tree written elsewhere with `--out` keeps the same relative paths.
 */
export type BackendSpec =
  { type: 's3'; bucket: string; key: string; region: string; encrypt: true; useLockfile: true } | { type: 'local'; path: string };

/** Levels from `cdktf.out/<env>/stacks/<stack>/` back up to the project folder. */
export const WORKDIR_TO_PROJECT = '../../../..';

export function backendSpec(env: EnvironmentConfig, kind: StackKind): BackendSpec {
  const stack = names(env).stack(kind);
  if (env.state.backend === 's3') {
    if (!env.state.bucket) throw new Error(`environment ${env.name}: state.backend is "s3" but state.bucket is not set`);
    const prefix = (env.state.keyPrefix ?? `berth/${env.app}/${env.name}`).replace(/\/+$/, '');
    return {
      type: 's3',
      bucket: env.state.bucket,
      key: `${prefix}/${stack}.tfstate`,
      region: env.state.region ?? env.region,
      encrypt: true,
      useLockfile: true,
    };
  }
  const folder = (env.state.path ?? `.berth/state/${env.name}`).replace(/\/+$/, '');
  return { type: 'local', path: posix.join(WORKDIR_TO_PROJECT, folder, `${stack}.tfstate`) };
}

/** The tags every resource carries (provider `default_tags`). */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return { app: env.app, environment: env.name, 'managed-by': 'berth' };
}

/**
 * One terraform stack of an environment: id `names(env).stack(kind)`, its own provider and backend.
 * Secure defaults: `allowed_account_ids` pins the account when the environment names one. In the
 * sandbox the provider skips credential validation and the metadata API and uses path-style S3, but
 * still requests the account id (skipping it leaves a permanent diff on security-group rules that
 * reference other groups). Endpoints are never synthesized: the sandbox runner sets
 * `AWS_ENDPOINT_URL` at run time, so the output stays deterministic and endpoint-free.
 */
export class BerthStack extends TerraformStack {
  readonly env: EnvironmentConfig;
  readonly kind: StackKind;

  constructor(scope: Construct, env: EnvironmentConfig, kind: StackKind) {
    super(scope, names(env).stack(kind));
    this.env = env;
    this.kind = kind;
    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: env.account ? [env.account] : undefined,
      defaultTags: [{ tags: defaultTags(env) }],
      ...(env.sandbox
        ? { skipCredentialsValidation: true, skipMetadataApiCheck: 'true', s3UsePathStyle: true, skipRequestingAccountId: false }
        : {}),
    });
    const b = backendSpec(env, kind);
    if (b.type === 's3') {
      new S3Backend(this, { bucket: b.bucket, key: b.key, region: b.region, encrypt: b.encrypt });
      // cdktf 0.21's S3Backend has no use_lockfile yet.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      new LocalBackend(this, { path: b.path });
    }
  }

  /** A named stack output (its terraform name is exactly `name`). */
  output(name: string, value: unknown, description: string, sensitive = false): TerraformOutput {
    const o = new TerraformOutput(this, `output-${name}`, { value, description, sensitive });
    o.overrideLogicalId(name);
    return o;
  }

  /**
   * cdktf marks every cross-stack output sensitive, and terraform_remote_state keeps that mark, so
   * any consumer output or plan line built from one would turn "(sensitive value)" (and an output
   * without `sensitive = true` would fail at plan). berth passes only ids, ARNs, names and endpoints
   * between stacks, never a secret value (the Redis token stays inside the cache stack), so
   * cross-stack outputs are plain. A test checks that no cross-stack output carries a secret.
   */
  override registerOutgoingCrossStackReference(identifier: string): TerraformOutput {
    const o = super.registerOutgoingCrossStackReference(identifier);
    o.sensitive = false;
    return o;
  }

  private readonly addresses = new Map<string, string>();

  /**
   * Every resource and data source gets a readable, stable address derived from its construct path
   * (`aws_vpc.network_vpc`, `aws_ecs_service.service_api-service`) instead of cdktf's hashed ids:
   * `berth check` waivers and plan summaries name resources by these addresses. Outputs, the
   * provider and cross-stack remote-state reads keep cdktf's own scheme.
   */
  protected override allocateLogicalId(el: TerraformElement | Node): string {
    if (!(el instanceof TerraformResource) && !(el instanceof TerraformDataSource)) return super.allocateLogicalId(el);
    const rel = el.node.path.split('/').slice(1).join('_');
    const id = rel.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
    const key = `${el.terraformResourceType}.${id}`;
    const owner = this.addresses.get(key);
    if (owner !== undefined && owner !== el.node.path) throw new Error(`duplicate terraform address ${key} (${owner} and ${el.node.path})`);
    this.addresses.set(key, el.node.path);
    return id;
  }
}
