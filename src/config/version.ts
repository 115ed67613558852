/**
 * berth's own version: the one in ITS package.json (found next to its templates), never
 * npm_package_version, which under `npm run` of a user's repository is the user's package version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './paths.js';

/** Set by the bundled CLI's build (scripts/build.mjs) from the same package.json: no file read at start. */
declare const __BERTH_VERSION__: string | undefined;

let cached: string | undefined;
export function berthVersion(): string {
  if (cached) return cached;
  if (typeof __BERTH_VERSION__ === 'string') return (cached = __BERTH_VERSION__);
  const pkg = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version?: string };
  return (cached = pkg.version ?? '0.0.0');
}
