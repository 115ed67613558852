/**
 * berth's own version: the one in ITS package.json (found next to its templates), never
 * npm_package_version, which under `npm run` of a user's repository is the user's package version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './paths.js';

let cached: string | undefined;
export function berthVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version?: string };
  return (cached = pkg.version ?? '0.0.0');
}
