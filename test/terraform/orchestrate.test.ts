/**
 * plan -> apply -> plan again, stale plans, refusals and destroy, for real: terraform with the
 * fixture environment (three stacks, one reading another's state) in its built-in flavour
 * (terraform_data standing for the topic, the log group and the parameter: what is asserted here is
 * berth's orchestration, not AWS; the stacks' "real world" is their state). Their AWS calls would go
 * to 127.0.0.1:9, where nothing answers: they make none. Fails, naming what is missing, without
 * terraform. test/terraform/cli.test.ts runs the log group on moto_server (drift).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/config/paths.js';
import {
  applyEnvironment,
  destroyEnvironment,
  environmentOutputs,
  NotConfirmedError,
  planEnvironment,
  type RunSettings,
} from '../../src/terraform/orchestrate.js';
import { StalePlanError } from '../../src/terraform/errors.js';
import { runTerraform } from '../../src/terraform/process.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/terraform/render.js';
import { tempProject } from '../helpers/cli.js';
import { builtinInventory, FIXTURE_SECRET, fixtureEnvironment, fixtureLocal, fixtureSynth } from './fixture.js';

const project = tempProject('berth-tf-orch-');
const savedProject = process.env.BERTH_PROJECT_DIR;
const synth = fixtureSynth({ aws: [] });
const baseAll: RunSettings = { synth, project: project.dir, local: fixtureLocal('http://127.0.0.1:9') };

/** What the stacks' resources stand for (topics, parameters, log groups), read from their state. */
const inventory = async () => builtinInventory(project.dir);

beforeAll(() => {
  process.env.BERTH_PROJECT_DIR = project.dir;
});

afterAll(async () => {
  if (savedProject === undefined) delete process.env.BERTH_PROJECT_DIR;
  else process.env.BERTH_PROJECT_DIR = savedProject;
  project.cleanup();
});

describe('plan, apply, plan again (fixture environment, built-in flavour)', { timeout: 300_000 }, () => {
  const env = fixtureEnvironment({ name: 'orch' });
  const base = baseAll;

  it('a non-TTY apply without --yes and without a saved plan refuses and changes nothing', async () => {
    const err = await applyEnvironment(env, base).catch((e) => e);
    expect(err).toBeInstanceOf(NotConfirmedError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/no saved plan/);
    expect(existsSync(join(paths.workDir('orch', project.dir), 'plans.json'))).toBe(false);
    expect((await inventory()).topics).not.toContain('tfci-orch-events');
  });

  it('plans the independent stacks, reports the dependent one as waiting, exits 2 and saves the plans', async () => {
    const plan = await planEnvironment(env, base);
    expect(plan.exitCode).toBe(2);
    const by = Object.fromEntries(plan.stacks.map((s) => [s.stack, s]));
    expect(by['tfci-orch-network']).toMatchObject({
      status: 'planned',
      changes: true,
      summary: { add: 1, change: 0, destroy: 0, created: ['terraform_data.network_topic'] },
    });
    expect(by['tfci-orch-registry']).toMatchObject({
      status: 'planned',
      changes: true,
      summary: { add: 1, created: ['terraform_data.registry_logs'] },
    });
    expect(by['tfci-orch-service']).toMatchObject({ status: 'waiting', waitsOn: ['tfci-orch-network'] });
    expect(plan.totals).toEqual({ add: 2, change: 0, destroy: 0 });
    expect(existsSync(join(plan.planDir, 'tfci-orch-network.tfplan'))).toBe(true);
    const text = renderPlanText(plan);
    expect(text).toContain('tfci-orch-service');
    expect(text).toMatch(/waits on tfci-orch-network/);
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('<!-- berth-plan:orch -->');
    expect(md).toContain('| `tfci-orch-network` | 1 | 0 | 0 |');
    expect(md).not.toContain(FIXTURE_SECRET);
    expect(JSON.stringify(plan)).not.toContain(FIXTURE_SECRET);
  });

  it('applies the saved plans, plans the waiting stack once its dependency is applied, and applies it with --yes', async () => {
    const res = await applyEnvironment(env, { ...base, autoApprove: true });
    expect(res.exitCode).toBe(0);
    expect(res.stacks.map((s) => [s.stack, s.status])).toEqual([
      ['tfci-orch-network', 'applied'],
      ['tfci-orch-registry', 'applied'],
      ['tfci-orch-service', 'applied'],
    ]);
    const inv = await inventory();
    expect(inv.topics).toContain('tfci-orch-events');
    expect(inv.params).toContain('/tfci-orch/topic');
    expect(inv.logGroups['/berth-test/tfci-orch']).toBe(7);
    expect(existsSync(join(paths.workDir('orch', project.dir), 'plans.json'))).toBe(false);
  });

  it('plans again: exit 0 and no changes', async () => {
    const plan = await planEnvironment(env, base);
    expect(plan.exitCode).toBe(0);
    expect(plan.changes).toBe(false);
    expect(plan.stacks.every((s) => s.status === 'planned' && s.changes === false)).toBe(true);
    expect(renderPlanText(plan)).toMatch(/no changes/);
  });

  it('reads the outputs of every stack, merged, with the sensitive one masked', async () => {
    const out = await environmentOutputs(env, base);
    expect(out.outputs.topic_name).toEqual({ stack: 'tfci-orch-network', sensitive: false, value: 'tfci-orch-events' });
    expect(String(out.outputs.topic_arn?.value)).toMatch(/^arn:aws:sns:us-east-1:\d{12}:tfci-orch-events$/);
    expect(out.outputs.token).toEqual({ stack: 'tfci-orch-service', sensitive: true });
    expect(JSON.stringify(out)).not.toContain(FIXTURE_SECRET);
    expect(out.notApplied).toEqual([]);
  });

  it('refuses a saved plan whose synthesized config changed since, and applies nothing', async () => {
    const changed = fixtureEnvironment({ name: 'orch', logRetentionDays: 14 });
    const plan = await planEnvironment(changed, base);
    expect(plan.exitCode).toBe(2);
    expect(plan.stacks.find((s) => s.stack === 'tfci-orch-registry')?.summary?.updated).toEqual(['terraform_data.registry_logs']);
    // The config moves again before apply: the saved plan no longer matches it.
    const err = await applyEnvironment(fixtureEnvironment({ name: 'orch', logRetentionDays: 30 }), { ...base, autoApprove: true }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(StalePlanError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toMatch(/tfci-orch-registry: its synthesized configuration changed/);
    expect((await inventory()).logGroups['/berth-test/tfci-orch']).toBe(7);
  });

  it('refuses a saved plan whose state changed since (something else applied), and applies nothing', async () => {
    const changed = fixtureEnvironment({ name: 'orch', logRetentionDays: 14 });
    const plan = await planEnvironment(changed, base);
    expect(plan.exitCode).toBe(2);
    // Someone writes the registry stack's state behind berth's back: its serial moves.
    const ws = join(paths.synthDir('orch', project.dir), 'stacks', 'tfci-orch-registry');
    const { terraformAwsEnv } = await import('../../src/terraform/aws-env.js');
    const tfEnv = {
      ...terraformAwsEnv(changed, base.local),
      TF_DATA_DIR: join(paths.workDir('orch', project.dir), 'tfci-orch-registry', 'data'),
    };
    const lines: string[] = [];
    const pulled = await runTerraform({
      cwd: ws,
      stack: 'tfci-orch-registry',
      args: ['state', 'pull'],
      env: tfEnv,
      onLine: (l, st) => st === 'stdout' && lines.push(l),
    });
    expect(pulled.code).toBe(0);
    const state = JSON.parse(lines.join('\n')) as { serial: number };
    state.serial += 1;
    const file = join(project.dir, 'pushed.tfstate');
    writeFileSync(file, JSON.stringify(state));
    const pushed = await runTerraform({ cwd: ws, stack: 'tfci-orch-registry', args: ['state', 'push', file], env: tfEnv });
    expect(pushed.code).toBe(0);
    const err = await applyEnvironment(changed, { ...base, autoApprove: true }).catch((e) => e);
    expect(err).toBeInstanceOf(StalePlanError);
    expect(err.message).toMatch(/tfci-orch-registry: its state changed since the plan \(serial \d+ -> \d+\)/);
    expect((await inventory()).logGroups['/berth-test/tfci-orch']).toBe(7);
  });

  it('a saved plan applied without --yes and without a TTY is applied as reviewed', async () => {
    const changed = fixtureEnvironment({ name: 'orch', logRetentionDays: 14 });
    expect((await planEnvironment(changed, base)).exitCode).toBe(2);
    const res = await applyEnvironment(changed, base);
    expect(res.exitCode).toBe(0);
    expect(res.stacks.find((s) => s.stack === 'tfci-orch-registry')?.status).toBe('applied');
    expect(res.stacks.find((s) => s.stack === 'tfci-orch-network')?.status).toBe('unchanged');
    expect((await inventory()).logGroups['/berth-test/tfci-orch']).toBe(14);
  });

  it('destroys in reverse dependency order after the confirmation, leaving nothing behind', async () => {
    const changed = fixtureEnvironment({ name: 'orch', logRetentionDays: 14 });
    const order: string[] = [];
    const res = await destroyEnvironment(changed, {
      ...base,
      autoApprove: true,
      parallelism: 1,
      onLine: (stack, line) => /Destruction complete/.test(line) && order.push(stack),
    });
    expect(res.exitCode).toBe(0);
    expect(order.indexOf('tfci-orch-service')).toBeLessThan(order.indexOf('tfci-orch-network'));
    const inv = await inventory();
    expect(inv.topics).not.toContain('tfci-orch-events');
    expect(inv.params).not.toContain('/tfci-orch/topic');
    const out = await environmentOutputs(changed, base);
    expect(out.outputs).toEqual({});
    expect(out.notApplied.length).toBe(3);
  });
});

describe('a protected environment', { timeout: 300_000 }, () => {
  const env = fixtureEnvironment({ name: 'prot', protected: true });
  // What protection guards does not depend on the number of stacks: one (the network's topic) is enough.
  const base: RunSettings = { synth: fixtureSynth({ kinds: ['network'], aws: [] }), project: project.dir };
  beforeAll(() => void (base.local = baseAll.local));

  it('is created with --yes', async () => {
    const res = await applyEnvironment(env, { ...base, autoApprove: true });
    expect(res.exitCode).toBe(0);
    expect((await inventory()).topics).toContain('tfci-prot-events');
  });

  it('is not destroyed without its name: no TTY, --yes alone, a wrong --confirm, a wrong typed name', async () => {
    for (const opts of [{}, { autoApprove: true }, { confirm: 'orch' }, { ask: async () => 'yes' }]) {
      const err = await destroyEnvironment(env, { ...base, ...opts }).catch((e) => e);
      expect(err).toBeInstanceOf(NotConfirmedError);
      expect(err.exitCode).toBe(2);
    }
    expect((await inventory()).topics).toContain('tfci-prot-events');
  });

  it('is destroyed when its name is typed back at the prompt', async () => {
    const asked: string[] = [];
    const res = await destroyEnvironment(env, { ...base, ask: async (q) => (asked.push(q), 'prot') });
    expect(asked[0]).toMatch(/prot is protected/);
    expect(res.exitCode).toBe(0);
    expect((await inventory()).topics).not.toContain('tfci-prot-events');
    rmSync(join(paths.workDir('prot', project.dir)), { recursive: true, force: true });
  });
});

describe('approval at the terminal', { timeout: 300_000 }, () => {
  const env = fixtureEnvironment({ name: 'tty' });
  // The stack planned during apply needs its dependency: the network and the service stacks.
  const base: RunSettings = { synth: fixtureSynth({ kinds: ['network', 'service'], aws: [] }), project: project.dir };
  beforeAll(() => void (base.local = baseAll.local));

  it('declining the plan changes nothing and keeps no saved plan', async () => {
    const res = await applyEnvironment(env, { ...base, ask: async () => 'n' });
    expect(res.exitCode).toBe(2);
    expect(res.stacks.every((s) => s.status === 'declined')).toBe(true);
    expect(existsSync(join(paths.workDir('tty', project.dir), 'plans.json'))).toBe(false);
    expect((await inventory()).topics).not.toContain('tfci-tty-events');
  });

  it('asks again for a stack planned during apply, showing its plan first', async () => {
    const shown: string[][] = [];
    const questions: string[] = [];
    const res = await applyEnvironment(env, {
      ...base,
      ask: async (q) => (questions.push(q), 'y'),
      onPlan: (p) => void shown.push(p.stacks.map((s) => s.stack)),
    });
    expect(res.exitCode).toBe(0);
    expect(questions).toHaveLength(2);
    expect(shown[1]).toEqual(['tfci-tty-service']);
    expect(questions[1]).toMatch(/tfci-tty-service/);
    expect((await inventory()).params).toContain('/tfci-tty/topic');
    const plans = JSON.parse(
      existsSync(join(paths.workDir('tty', project.dir), 'plans.json'))
        ? readFileSync(join(paths.workDir('tty', project.dir), 'plans.json'), 'utf8')
        : 'null',
    );
    expect(plans).toBeNull();
  });
});
