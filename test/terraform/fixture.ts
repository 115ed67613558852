/**
 * A small environment plain moto_server can apply in seconds, synthesized the way cdktf writes
 * (manifest.json + stacks/<stack>/cdk.tf.json, cross-stack reads through terraform_remote_state):
 *
 *   <p>-network   aws_sns_topic           outputs topic_arn (read by service), topic_name
 *   <p>-registry  aws_cloudwatch_log_group (retention = services[0].logRetentionDays)
 *   <p>-service   aws_ssm_parameter holding network's topic_arn; a sensitive output
 *
 * `aws` names the stacks built of AWS resources (default: all three). The others hold the same
 * things as terraform's built-in `terraform_data` (same logical names, same inputs, same outputs,
 * the network's topic_arn known only after apply like the topic's ARN): terraform runs them without
 * the AWS provider (no 600 MB provider to start, no schema to load: ~0.05 CPU s a command instead
 * of ~2), for the tests that assert berth's orchestration rather than AWS behaviour. Their "real
 * world" is their state: `builtinInventory` reads it.
 *
 * `slowSeconds` adds a terraform_data with a local-exec sleep to the network stack, so an apply
 * holds the state lock long enough for a second one to meet it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { names } from '../../src/config/names.js';
import { paths } from '../../src/config/paths.js';
import { parseEnvironment } from '../../src/config/load.js';
import type { LocalEndpoint } from '../../src/aws/context.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { FAKE_CREDENTIALS } from '../../src/sandbox/state.js';
import type { SynthFn } from '../../src/terraform/workspace.js';

export const FIXTURE_SECRET = 'fixture-sensitive-value-7f3a9c';

function backend(env: EnvironmentConfig, stack: string): { type: string; config: Record<string, unknown> } {
  if (env.state.backend === 's3')
    return {
      type: 's3',
      config: {
        bucket: env.state.bucket,
        key: `${env.state.keyPrefix ?? `berth/${env.app}/${env.name}`}/${stack}.tfstate`,
        region: env.state.region ?? env.region,
        encrypt: true,
        use_lockfile: true,
      },
    };
  return { type: 'local', config: { path: posix.join('../../../..', env.state.path ?? `.berth/state/${env.name}`, `${stack}.tfstate`) } };
}

function stackJson(env: EnvironmentConfig, stack: string, body: Record<string, unknown>, aws: boolean): Record<string, unknown> {
  const b = backend(env, stack);
  if (!aws) return { terraform: { backend: { [b.type]: b.config } }, ...body };
  return {
    terraform: { backend: { [b.type]: b.config }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    provider: {
      aws: [
        {
          region: env.region,
          skip_credentials_validation: true,
          skip_metadata_api_check: 'true',
          skip_requesting_account_id: true,
          s3_use_path_style: true,
        },
      ],
    },
    ...body,
  };
}

type FixtureKind = 'network' | 'registry' | 'service';

export interface FixtureOptions {
  slowSeconds?: number;
  /** Only these stacks (default all three). */
  kinds?: FixtureKind[];
  /** The stacks made of AWS resources (default all three); the others use terraform_data. */
  aws?: FixtureKind[];
}

/** A resource of the stack: the AWS one, or terraform_data holding the same inputs. */
function resource(aws: boolean, type: string, name: string, args: Record<string, unknown>): Record<string, unknown> {
  return aws ? { [type]: { [name]: args } } : { terraform_data: { [name]: { input: args } } };
}

/** Plus a terraform_data whose local-exec sleeps `seconds` (none without). */
function withSlow(resources: Record<string, unknown>, seconds?: number): Record<string, unknown> {
  if (!seconds) return resources;
  const data = (resources.terraform_data ?? {}) as Record<string, unknown>;
  return { ...resources, terraform_data: { ...data, slow: { provisioner: [{ 'local-exec': { command: `sleep ${seconds}` } }] } } };
}

/** An attribute of that resource as an expression (`arn`: the network topic's, known after apply). */
function attr(aws: boolean, type: string, name: string, key: string): string {
  if (aws) return `\${${type}.${name}.${key}}`;
  if (key === 'arn')
    return `\${terraform_data.${name}.id == "" ? "" : "arn:aws:sns:us-east-1:123456789012:\${terraform_data.${name}.output.name}"}`;
  return `\${terraform_data.${name}.output.${key}}`;
}

export function fixtureSynth(fx: FixtureOptions = {}): SynthFn {
  return async (env, opts) => {
    const outdir = resolve(opts.outdir ?? paths.synthDir(env.name));
    const n = names(env);
    const net = n.stack('network');
    const reg = n.stack('registry');
    const svc = n.stack('service');
    const netBackend = backend(env, net);
    const isAws = (k: FixtureKind) => !fx.aws || fx.aws.includes(k);
    const stacks: Record<string, { deps: string[]; json: Record<string, unknown> }> = {
      [net]: {
        deps: [],
        json: stackJson(
          env,
          net,
          {
            resource: withSlow(
              resource(isAws('network'), 'aws_sns_topic', 'network_topic', { name: `${n.prefix}-events` }),
              fx.slowSeconds,
            ),
            output: {
              topic_arn: { value: attr(isAws('network'), 'aws_sns_topic', 'network_topic', 'arn') },
              topic_name: { value: attr(isAws('network'), 'aws_sns_topic', 'network_topic', 'name') },
            },
          },
          isAws('network'),
        ),
      },
      [reg]: {
        deps: [],
        json: stackJson(
          env,
          reg,
          {
            resource: resource(isAws('registry'), 'aws_cloudwatch_log_group', 'registry_logs', {
              name: `/berth-test/${n.prefix}`,
              retention_in_days: env.services[0]!.logRetentionDays,
            }),
            output: { log_group: { value: attr(isAws('registry'), 'aws_cloudwatch_log_group', 'registry_logs', 'name') } },
          },
          isAws('registry'),
        ),
      },
      [svc]: {
        deps: [net],
        json: stackJson(
          env,
          svc,
          {
            data: {
              terraform_remote_state: {
                [`cross-stack-reference-input-${net}`]: {
                  backend: netBackend.type,
                  config:
                    netBackend.type === 'local'
                      ? { path: netBackend.config.path }
                      : { bucket: netBackend.config.bucket, key: netBackend.config.key, region: netBackend.config.region },
                },
              },
            },
            resource: resource(isAws('service'), 'aws_ssm_parameter', 'service_topic', {
              name: `/${n.prefix}/topic`,
              type: 'String',
              value: `\${data.terraform_remote_state.cross-stack-reference-input-${net}.outputs.topic_arn}`,
            }),
            output: {
              parameter: { value: attr(isAws('service'), 'aws_ssm_parameter', 'service_topic', 'name') },
              token: { value: FIXTURE_SECRET, sensitive: true },
            },
          },
          isAws('service'),
        ),
      },
    };
    for (const k of ['network', 'registry', 'service'] as const) if (fx.kinds && !fx.kinds.includes(k)) delete stacks[n.stack(k)];
    const manifest: Record<string, unknown> = { version: 'fixture', stacks: {} };
    for (const [name, s] of Object.entries(stacks)) {
      const dir = join(outdir, 'stacks', name);
      mkdirSync(dir, { recursive: true });
      rmSync(join(dir, 'cdk.tf.json'), { force: true });
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(s.json, null, 2));
      (manifest.stacks as Record<string, unknown>)[name] = {
        name,
        constructPath: name,
        workingDirectory: `stacks/${name}`,
        synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
        annotations: [],
        dependencies: s.deps,
      };
    }
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return {
      outdir,
      stacks: Object.entries(stacks).map(([name, s]) => ({
        name,
        kind: name.slice(n.prefix.length + 1),
        resources: Object.keys((s.json.resource as object) ?? {}).length,
        dependencies: s.deps,
      })),
    };
  };
}

/** A sandbox environment for the fixture (the sandbox record points berth at the emulator). */
export function fixtureEnvironment(over: {
  name: string;
  protected?: boolean;
  state?: Record<string, unknown>;
  logRetentionDays?: number;
}): EnvironmentConfig {
  return parseEnvironment(
    {
      name: over.name,
      app: 'tfci',
      region: 'us-east-1',
      protected: over.protected ?? false,
      sandbox: true,
      domain: { name: 'berth.test' },
      state: over.state ?? { backend: 'local', path: `.berth/state/${over.name}` },
      services: [{ name: 'api', port: 8000, logRetentionDays: over.logRetentionDays ?? 7 }],
    },
    `${over.name}.json`,
  );
}

/** The emulator's endpoint as the sandbox hands it to terraform (RunSettings.local). */
export function fixtureLocal(endpoint: string): LocalEndpoint {
  return { region: 'us-east-1', endpoint, credentials: { ...FAKE_CREDENTIALS } };
}

/** Point berth at a running emulator for sandbox environments of this project. */
export function writeSandboxRecord(project: string, endpoint: string, pid: number): void {
  const dir = paths.sandboxDir(project);
  mkdirSync(dir, { recursive: true });
  const port = Number(new URL(endpoint).port);
  writeFileSync(
    join(dir, 'sandbox.json'),
    JSON.stringify({ endpoint, region: 'us-east-1', pid, port, startedAt: new Date().toISOString() }),
  );
}

/**
 * What the built-in stacks of a project hold, read from their local state files (terraform_data's
 * inputs): the "topics", "parameters" and "log groups" (name -> retention) they stand for.
 */
export function builtinInventory(project: string): { topics: string[]; params: string[]; logGroups: Record<string, number | undefined> } {
  const out = { topics: [] as string[], params: [] as string[], logGroups: {} as Record<string, number | undefined> };
  const root = join(project, '.berth', 'state');
  if (!existsSync(root)) return out;
  for (const env of readdirSync(root))
    for (const f of readdirSync(join(root, env)).filter((x) => x.endsWith('.tfstate'))) {
      const text = readFileSync(join(root, env, f), 'utf8');
      const state = (text.trim() ? JSON.parse(text) : {}) as { resources?: StateResource[] };
      for (const r of state.resources ?? []) {
        if (r.type !== 'terraform_data') continue;
        for (const i of r.instances) {
          const input = i.attributes.input?.value ?? {};
          if (r.name === 'network_topic') out.topics.push(String(input.name));
          if (r.name === 'service_topic') out.params.push(String(input.name));
          if (r.name === 'registry_logs') out.logGroups[String(input.name)] = input.retention_in_days as number | undefined;
        }
      }
    }
  return out;
}

interface StateResource {
  type: string;
  name: string;
  instances: { attributes: { input?: { value?: Record<string, unknown> } } }[];
}
