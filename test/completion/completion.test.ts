/**
 * `berth completion <shell>`: the scripts list every command and flag of the commander program
 * (derived, not typed), and the bash one, run for real, completes commands, subcommands, flags,
 * environment names from environments/*.json and service names through `berth completion --services`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/index.js';
import { runCli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;
let bashScript: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-completion-'));
  mkdirSync(join(dir, 'environments'));
  mkdirSync(join(dir, 'bin'));
  for (const e of ['prod', 'stage']) writeFileSync(join(dir, 'environments', `${e}.json`), '{}');
  // `berth` on PATH, as an installed package puts it (the scripts call it for service names).
  writeFileSync(
    join(dir, 'bin', 'berth'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin', 'berth.js'))} "$@"\n`,
  );
  chmodSync(join(dir, 'bin', 'berth'), 0o755);
  const r = await runCli(['completion', 'bash']);
  expect(r.code).toBe(0);
  bashScript = join(dir, 'berth.bash');
  writeFileSync(bashScript, r.stdout);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Press Tab after `line` in bash; the candidates offered. */
function shell(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string; error?: Error } {
  return spawnSync(cmd, args, { cwd: dir, env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: dir }, encoding: 'utf8' });
}

function tab(line: string): string[] {
  const words = line.split(' ');
  const script = `source ${JSON.stringify(bashScript)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _berth; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
    cwd: dir,
    env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: dir },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('berth completion', () => {
  it('every script names every command, subcommand and long flag of the program', async () => {
    const program = await buildProgram();
    for (const shell of ['bash', 'zsh', 'fish']) {
      const text = (await runCli(['completion', shell])).stdout;
      for (const c of program.commands) {
        expect(text, `${shell}: ${c.name()}`).toContain(c.name());
        for (const s of [c, ...c.commands])
          for (const o of s.options)
            if (o.long && !o.hidden)
              expect(text, `${shell}: ${s.name()} ${o.long}`).toContain(shell === 'fish' ? `-l ${o.long.slice(2)}` : o.long);
      }
    }
  });

  it('an unknown shell is bad input (exit 2)', async () => {
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });

  it('bash: commands, subcommands and flags', () => {
    expect(tab('berth pl')).toEqual(['plan']);
    expect(tab('berth de')).toEqual(['deploy', 'destroy']);
    expect(tab('berth dr')).toEqual(['drift']);
    expect(tab('berth sandbox ')).toEqual(['down', 'status', 'up']);
    expect(tab('berth sandbox up --no')).toEqual(['--no-apply']);
    expect(tab('berth plan --m')).toEqual(['--markdown']);
    expect(tab('berth plan --env prod --lo')).toEqual(['--lock-timeout']);
  });

  it('bash: environment names from environments/*.json, and the built-in sandbox', () => {
    expect(tab('berth plan --env ')).toEqual(['prod', 'sandbox', 'stage']);
    expect(tab('berth status -e st')).toEqual(['stage']);
  });

  it('bash: service names of the environment named before', () => {
    expect(tab('berth deploy --env sandbox --service ')).toEqual(['api']);
    expect(tab('berth logs --service ')).toEqual([]);
  });

  it('zsh: the script loads, and completes environments, services, subcommands and flags', async () => {
    writeFileSync(join(dir, 'berth.zsh'), (await runCli(['completion', 'zsh'])).stdout);
    const script = [
      'compdef() { :; }; source ./berth.zsh',
      '__berth_scan plan --env; __berth_candidates --env ""; echo ---',
      '__berth_scan deploy --env sandbox --service; __berth_candidates --service ""; echo ---',
      '__berth_scan sandbox; __berth_candidates sandbox ""',
    ].join('\n');
    const r = shell('zsh', ['-f', '-c', script]);
    expect(r.error, 'zsh is needed for this test (apt-get install zsh; .ci/run installs it)').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('---').map((x) => x.trim().split(/\s+/).sort())).toEqual([
      ['prod', 'sandbox', 'stage'],
      ['api'],
      ['down', 'status', 'up'],
    ]);
  });

  it('fish: real completions of commands, environments, services and flags', async () => {
    writeFileSync(join(dir, 'berth.fish'), (await runCli(['completion', 'fish'])).stdout);
    const lines = ['berth pl', 'berth plan --env ', 'berth deploy --env sandbox --service ', 'berth sandbox ', 'berth plan --ma'];
    const script = ['source berth.fish', ...lines.map((l) => `complete -C ${JSON.stringify(l)} | cut -f1; echo ---`)].join('\n');
    const r = shell('fish', ['--no-config', '-c', script]);
    expect(r.error, 'fish is needed for this test (apt-get install fish; .ci/run installs it)').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const got = r.stdout
      .split('---')
      .slice(0, lines.length)
      .map((x) => x.trim().split('\n').filter(Boolean).sort());
    expect(got).toEqual([['plan'], ['prod', 'sandbox', 'stage'], ['api'], ['down', 'status', 'up'], ['--markdown']]);
  });
});
