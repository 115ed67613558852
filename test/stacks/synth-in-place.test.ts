/**
 * A synth over an earlier one replaces each stack's files in place (a staging folder, then one
 * rename per file): another berth run of the project reading the stacks meanwhile (a plan while
 * `outputs` synthesizes) never finds a stack folder without its configuration, which terraform
 * would plan as "destroy everything". A watcher on another thread looks for a missing
 * cdk.tf.json or manifest.json for as long as the second synth runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { stackGraph, synthEnvironment } from '../../stacks/synth.js';
import { environment } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'berth-synth-in-place-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
let stop = false, checks = 0;
const missing = new Set();
parentPort.on('message', () => { stop = true; });
(function loop() {
  for (let i = 0; i < 200; i++) {
    for (const f of workerData.files) { checks++; if (!existsSync(f)) missing.add(f); }
  }
  if (stop) parentPort.postMessage({ checks, missing: [...missing] });
  else setImmediate(loop);
})();
`;

describe('synth over an earlier synth', () => {
  it('never leaves a stack without its cdk.tf.json (nor the manifest) while it writes; no staging folder stays', async () => {
    const env = environment('platform');
    const outdir = join(tmp, 'out');
    await synthEnvironment(env, { outdir });
    const files = [join(outdir, 'manifest.json'), ...stackGraph(env).map((s) => join(outdir, 'stacks', s.name, 'cdk.tf.json'))];
    const before = files.map((f) => readFileSync(f, 'utf8'));

    const watcher = new Worker(WATCHER, { eval: true, workerData: { files } });
    await new Promise((r) => setTimeout(r, 50));
    await synthEnvironment(structuredClone(env), { outdir });
    const seen = new Promise<{ checks: number; missing: string[] }>((r) => watcher.once('message', r));
    watcher.postMessage('stop');
    const { checks, missing } = await seen;
    await watcher.terminate();

    expect(checks).toBeGreaterThan(files.length * 200);
    expect(missing).toEqual([]);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
    expect(readdirSync(outdir).filter((e) => e.startsWith('.synth-'))).toEqual([]);
  });

  it('removes the staging folder a killed run left (its process is gone), and no other', async () => {
    const env = environment('platform');
    const outdir = join(tmp, 'out2');
    await synthEnvironment(env, { outdir });
    const dead = join(outdir, '.synth-2147483646');
    const live = join(outdir, `.synth-${process.ppid}`);
    for (const d of [dead, live]) {
      mkdirSync(join(d, 'stacks'), { recursive: true });
      writeFileSync(join(d, 'manifest.json'), '{}');
    }
    await synthEnvironment(env, { outdir });
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true, force: true });
  });
});
