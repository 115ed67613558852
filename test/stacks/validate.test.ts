/**
 * `terraform init -backend=false` + `terraform validate` of every stack of both example
 * environments, through berth's own runner (its CLI config points terraform at the offline mirror).
 * Needs terraform on PATH (or BERTH_TERRAFORM): without it this FAILS, naming what is missing.
 * Init must LINK the 675 MB provider, never copy it: checked on the init.
 *
 * One init and one validate per environment, not one per stack: a root module whose child modules
 * are the synthesized stacks, each its cdk.tf.json less its backend block (a child module's backend
 * is ignored, with a warning; `init -backend=false` never reads it either). terraform validates a
 * child module as it validates a root (every resource, data source, provider block, reference and
 * output), and loads the AWS provider's schema once instead of nine times.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliConfig } from '../../src/terraform/cli-config.js';
import { runTerraform } from '../../src/terraform/process.js';
import { findTerraform } from '../../src/terraform/tool.js';
import { synthEnvironment, type SynthResult } from '../../stacks/synth.js';
import { environment } from './helpers.js';

let project: string;
const saved = process.env.BERTH_PROJECT_DIR;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'berth-validate-'));
  process.env.BERTH_PROJECT_DIR = project;
});
afterAll(() => {
  if (saved === undefined) delete process.env.BERTH_PROJECT_DIR;
  else process.env.BERTH_PROJECT_DIR = saved;
  rmSync(project, { recursive: true, force: true });
});

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number } };
}

/** The root module: one child module per synthesized stack (its cdk.tf.json without the backend). */
function validationRoot(res: SynthResult): string {
  const root = join(res.outdir, 'validate');
  const modules: Record<string, { source: string }> = {};
  for (const s of res.stacks) {
    const tf = JSON.parse(readFileSync(join(res.outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8'));
    expect(tf.terraform?.backend, `${s.name} has a backend`).toBeTruthy();
    delete tf.terraform.backend;
    mkdirSync(join(root, s.name), { recursive: true });
    writeFileSync(join(root, s.name, 'cdk.tf.json'), JSON.stringify(tf));
    modules[s.name] = { source: `./${s.name}` };
  }
  writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
  return root;
}

async function validateAll(res: SynthResult) {
  const cwd = validationRoot(res);
  const stack = `validate-${res.stacks.length}-stacks`;
  const init = await runTerraform({ cwd, stack, args: ['init', '-backend=false', '-input=false', '-no-color'], timeoutMs: 120_000 });
  if (init.code !== 0) throw new Error(`init exited ${init.code}:\n${init.stderr || init.stdout}`);
  const v = await runTerraform({ cwd, stack, args: ['validate', '-json', '-no-color'], timeoutMs: 120_000 });
  const json = JSON.parse(v.stdout) as { valid: boolean; error_count: number; warning_count: number; diagnostics: Diagnostic[] };
  return { cwd, code: v.code, json };
}

describe('terraform validate', () => {
  it('finds terraform and the offline provider mirror', async () => {
    const tool = await findTerraform(); // throws MissingToolError naming terraform when absent
    expect(tool.version).toMatch(/^\d+\.\d+\.\d+/);
    const cli = ensureCliConfig();
    expect(cli.mirror ?? cli.pluginCache, 'a provider mirror or a plugin cache in the CLI config').toBeTruthy();
  });

  for (const name of ['platform', 'two-service']) {
    it(`init + validate pass for every stack of ${name}, with the provider linked, not copied`, async () => {
      const res = await synthEnvironment(environment(name));
      expect(res.outdir).toBe(join(project, 'cdktf.out', name));
      const r = await validateAll(res);
      // Each diagnostic names its stack: the child module's folder is the stack's name.
      const problems = r.json.diagnostics.map(
        (d) => `${d.severity}: ${d.summary} ${d.detail ?? ''} (${d.range?.filename ?? ''}:${d.range?.start.line ?? ''})`,
      );
      expect(problems).toEqual([]);
      expect(r.json.valid).toBe(true);
      expect(r.code).toBe(0);
      const provider = join(r.cwd, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
      expect(lstatSync(provider).isSymbolicLink(), `${provider} must be a link into the mirror or plugin cache`).toBe(true);
      expect(readlinkSync(provider)).not.toContain(r.cwd);
    }, 240_000);
  }
});
