/**
 * The plan / apply / destroy / outputs commands end to end, in-process, without a TTY (as in CI):
 * exit codes, --json, --markdown, refusals. The stacks are the fixture's (stacks/synth.js is
 * replaced by it), terraform and moto_server are real. The registry stack of `ci` is its log group
 * on moto_server (drift: its retention changed outside terraform); the other stacks, and every stack
 * of `guarded`, are the fixture's built-in flavour (what they assert is berth's orchestration).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudWatchLogsClient, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startEmulator, type Emulator } from '../../src/sandbox/emulator.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { FIXTURE_SECRET, writeSandboxRecord } from './fixture.js';
import type { SynthFn } from '../../src/terraform/workspace.js';

vi.mock('../../stacks/synth.js', async () => {
  const { fixtureSynth } = await import('./fixture.js');
  const ci = fixtureSynth({ aws: ['registry'] });
  const builtin = fixtureSynth({ aws: [] });
  return { synthEnvironment: ((env, opts) => (env.name === 'ci' ? ci : builtin)(env, opts)) satisfies SynthFn };
});

let emu: Emulator;
const project = tempProject('berth-tf-cli-');
const run = (...args: string[]) => runCli(args, { project: project.dir });

function writeEnv(name: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(project.dir, 'environments'), { recursive: true });
  writeFileSync(
    join(project.dir, 'environments', `${name}.json`),
    JSON.stringify({
      name,
      app: 'tfci',
      region: 'us-east-1',
      protected: false,
      sandbox: true,
      domain: { name: 'berth.test' },
      state: { backend: 'local', path: `.berth/state/${name}` },
      services: [{ name: 'api', port: 8000, logRetentionDays: 7 }],
      ...extra,
    }),
  );
}

beforeAll(async () => {
  emu = await startEmulator({ plain: true });
  writeSandboxRecord(project.dir, emu.endpoint, emu.pid);
  writeEnv('ci');
  writeEnv('guarded', { protected: true });
});

afterAll(async () => {
  await emu?.stop();
  project.cleanup();
});

describe('berth plan / apply / outputs / destroy without a TTY', { timeout: 300_000 }, () => {
  it('apply without a saved plan and without --yes refuses: exit 2, nothing planned or changed', async () => {
    const r = await run('apply', '--env', 'ci');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no saved plan for ci and nobody to confirm one \(no TTY\): nothing was changed/);
    expect(r.stderr).toMatch(/--yes/);
    expect(existsSync(join(project.dir, '.berth', 'state', 'ci'))).toBe(false);
  });

  it('plan --json --markdown: exit 2, one JSON document, a PR comment, one progress line per stack', async () => {
    const md = join(project.dir, 'plan.md');
    const r = await run('plan', '--env', 'ci', '--json', '--markdown', md);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ environment: 'ci', exitCode: 2, changes: true, totals: { add: 2, change: 0, destroy: 0 } });
    expect(doc.stacks.map((s: { stack: string; status: string }) => `${s.stack}:${s.status}`)).toEqual([
      'tfci-ci-network:planned',
      'tfci-ci-registry:planned',
      'tfci-ci-service:waiting',
    ]);
    const comment = readFileSync(md, 'utf8');
    expect(comment.split('\n')[0]).toBe('<!-- berth-plan:ci -->');
    expect(comment).toContain('| `tfci-ci-service` | – | – | – | waits on tfci-ci-network: planned once that is applied |');
    for (const stack of ['tfci-ci-network', 'tfci-ci-registry'])
      expect(r.stderr).toMatch(new RegExp(`^ok ${stack}: 1 to add, 0 to change, 0 to destroy`, 'm'));
    // eslint-disable-next-line no-control-regex -- the escape codes are what is checked
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  it('apply applies the saved plans; the stack planned during apply waits for approval (exit 2)', async () => {
    const r = await run('apply', '--env', 'ci');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/tfci-ci-network\s+applied \(1 to add/);
    expect(r.stdout).toMatch(/tfci-ci-service\s+planned during apply, waits for approval \(1 to add, 0 to change, 0 to destroy\)/);
    expect(r.stdout).toMatch(/run `berth apply --env ci` again, or pass --yes/);
  });

  it('apply again applies exactly that saved plan: exit 0', async () => {
    const r = await run('apply', '--env', 'ci', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.stacks.map((s: { status: string }) => s.status)).toEqual(['unchanged', 'unchanged', 'applied']);
  });

  it('plan again: exit 0, no changes', async () => {
    const r = await run('plan', '--env', 'ci');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ci: no changes/);
  });

  it('outputs: merged, sensitive masked, in text and JSON', async () => {
    const text = await run('outputs', '--env', 'ci');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^token\s+\(sensitive\)$/m);
    expect(text.stdout).toMatch(/^topic_name\s+tfci-ci-events$/m);
    const json = await run('outputs', '--env', 'ci', '--json');
    expect(JSON.parse(json.stdout).outputs.parameter).toEqual({ stack: 'tfci-ci-service', sensitive: false, value: '/tfci-ci/topic' });
    expect(text.stdout + json.stdout).not.toContain(FIXTURE_SECRET);
  });

  it('drift: exit 0 when nothing changed outside terraform; 30 with each drifted attribute once something did', async () => {
    const clean = await run('drift', '--env', 'ci', '--json');
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ environment: 'ci', drifted: false, exitCode: 0 });
    const logs = new CloudWatchLogsClient({
      endpoint: emu.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/berth-test/tfci-ci', retentionInDays: 14 }));
    const md = join(project.dir, 'drift.md');
    const r = await run('drift', '--env', 'ci', '--json', '--markdown', md);
    expect(r.code, r.stderr).toBe(30);
    const doc = JSON.parse(r.stdout);
    const registry = doc.stacks.find((s: { stack: string }) => s.stack === 'tfci-ci-registry');
    expect(registry.drift).toEqual([
      {
        address: 'aws_cloudwatch_log_group.registry_logs',
        action: 'update',
        forcedBy: [],
        attributes: [{ path: 'retention_in_days', before: '7', after: '14', forcesReplacement: false }],
      },
    ]);
    expect(readFileSync(md, 'utf8').split('\n')[0]).toBe('<!-- berth-drift:ci -->');
    expect(r.stdout).not.toContain(FIXTURE_SECRET);
    expect(existsSync(join(project.dir, '.berth', 'work', 'ci', 'tfci-ci-registry.drift.tfplan'))).toBe(false);
  });

  it('plan after the drift: the change that puts it back, attribute by attribute, and the drift in the comment', async () => {
    const md = join(project.dir, 'plan.md');
    const r = await run('plan', '--env', 'ci', '--json', '--markdown', md);
    expect(r.code, r.stderr).toBe(2);
    const registry = JSON.parse(r.stdout).stacks.find((s: { stack: string }) => s.stack === 'tfci-ci-registry');
    expect(registry.detail.changes).toEqual([
      {
        address: 'aws_cloudwatch_log_group.registry_logs',
        action: 'update',
        forcedBy: [],
        attributes: [{ path: 'retention_in_days', before: '14', after: '7', forcesReplacement: false }],
      },
    ]);
    expect(registry.detail.drift.map((d: { address: string }) => d.address)).toEqual(['aws_cloudwatch_log_group.registry_logs']);
    const comment = readFileSync(md, 'utf8');
    expect(comment).toMatch(/\| retention_in_days \| 14 \| 7 \|/);
    expect(comment).toMatch(/Changed outside terraform/);
    writeFileSync(join(project.dir, 'mine.md'), 'my notes\n');
    const refused = await run('plan', '--env', 'ci', '--markdown', join(project.dir, 'mine.md'));
    expect(refused.code).toBe(2);
    expect(readFileSync(join(project.dir, 'mine.md'), 'utf8')).toBe('my notes\n');
  });

  it('a bad --parallelism is bad input (exit 2)', async () => {
    const r = await run('plan', '--env', 'ci', '--parallelism', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parallelism "0" is out of range: expected a whole number from 1 to 32/);
  });

  it('destroy of an unprotected environment without a TTY needs --yes: exit 2, then 0', async () => {
    const refused = await run('destroy', '--env', 'ci');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/nothing was destroyed/);
    const r = await run('destroy', '--env', 'ci', '--yes');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ci: destroyed/);
  });

  it('a protected environment: not destroyed without --confirm <name> (exit 2), destroyed with it', async () => {
    expect((await run('apply', '--env', 'guarded', '--yes')).code).toBe(0);
    for (const args of [[], ['--yes'], ['--confirm', 'ci']]) {
      const r = await run('destroy', '--env', 'guarded', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/nothing was destroyed/);
    }
    const still = await run('outputs', '--env', 'guarded', '--json');
    expect(JSON.parse(still.stdout).outputs.topic_name.value).toBe('tfci-guarded-events');
    const r = await run('destroy', '--env', 'guarded', '--confirm', 'guarded', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stacks.map((s: { stack: string; status: string }) => `${s.stack}:${s.status}`)).toEqual([
      'tfci-guarded-service:destroyed',
      'tfci-guarded-registry:destroyed',
      'tfci-guarded-network:destroyed',
    ]);
  });
});
