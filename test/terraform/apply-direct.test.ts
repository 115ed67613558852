/**
 * `sandbox up` from nothing: every stack planned and applied in ONE terraform run, each once the
 * stacks it reads are applied (no plan made before its dependency exists, none saved), for real:
 * terraform with the fixture environment (the service stack reads the network stack's state) in its
 * built-in flavour (terraform_data: what is asserted is the walk, not AWS; their AWS calls would go
 * to 127.0.0.1:9, where nothing answers: they make none). Fails, naming what is missing, without
 * terraform.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/config/paths.js';
import { applyDirect } from '../../src/terraform/apply-direct.js';
import { planEnvironment, type RunSettings } from '../../src/terraform/orchestrate.js';
import { tempProject } from '../helpers/cli.js';
import { fixtureEnvironment, fixtureLocal, fixtureSynth } from './fixture.js';

const project = tempProject('berth-tf-direct-');
const savedProject = process.env.BERTH_PROJECT_DIR;
const base: RunSettings = { synth: fixtureSynth({ aws: [] }), project: project.dir, local: fixtureLocal('http://127.0.0.1:9') };

beforeAll(() => {
  process.env.BERTH_PROJECT_DIR = project.dir;
});

afterAll(async () => {
  if (savedProject === undefined) delete process.env.BERTH_PROJECT_DIR;
  else process.env.BERTH_PROJECT_DIR = savedProject;
  project.cleanup();
});

describe('apply from nothing in one terraform run per stack (fixture environment, built-in flavour)', { timeout: 300_000 }, () => {
  const env = fixtureEnvironment({ name: 'direct' });

  it("applies every stack in dependency order, the dependent one with its dependency's output, saving no plan", async () => {
    const events: string[] = []; // each stack's first line of its apply (-json: init's lines are plain text), and the end of each stack's apply, in order
    const onLine = (stack: string, line: string) => {
      if (line.startsWith('{') && !events.includes(`${stack} first`)) events.push(`${stack} first`);
      if (line.includes('"type":"change_summary"') && line.includes('"operation":"apply"')) events.push(`${stack} applied`);
    };
    const res = await applyDirect(env, { ...base, onLine });
    expect(res.exitCode, JSON.stringify(res.stacks.map((s) => s.error))).toBe(0);
    expect(res.stacks.map((s) => [s.stack, s.status, s.summary?.add])).toEqual([
      ['tfci-direct-network', 'applied', 1],
      ['tfci-direct-registry', 'applied', 1],
      ['tfci-direct-service', 'applied', 1],
    ]);
    // The service stack reads the network stack's state: terraform starts on it only once network is applied.
    expect(events.indexOf('tfci-direct-network applied')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('tfci-direct-service first')).toBeGreaterThan(events.indexOf('tfci-direct-network applied'));
    const work = paths.workDir('direct', project.dir);
    expect(existsSync(work) ? readdirSync(work).filter((f) => f.endsWith('.tfplan') || f === 'plans.json') : []).toEqual([]);
  });

  it('a plan afterwards finds no changes in any stack', async () => {
    const plan = await planEnvironment(env, base);
    expect(plan.exitCode).toBe(0);
    expect(plan.stacks.map((s) => [s.stack, s.status, s.changes])).toEqual([
      ['tfci-direct-network', 'planned', false],
      ['tfci-direct-registry', 'planned', false],
      ['tfci-direct-service', 'planned', false],
    ]);
  });
});
