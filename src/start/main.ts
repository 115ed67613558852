/**
 * The entry of dist/bundle/start.cjs, which bin/berth.js runs: the bundled CLI next to it
 * (berth.cjs), with the id and encoding its build recorded (scripts/build.mjs).
 */
import { join } from 'node:path';
import { runBundle } from './run-bundle.js';

/** Set by scripts/build.mjs when it bundles this file. */
declare const __BERTH_BUNDLE__: { id: string; encoding: BufferEncoding };

/** Run berth from the bundle in this file's folder; returns the exit code. */
export function start(argv: string[]): Promise<number> {
  return runBundle(argv, { file: join(__dirname, 'berth.cjs'), bundleId: __BERTH_BUNDLE__.id, encoding: __BERTH_BUNDLE__.encoding });
}
