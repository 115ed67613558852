/**
 * `berth init` in a user's repository: the environment file with a $schema reference that resolves
 * to the schema berth ships, .gitignore created or appended (never rewritten), workflows adapted to
 * the environment's name, and every refusal (exit 2) before anything is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingIgnoreLines } from '../../src/config/gitignore.js';
import { adaptWorkflow } from '../../src/config/init-ci.js';
import { EXIT } from '../../src/output/exit-codes.js';
import { runCli, tempProject } from '../helpers/cli.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function project() {
  const p = tempProject('berth-init-');
  cleanups.push(p.cleanup);
  return p.dir;
}

describe('berth init', () => {
  it('writes an environment whose $schema resolves to the shipped schema, and creates .gitignore', async () => {
    const dir = project();
    const r = await runCli(['init', 'stage', '--template', 'two-service', '--json'], { project: dir });
    expect(r.code).toBe(EXIT.OK);
    const file = join(dir, 'environments', 'stage.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc)[0]).toBe('$schema');
    const schema = JSON.parse(readFileSync(resolve(dirname(file), doc.$schema), 'utf8'));
    expect(schema.title).toBe('berth environment');
    expect(doc.name).toBe('stage');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.berth/', 'cdktf.out/']));
    expect((await runCli(['config', 'validate', '--env', 'stage'], { project: dir })).code).toBe(EXIT.OK);
  });

  it('appends only the missing lines to an existing .gitignore, keeping what is there byte for byte', async () => {
    const dir = project();
    const before = '# mine\nnode_modules\n/.berth\n*.log';
    writeFileSync(join(dir, '.gitignore'), before);
    expect((await runCli(['init', 'prod'], { project: dir })).code).toBe(EXIT.OK);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(`${before}\ncdktf.out/\n`);
    expect(missingIgnoreLines('.berth/\ncdktf.out\n', ['.berth/', 'cdktf.out/'])).toEqual([]);
    expect(missingIgnoreLines('# .berth/\n', ['.berth/'])).toEqual(['.berth/']);
  });

  it('refuses an existing environment file (exit 2) and leaves it untouched', async () => {
    const dir = project();
    mkdirSync(join(dir, 'environments'));
    writeFileSync(join(dir, 'environments', 'prod.json'), '{"mine": true}\n');
    const r = await runCli(['init', 'prod', '--json'], { project: dir });
    expect(r.code).toBe(EXIT.USAGE);
    expect(JSON.parse(r.stdout).error.exitCode).toBe(EXIT.USAGE);
    expect(readFileSync(join(dir, 'environments', 'prod.json'), 'utf8')).toBe('{"mine": true}\n');
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  it('--ci github copies every workflow, adapted to the environment name', async () => {
    const dir = project();
    const r = await runCli(['init', 'stage', '--ci', 'github'], { project: dir });
    expect(r.code).toBe(EXIT.OK);
    const wf = join(dir, '.github', 'workflows');
    const names = readdirSync(wf).sort();
    expect(names).toEqual(
      readdirSync('templates/ci/github')
        .filter((f) => f.endsWith('.yml'))
        .sort(),
    );
    for (const f of names) {
      const text = readFileSync(join(wf, f), 'utf8');
      const w = parse(text) as { env?: Record<string, string>; concurrency?: { group: string } };
      expect(w.env?.BERTH_ENV, f).toBe('stage');
      expect(text, f).not.toMatch(/-prod\b|BERTH_ENV: prod/);
      expect(text, f).toMatch(/npx berth /);
    }
  });

  it('--ci refuses (exit 2) when a workflow file exists, before writing the environment file', async () => {
    const dir = project();
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'berth-plan.yml'), 'name: mine\n');
    const r = await runCli(['init', 'stage', '--ci', 'github'], { project: dir });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('berth-plan.yml');
    expect(existsSync(join(dir, 'environments', 'stage.json'))).toBe(false);
    expect(readFileSync(join(dir, '.github', 'workflows', 'berth-plan.yml'), 'utf8')).toBe('name: mine\n');
    expect((await runCli(['init', 'stage', '--ci', 'gitlab'], { project: dir })).code).toBe(EXIT.USAGE);
  });

  it('adaptWorkflow renames the environment and the concurrency group only', () => {
    const t = 'concurrency:\n  group: berth-apply-prod\nenv:\n  BERTH_ENV: prod\n  environment: production\n';
    expect(adaptWorkflow(t, 'eu')).toBe('concurrency:\n  group: berth-apply-eu\nenv:\n  BERTH_ENV: eu\n  environment: production\n');
  });
});
