/**
 * `terraform init -backend=false` + `terraform validate` of every stack of both example
 * environments, through berth's own runner (its CLI config points terraform at the offline mirror).
 * Needs terraform on PATH (or BERTH_TERRAFORM): without it this FAILS, naming what is missing.
 * Init must LINK the 675 MB provider, never copy it: checked on every stack.
 */
import { lstatSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
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

/** Run `fn` over items, at most `limit` at a time (the machine has 2 cores). */
async function pool<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function validateAll(res: SynthResult) {
  return pool(res.stacks, 2, async (s) => {
    const cwd = join(res.outdir, 'stacks', s.name);
    const init = await runTerraform({
      cwd,
      stack: s.name,
      args: ['init', '-backend=false', '-input=false', '-no-color'],
      timeoutMs: 120_000,
    });
    if (init.code !== 0) return { stack: s.name, cwd, error: `init exited ${init.code}:\n${init.stderr || init.stdout}` };
    const v = await runTerraform({ cwd, stack: s.name, args: ['validate', '-json', '-no-color'], timeoutMs: 120_000 });
    const json = JSON.parse(v.stdout) as { valid: boolean; error_count: number; warning_count: number; diagnostics: Diagnostic[] };
    return { stack: s.name, cwd, code: v.code, json };
  });
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
      const results = await validateAll(res);
      for (const r of results) {
        if ('error' in r) throw new Error(`${r.stack}: ${r.error}`);
        const problems = r.json.diagnostics.map(
          (d) => `${d.severity}: ${d.summary} ${d.detail ?? ''} (${d.range?.filename ?? ''}:${d.range?.start.line ?? ''})`,
        );
        expect(problems, r.stack).toEqual([]);
        expect(r.json.valid, r.stack).toBe(true);
        expect(r.code, r.stack).toBe(0);
        const provider = join(r.cwd, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
        expect(lstatSync(provider).isSymbolicLink(), `${provider} must be a link into the mirror or plugin cache`).toBe(true);
        expect(readlinkSync(provider)).not.toContain(r.cwd);
      }
    }, 240_000);
  }
});
