/**
 * The GitHub Actions workflows in templates/ci/github: valid YAML with the shape Actions needs,
 * every `berth <command> --flag` they run exists in the CLI's help, and their shell steps act on
 * berth's exit codes as documented (run for real with bash -eo pipefail, as Actions does, and a
 * stand-in `npx` that exits with the code under test).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/output/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { berthCalls } from '../helpers/workflow-calls.js';

const DIR = 'templates/ci/github';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; environment?: string; steps: Step[] }>;
}

const load = (f: string) => parse(readFileSync(join(DIR, f), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const step = (w: Workflow, id: string) => steps(w).find((s) => s.id === id)!;

describe('the workflow files', () => {
  it('there are the four workflows', () => {
    expect(files.sort()).toEqual(['berth-apply.yml', 'berth-deploy.yml', 'berth-drift.yml', 'berth-plan.yml']);
  });

  it('they run the berth the user repository installed (npm ci, npx berth), never a checkout of berth', () => {
    for (const f of files) {
      const ss = steps(load(f));
      expect(
        ss.some((s) => s.run?.trim() === 'npm ci'),
        f,
      ).toBe(true);
      const runs = ss.map((s) => s.run ?? '').join('\n');
      expect(runs, f).not.toMatch(/bin\/berth\.js|npm run build|dist\/cli|git clone/);
      for (const line of runs.split('\n').filter((l) => /\bberth\s+[a-z]/.test(l.replace(/#.*$/, '').replace(/"[^"]*"|'[^']*'/g, ''))))
        expect(line, f).toMatch(/npx berth /);
    }
  });

  for (const f of files) {
    it(`${f} has the shape GitHub Actions needs, with OIDC instead of stored keys`, () => {
      const w = load(f);
      expect(typeof w.name).toBe('string');
      expect(Object.keys(w.on).length).toBeGreaterThan(0);
      expect(w.permissions?.['id-token']).toBe('write');
      for (const job of Object.values(w.jobs)) {
        expect(job['runs-on']).toBeTruthy();
        expect(job.steps.length).toBeGreaterThan(3);
        for (const s of job.steps) expect(Boolean(s.uses) !== Boolean(s.run), JSON.stringify(s)).toBe(true);
        expect(job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toBe(true);
      }
      expect(readFileSync(join(DIR, f), 'utf8')).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
    });
  }

  it('every berth command and flag they run exists in the CLI', async () => {
    const top = await runCli(['--help']);
    const commands = new Set([...top.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!));
    const calls = files.flatMap((f) => steps(load(f)).flatMap((s) => berthCalls(s.run ?? '')));
    expect(calls.map((c) => c.command).sort()).toEqual(
      expect.arrayContaining(['apply', 'check', 'deploy', 'drift', 'outputs', 'plan', 'rollback']),
    );
    for (const c of calls) {
      expect(commands.has(c.command), `berth ${c.command} is not a command (berth --help lists ${[...commands].join(', ')})`).toBe(true);
      const help = (await runCli([c.command, '--help'])).stdout;
      for (const flag of c.flags) expect(help, `berth ${c.command} has no ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`, 'm'));
    }
  });

  it('the flag check would catch a flag a command does not have', async () => {
    const [call] = berthCalls('npx berth plan --env "$BERTH_ENV" --no-such-flag > x');
    expect(call).toEqual({ command: 'plan', flags: ['--env', '--no-such-flag'] });
    const help = (await runCli(['plan', '--help'])).stdout;
    expect(help).toMatch(/(^|[\s,])--markdown\b/m);
    expect(help).not.toMatch(/(^|[\s,])--no-such-flag\b/m);
  });

  it('the apply job runs in a protected GitHub environment, one at a time', () => {
    for (const f of ['berth-apply.yml', 'berth-deploy.yml']) {
      const w = load(f);
      expect(Object.values(w.jobs)[0]!.environment).toBe('production');
      expect((w as unknown as { concurrency: { 'cancel-in-progress': boolean } }).concurrency['cancel-in-progress']).toBe(false);
    }
  });

  it('the image is built for linux/amd64 and tagged with the commit SHA', () => {
    const build = steps(load('berth-deploy.yml')).find((s) => /docker buildx build/.test(s.run ?? ''))!;
    expect(build.run).toMatch(/--platform linux\/amd64/);
    expect(build.run).toMatch(/:\$GITHUB_SHA/);
    expect(step(load('berth-deploy.yml'), 'deploy').run).toMatch(/--tag "\$GITHUB_SHA"/);
  });

  it('the deploy step has a branch for every deploy exit code berth documents', () => {
    const run = step(load('berth-deploy.yml'), 'deploy').run!;
    const codes = Object.entries(EXIT)
      .filter(([k]) => k.startsWith('DEPLOY_'))
      .map(([, v]) => v);
    for (const c of codes) expect(run).toMatch(new RegExp(`^\\s*(\\d+\\|)*${c}(\\|\\d+)*\\)`, 'm'));
  });
});

// ---- the shell steps, run --------------------------------------------------------------------

const bin = mkdtempSync(join(tmpdir(), 'berth-ci-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** Run a step's script as Actions does, with `npx` answering `code` and writing `stdout`. */
function runStep(script: string, npx: { code: number; stdout?: string } | Record<string, { code: number; stdout?: string }>) {
  const table = 'code' in npx ? { '*': npx } : npx;
  const cases = Object.entries(table)
    .map(([cmd, r]) => `  ${cmd === '*' ? '*' : `*"berth ${cmd} "*`}) printf '%s' ${JSON.stringify(r.stdout ?? '')}; exit ${r.code} ;;`)
    .join('\n');
  writeFileSync(join(bin, 'npx'), `#!/bin/bash\nargs="$* "\ncase "$args" in\n${cases}\nesac\n`);
  chmodSync(join(bin, 'npx'), 0o755);
  const out = join(bin, 'github_output');
  const summary = join(bin, 'summary');
  writeFileSync(out, '');
  writeFileSync(summary, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: bin,
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_SHA: 'abc123',
      BERTH_ENV: 'prod',
      SERVICE: 'api',
    },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, outputs: readFileSync(out, 'utf8') };
}

describe('the plan-on-pull-request steps', () => {
  const w = load('berth-plan.yml');

  it('a plan with changes (exit 2) or none (0) is not a failure; an error (1) or a held lock (4) is', () => {
    for (const [code, ok] of [
      [0, true],
      [2, true],
      [1, false],
      [4, false],
    ] as const) {
      const r = runStep(step(w, 'plan').run!, { code });
      expect(r.code === 0, `berth plan exit ${code}`).toBe(ok);
      expect(r.outputs).toContain(`exit=${code}`);
    }
  });

  it('check findings (exit 1) let the plan comment go out, and fail the job at the end', () => {
    const r = runStep(step(w, 'check').run!, { code: 1, stdout: 'prod: 1 finding' });
    expect(r.code).toBe(0);
    expect(r.outputs).toContain('exit=1');
    const last = steps(w).at(-1)!;
    expect(last.if).toBe("steps.check.outputs.exit != '0'");
    expect(runStep(last.run!, { code: 0 }).code).toBe(1);
    expect(runStep(step(w, 'check').run!, { code: 2 }).code).toBe(2);
  });
});

describe('the deploy steps', () => {
  const w = load('berth-deploy.yml');
  const verdict = (v: string) => JSON.stringify({ verdict: v, reasons: ['because'] });

  it('succeeded (0) and superseded (14) pass; rolled back by ECS (10) and rollback failed (11) fail', () => {
    expect(runStep(step(w, 'deploy').run!, { code: 0, stdout: verdict('succeeded') }).code).toBe(0);
    expect(runStep(step(w, 'deploy').run!, { code: 14, stdout: verdict('superseded') }).code).toBe(0);
    expect(runStep(step(w, 'deploy').run!, { code: 10, stdout: verdict('rolled-back-by-ecs') }).code).toBe(1);
    expect(runStep(step(w, 'deploy').run!, { code: 11, stdout: verdict('failed') }).code).toBe(1);
  });

  it('failed (12) or timed out (13) hands over to the scripted rollback, which fails the job either way', () => {
    const rollback = steps(w).find((s) => /berth rollback/.test(s.run ?? ''))!;
    for (const code of [12, 13]) {
      const r = runStep(step(w, 'deploy').run!, { code, stdout: verdict('failed') });
      expect(r.code).toBe(0);
      expect(rollback.if).toContain(`steps.deploy.outputs.exit == '${code}'`);
    }
    const ok = runStep(rollback.run!, { rollback: { code: 0, stdout: verdict('succeeded') } });
    expect(ok.code).toBe(1);
    expect(ok.stdout).toMatch(/failed and was rolled back/);
    const bad = runStep(rollback.run!, { rollback: { code: 11, stdout: verdict('failed') } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/AND the rollback failed \(exit 11\)/);
  });
});

describe('the scheduled drift steps', () => {
  const w = load('berth-drift.yml');

  it('runs on a schedule, may write issues, and nothing else', () => {
    expect(w.on).toHaveProperty('schedule');
    expect(w.permissions).toEqual({ contents: 'read', issues: 'write', 'id-token': 'write' });
  });

  it('no drift (0) and drift found (30) are results; an error (1) or a held lock (4) fails the step', () => {
    expect(EXIT.DRIFT_FOUND).toBe(30);
    for (const [code, ok] of [
      [0, true],
      [EXIT.DRIFT_FOUND, true],
      [1, false],
      [4, false],
    ] as const) {
      const r = runStep(step(w, 'drift').run!, { code });
      expect(r.code === 0, `berth drift exit ${code}`).toBe(ok);
      expect(r.outputs).toContain(`exit=${code}`);
    }
  });

  it('drift opens or updates the labelled issue and fails the job; no drift only comments, and closes nothing', () => {
    const issue = steps(w).find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(issue.if).toContain("steps.drift.outputs.exit == '30'");
    const script = String(issue.with?.script);
    expect(script).toMatch(/labels: 'berth-drift'/);
    expect(script).toMatch(/issues\.update\(/);
    expect(script).toMatch(/issues\.create\(/);
    expect(script).not.toMatch(/state: 'closed'|issues\.lock/);
    const last = steps(w).at(-1)!;
    expect(last.if).toBe("steps.drift.outputs.exit == '30'");
    expect(runStep(last.run!, { code: 0 }).code).toBe(1);
  });
});
