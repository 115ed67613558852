import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, STACK_DEPENDENCIES, STACK_KINDS, stackOrder } from '../../src/config/names.js';
import { backendSpec } from '../../stacks/base.js';
import { stackGraph } from '../../stacks/synth.js';
import { environment, synth, type Json, type Synthed } from './helpers.js';

let platform: Synthed;
let sandbox: Synthed;
let custom: Synthed; // s3 with key prefix + state region + account

beforeAll(async () => {
  platform = await synth(environment('platform'));
  sandbox = await synth(environment('sandbox'));
  custom = await synth(
    environment('platform', (e) => {
      e.account = '123456789012';
      e.state = { backend: 's3', bucket: 'org-state', keyPrefix: 'teams/chat/', region: 'us-west-2' };
    }),
  );
});
afterAll(() => [platform, sandbox, custom].forEach((s) => s?.cleanup()));

describe('the stack set', () => {
  it('has one stack per concern, named by names(env).stack(kind), in dependency order', () => {
    const n = names(platform.env);
    expect(platform.result.stacks.map((s) => s.kind)).toEqual(stackOrder());
    expect(platform.result.stacks.map((s) => s.name)).toEqual(stackOrder().map((k) => n.stack(k)));
    expect(new Set(platform.result.stacks.map((s) => s.kind))).toEqual(new Set(STACK_KINDS));
    for (const s of platform.result.stacks) expect(s.resources, s.name).toBeGreaterThan(0);
  });

  it('records exactly STACK_DEPENDENCIES in manifest.json and the SynthResult', () => {
    const manifest = JSON.parse(readFileSync(join(platform.result.outdir, 'manifest.json'), 'utf8'));
    const n = names(platform.env);
    for (const kind of STACK_KINDS) {
      const want = STACK_DEPENDENCIES[kind].map((d) => n.stack(d));
      expect(manifest.stacks[n.stack(kind)].dependencies, kind).toEqual(want);
      expect(platform.result.stacks.find((s) => s.kind === kind)!.dependencies).toEqual(want);
    }
    expect(stackGraph(platform.env).map((g) => [g.name, g.dependencies])).toEqual(
      platform.result.stacks.map((s) => [s.name, s.dependencies]),
    );
  });

  it('reads outputs only from the stacks it depends on (every remote-state read is a declared dependency)', () => {
    const n = names(platform.env);
    for (const kind of STACK_KINDS) {
      const reads = Object.keys(platform.stacks[kind].data?.terraform_remote_state ?? {})
        .map((k) => k.replace('cross-stack-reference-input-', ''))
        .sort();
      expect(reads, kind).toEqual(STACK_DEPENDENCIES[kind].map((d) => n.stack(d)).sort());
    }
  });

  it('counts the resources of each stack in the SynthResult', () => {
    for (const s of platform.result.stacks) {
      const tf = platform.stacks[s.kind];
      expect(s.resources).toBe(Object.values(tf.resource as Record<string, object>).reduce((a, r) => a + Object.keys(r).length, 0));
    }
  });
});

describe('provider', () => {
  const provider = (s: Synthed, kind: (typeof STACK_KINDS)[number]) => s.stacks[kind].provider.aws[0];

  it('sets the region and default tags {app, environment, managed-by} in every stack, and no endpoint', () => {
    for (const kind of STACK_KINDS) {
      const p = provider(platform, kind);
      expect(p.region).toBe('ap-northeast-2');
      expect(p.default_tags).toEqual([{ tags: { app: 'chatbot', environment: 'platform', 'managed-by': 'berth' } }]);
      expect(p.endpoints).toBeUndefined();
      expect(p.skip_credentials_validation).toBeUndefined();
      expect(platform.stacks[kind].terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
    }
    for (const s of [platform, sandbox])
      for (const kind of STACK_KINDS) expect(s.text(kind)).not.toMatch(/"endpoints"|endpoint_url|127\.0\.0\.1|AWS_ENDPOINT/i);
  });

  it('skips credential validation and the metadata API in the sandbox, but still requests the account id', () => {
    for (const kind of STACK_KINDS) {
      expect(provider(sandbox, kind)).toMatchObject({
        skip_credentials_validation: true,
        skip_metadata_api_check: 'true',
        s3_use_path_style: true,
        skip_requesting_account_id: false,
      });
    }
  });

  it('pins the account when the environment names one', () => {
    for (const kind of STACK_KINDS) expect(provider(custom, kind).allowed_account_ids).toEqual(['123456789012']);
    expect(provider(platform, 'network').allowed_account_ids).toBeUndefined();
  });
});

describe('state backend', () => {
  it('uses S3 with encryption and use_lockfile, key <prefix>/<stack>.tfstate', () => {
    for (const kind of STACK_KINDS) {
      const stack = names(platform.env).stack(kind);
      expect(platform.stacks[kind].terraform.backend).toEqual({
        s3: {
          bucket: 'chatbot-terraform-state',
          key: `berth/chatbot/platform/${stack}.tfstate`,
          region: 'ap-northeast-2',
          encrypt: true,
          use_lockfile: true,
        },
      });
      expect(custom.stacks[kind].terraform.backend.s3).toMatchObject({
        bucket: 'org-state',
        key: `teams/chat/${names(custom.env).stack(kind)}.tfstate`,
        region: 'us-west-2',
        use_lockfile: true,
      });
    }
  });

  it("reads other stacks' S3 state from the same bucket and keys", () => {
    const reads = platform.stacks.service.data.terraform_remote_state as Record<string, Json>;
    for (const [k, r] of Object.entries(reads)) {
      const producer = k.replace('cross-stack-reference-input-', '');
      expect(r.backend).toBe('s3');
      expect(r.config).toMatchObject({
        bucket: 'chatbot-terraform-state',
        key: `berth/chatbot/platform/${producer}.tfstate`,
        region: 'ap-northeast-2',
      });
    }
  });

  it('uses a local backend path RELATIVE to the stack working folder, and the same relative paths for remote-state reads', () => {
    const env = sandbox.env;
    const folder = env.state.path ?? `.berth/state/${env.name}`;
    for (const kind of STACK_KINDS) {
      const stack = names(env).stack(kind);
      const path = sandbox.stacks[kind].terraform.backend.local.path as string;
      expect(path).toBe(`../../../../${folder}/${stack}.tfstate`);
      // From <project>/cdktf.out/<env>/stacks/<stack>/ that lands on <project>/<folder>/<stack>.tfstate.
      expect(posix.normalize(posix.join('/project/cdktf.out', env.name, 'stacks', stack, path))).toBe(
        `/project/${folder}/${stack}.tfstate`,
      );
      for (const [k, r] of Object.entries((sandbox.stacks[kind].data?.terraform_remote_state ?? {}) as Record<string, Json>)) {
        const producer = k.replace('cross-stack-reference-input-', '');
        expect(r.backend).toBe('local');
        expect(r.config.path).toBe(`../../../../${folder}/${producer}.tfstate`);
      }
    }
  });

  it('defaults the local state folder to .berth/state/<env>', () => {
    const env = environment('sandbox', (e) => delete e.state.path);
    expect(backendSpec(env, 'network')).toEqual({ type: 'local', path: '../../../../.berth/state/sandbox/demo-sandbox-network.tfstate' });
  });
});

describe('cross-stack outputs', () => {
  it('carry only ids, ARNs, names and endpoints: never a secret value, never marked sensitive', () => {
    for (const s of [platform, sandbox]) {
      for (const kind of STACK_KINDS) {
        for (const [name, o] of Object.entries((s.stacks[kind].output ?? {}) as Record<string, Json>)) {
          if (!name.startsWith('cross-stack-output-')) continue;
          expect(o.sensitive, name).toBe(false);
          expect(o.value, name).toMatch(
            /\.(id|arn|arn_suffix|name|endpoint|primary_endpoint_address|repository_url|zone_id|certificate_arn|secret_arn|family)\}$/,
          );
          expect(o.value).not.toMatch(/random_password|secret_string|auth_token|password/);
        }
      }
    }
  });
});
