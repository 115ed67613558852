/**
 * What plan, apply, destroy, drift and outputs share, written once: their --parallelism,
 * --lock-timeout and --json options (addTerraformOptions), and what they do before terraform runs: the flags
 * turned into run settings, the --markdown file claimed (plan, drift), the environment loaded, and
 * the running sandbox's endpoint for an environment on the sandbox. In that order, so a bad flag is
 * refused before a file is claimed or the environment read. It lives in cli/ because it wires
 * src/terraform to src/sandbox, which ranks above it (lint/layers.js).
 */
import type { Command } from 'commander';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from '../../src/cli-args/defaults.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { Reporter } from '../../src/output/reporter.js';
import type { TerraformFlags } from '../../src/terraform/command.js';
import type { RunSettings } from '../../src/terraform/orchestrate.js';

export interface TerraformSetup {
  env: EnvironmentConfig;
  settings: RunSettings;
  /** The claimed --markdown file, when one was asked for. */
  markdown?: string;
}

export async function terraformSetup(opts: TerraformFlags & { env: string; markdown?: string }, out: Reporter): Promise<TerraformSetup> {
  const { runSettings } = await import('../../src/terraform/command.js');
  const settings = runSettings(opts, out);
  let markdown: string | undefined;
  if (opts.markdown !== undefined) {
    const { claimOutputFile } = await import('../../src/config/owned-dir.js');
    markdown = claimOutputFile(opts.markdown, '--markdown');
  }
  const { loadEnvironment } = await import('../../src/config/load.js');
  const env = loadEnvironment(opts.env);
  const { sandboxEndpoint } = await import('../../src/sandbox/context.js');
  settings.local = sandboxEndpoint(env);
  return { env, settings, markdown };
}

/** The options plan, apply, destroy and drift share; `verb`: what happens to the stacks ("planned"). */
export function addTerraformOptions(cmd: Command, verb: string): Command {
  const p = FLAG_BOUNDS.parallelism;
  return cmd
    .option('-p, --parallelism <n>', `stacks ${verb} at once (${p.min}-${p.max})`, String(FLAG_DEFAULTS.parallelism))
    .option(
      '--lock-timeout <duration>',
      'how long to wait for a held state lock (terraform -lock-timeout; 0s to 1h)',
      FLAG_DEFAULTS.lockTimeout,
    )
    .option('--json', 'machine-readable output');
}
