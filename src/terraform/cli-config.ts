/**
 * The terraform CLI config berth writes for itself (`.berth/terraform.rc`): providers from the
 * filesystem mirror when there is one (offline machines, CI), and a shared plugin cache so that
 * each stack's `init` links the provider instead of copying ~700 MB. A user's own
 * TF_CLI_CONFIG_FILE always wins.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, projectDir } from '../config/paths.js';

export const DEFAULT_MIRROR = '/opt/tf-plugins';

export interface CliConfig {
  /** The file terraform reads (TF_CLI_CONFIG_FILE). */
  file: string;
  /** true when the user set TF_CLI_CONFIG_FILE and berth left it alone. */
  userProvided: boolean;
  /** A TF_CLI_CONFIG_FILE that names no file: ignored (terraform would only warn and go online). */
  ignoredUserFile?: string;
  mirror?: string;
  pluginCache?: string;
}

/**
 * With a mirror, providers come only from it: an unpacked mirror is linked, not copied, so no cache
 * is needed. Without one, providers are downloaded once into a shared plugin cache.
 */
export function renderCliConfig(opts: { mirror?: string; pluginCache?: string }): string {
  const lines = ['# Written by berth; do not edit (delete it to have it written again).'];
  if (opts.mirror) {
    lines.push('provider_installation {', '  filesystem_mirror {', `    path = ${JSON.stringify(opts.mirror)}`, '  }', '}');
  } else if (opts.pluginCache) {
    lines.push(`plugin_cache_dir = ${JSON.stringify(opts.pluginCache)}`);
    // Terraform may otherwise refuse cached providers whose checksums the lock file does not list yet.
    lines.push('plugin_cache_may_break_dependency_lock_file = true');
  }
  return lines.join('\n') + '\n';
}

export function ensureCliConfig(env: NodeJS.ProcessEnv = process.env, project = projectDir()): CliConfig {
  if (env.TF_CLI_CONFIG_FILE && existsSync(env.TF_CLI_CONFIG_FILE)) return { file: env.TF_CLI_CONFIG_FILE, userProvided: true };
  const ignoredUserFile = env.TF_CLI_CONFIG_FILE || undefined;
  const mirrorPath = env.BERTH_TF_MIRROR ?? DEFAULT_MIRROR;
  const mirror = mirrorPath && existsSync(mirrorPath) ? mirrorPath : undefined;
  const dir = paths.berthDir(project);
  const pluginCache = mirror ? undefined : join(dir, 'plugin-cache');
  mkdirSync(pluginCache ?? dir, { recursive: true });
  const file = join(dir, 'terraform.rc');
  const text = renderCliConfig({ mirror, pluginCache });
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  return { file, userProvided: false, mirror, pluginCache, ignoredUserFile };
}
