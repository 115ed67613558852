/**
 * The terraform runner: the CLI config berth writes (mirror, cache, a user's own file), and the
 * hard time limit, for real: the AWS provider pointed at a local server that answers 500 to
 * everything retries for many minutes; berth stops it at 15 s, names the stack and the resource it
 * was waiting on, and leaves no terraform or provider process behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliConfig, renderCliConfig } from '../../src/terraform/cli-config.js';
import { runTerraform, TerraformTimeoutError } from '../../src/terraform/process.js';
import { tempProject } from '../helpers/cli.js';

describe('the CLI config berth writes for terraform', () => {
  const project = tempProject('berth-tf-cli-');
  afterAll(() => project.cleanup());

  it('uses the filesystem mirror when there is one, and nothing else', () => {
    const text = renderCliConfig({ mirror: '/opt/tf-plugins' });
    expect(text).toMatch(/provider_installation \{\s*filesystem_mirror \{\s*path = "\/opt\/tf-plugins"\s*\}\s*\}/);
    expect(text).not.toContain('plugin_cache_dir');
  });

  it('without a mirror, shares one plugin cache between stacks', () => {
    const text = renderCliConfig({ pluginCache: '/p/.berth/plugin-cache' });
    expect(text).toContain('plugin_cache_dir = "/p/.berth/plugin-cache"');
    expect(text).not.toContain('provider_installation');
  });

  it('writes .berth/terraform.rc pointing at the mirror (BERTH_TF_MIRROR), once', () => {
    const mirror = join(project.dir, 'mirror');
    mkdirSync(mirror);
    const cfg = ensureCliConfig({ BERTH_TF_MIRROR: mirror }, project.dir);
    expect(cfg).toMatchObject({ file: join(project.dir, '.berth', 'terraform.rc'), userProvided: false, mirror });
    expect(readFileSync(cfg.file, 'utf8')).toContain(`path = ${JSON.stringify(mirror)}`);
  });

  it('falls back to a plugin cache when the mirror folder does not exist', () => {
    const cfg = ensureCliConfig({ BERTH_TF_MIRROR: join(project.dir, 'no-mirror') }, project.dir);
    expect(cfg.mirror).toBeUndefined();
    expect(cfg.pluginCache).toBe(join(project.dir, '.berth', 'plugin-cache'));
    expect(existsSync(cfg.pluginCache!)).toBe(true);
    expect(readFileSync(cfg.file, 'utf8')).toContain('plugin_cache_dir');
  });

  it("a user's TF_CLI_CONFIG_FILE wins, and berth does not touch it", () => {
    const mine = join(project.dir, 'my.tfrc');
    writeFileSync(mine, '# mine\n');
    const cfg = ensureCliConfig({ TF_CLI_CONFIG_FILE: mine }, project.dir);
    expect(cfg).toEqual({ file: mine, userProvided: true });
    expect(readFileSync(mine, 'utf8')).toBe('# mine\n');
  });

  it('a TF_CLI_CONFIG_FILE naming no file is ignored (and reported), not passed on', () => {
    const cfg = ensureCliConfig({ TF_CLI_CONFIG_FILE: join(project.dir, 'missing.tfrc'), BERTH_TF_MIRROR: '/opt/tf-plugins' }, project.dir);
    expect(cfg.userProvided).toBe(false);
    expect(cfg.ignoredUserFile).toBe(join(project.dir, 'missing.tfrc'));
    expect(cfg.file).toBe(join(project.dir, '.berth', 'terraform.rc'));
  });
});

/** Processes whose working directory is `dir` (terraform and its provider plugin run there). */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readlinkSync(`/proc/${p}/cwd`) === dir) out.push(Number(p));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

describe('a terraform run that exceeds its time limit', () => {
  let server: Server;
  let endpoint: string;
  const requests: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'berth-tf-timeout-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(String(req.headers['x-amz-target'] ?? req.url));
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"__type":"InternalFailure","message":"always failing"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    endpoint = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
        provider: {
          aws: [
            { region: 'us-east-1', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' },
          ],
        },
        resource: { aws_sqs_queue: { x: { name: 'never-created' } } },
      }),
    );
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is stopped, names the stack and the resource it waited on, and leaves no process behind', async () => {
    const env = {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: undefined,
    };
    const init = await runTerraform({
      cwd: dir,
      stack: 'unit-queue',
      args: ['init', '-input=false', '-no-color'],
      env,
      timeoutMs: 120_000,
    });
    expect(init.code, init.stderr).toBe(0);

    const err = await runTerraform({
      cwd: dir,
      stack: 'unit-queue',
      args: ['apply', '-auto-approve', '-input=false', '-no-color'],
      env,
      timeoutMs: 15_000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(TerraformTimeoutError);
    expect(err.exitCode).toBe(124);
    expect(err.stackName).toBe('unit-queue');
    expect(err.waitingOn.join(' ')).toContain('aws_sqs_queue.x');
    expect(err.message).toMatch(
      /terraform apply of stack unit-queue did not finish within 15 s and was stopped; it was waiting on aws_sqs_queue\.x/,
    );
    // The provider really was calling the endpoint (and failing), not stuck elsewhere.
    expect(requests.some((r) => /CreateQueue/.test(r))).toBe(true);
    expect(processesIn(dir)).toEqual([]);
  });
});
