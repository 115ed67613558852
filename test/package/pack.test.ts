/**
 * berth as a dependency of a team's own repository: `npm pack` of a source tree with no dist/ (the
 * prepack script builds it), installed with `npm i -D ./berth-x.tgz` into a repository that holds no
 * berth source, then run from there through `npx berth` and the installed bin it runs (node_modules/.bin/berth): init (with the CI
 * workflows), config validate/schema, synth, check, the workflows' commands and flags, the version
 * from an npm script of the user's repository, and the sandbox (up --no-apply / down).
 * Slow by nature (an npm install): everything is in this one file, on one install.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/output/exit-codes.js';
import { ROOT, alive, runProcess, type Run } from '../sandbox/cli.js';
import { berthCalls, helpHasFlag } from '../helpers/workflow-calls.js';

const SOURCE = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'LICENSE',
  'README.md',
  'bin',
  'cli',
  'src',
  'stacks',
  'scripts',
  'templates',
  'schema',
  'data',
  'docs',
];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

let work: string;
let repo: string;
let tarball: string;
let emulatorPid: number | undefined;
const timings: Record<string, number> = {};

/** The emulator extension: every .py berth's launcher may load at run time. */
function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() && e.name !== '__pycache__' ? pythonFiles(join(dir, e.name)) : e.name.endsWith('.py') ? [join(dir, e.name)] : [],
  );
}

/** The environment of a user's shell: no npm_* variables of the npm that runs this test. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^BERTH_|^VITEST|^NODE_OPTIONS$/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', CI: 'true' };
}

async function sh(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<Run> {
  const t0 = Date.now();
  const r = (await runProcess(cmd, args, userEnv(), cwd, timeoutMs)) as Run;
  timings[`${cmd} ${args.slice(0, 2).join(' ')}`] = Date.now() - t0;
  return r;
}
/**
 * The installed bin, run as npx runs it (node_modules/.bin/berth, the link npm made to the package's
 * bin). npx itself (npm's CLI, ~0.7 CPU s a start) is run once, for the version: every other call
 * starts the same file without it.
 */
const berth = (...args: string[]) => sh(join(repo, 'node_modules', '.bin', 'berth'), args, repo);
const npxBerth = (...args: string[]) => sh('npx', ['--no-install', 'berth', ...args], repo);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'berth-pack-'));
  // A source tree as a fresh clone has it: no dist/. Its node_modules are berth's own (esbuild for prepack).
  const src = join(work, 'src-tree');
  for (const f of SOURCE) cpSync(join(ROOT, f), join(src, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', work], src);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  repo = join(work, 'infra');
  mkdirSync(repo);
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'infra', version: '7.7.7', private: true, scripts: { 'berth-version': 'berth --version' } }, null, 2),
  );
  const t0 = Date.now();
  const inst = await sh('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], repo, 600_000);
  timings['npm install of the tarball'] = Date.now() - t0;
  expect(inst.code, inst.stderr).toBe(0);
}, 900_000);

afterAll(async () => {
  if (emulatorPid && alive(emulatorPid)) {
    try {
      process.kill(-emulatorPid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  console.log(`package test timings (ms): ${JSON.stringify(timings)}`);
  rmSync(work, { recursive: true, force: true });
});

describe('the packed berth', () => {
  it('holds compiled JavaScript, templates, schema, the emulator extension, docs and the license; nothing of test/ or bench/', async () => {
    const list = await sh('tar', ['-tzf', tarball], work);
    const files = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    const python = pythonFiles(join(ROOT, 'src', 'sandbox', 'moto')).map((f) => relative(ROOT, f));
    expect(python.length).toBeGreaterThan(5);
    const wanted = [
      'bin/berth.js',
      'dist/cli/index.js',
      'dist/stacks/synth.js',
      'templates/ci/github/berth-plan.yml',
      'templates/environments/platform.json',
    ];
    wanted.push('schema/environment.schema.json', 'data/prices.json', 'docs/environment.md', 'LICENSE', 'README.md', ...python);
    for (const f of wanted) expect(files, f).toContain(f);
    expect(files.filter((f) => /^(test|bench)\//.test(f) || (/\.ts$/.test(f) && !f.endsWith('.d.ts')))).toEqual([]);
    expect(existsSync(join(repo, 'node_modules', pkg.name, 'dist', 'cli', 'index.js'))).toBe(true);
  });

  it('reports its own version, also from an npm script of the user repository', async () => {
    expect((await npxBerth('--version')).stdout.trim()).toBe(pkg.version);
    expect((await berth('--version')).stdout.trim()).toBe(pkg.version);
    const r = await sh('npm', ['run', '--silent', 'berth-version'], repo);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('init writes the environment, its $schema into node_modules, .gitignore and the workflows', async () => {
    const r = await berth('init', 'prod', '--ci', 'github', '--json');
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const env = JSON.parse(readFileSync(join(repo, 'environments', 'prod.json'), 'utf8'));
    expect(env.$schema).toBe('../node_modules/berth/schema/environment.schema.json');
    expect(existsSync(resolve(repo, 'environments', env.$schema))).toBe(true);
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toMatch(/^\.berth\/$[\s\S]*^cdktf\.out\/$/m);
    expect((await berth('init', 'prod')).code).toBe(EXIT.USAGE);
  });

  it('config validate and config schema work on the user repository', async () => {
    expect((await berth('config', 'validate', '--env', 'prod')).code).toBe(EXIT.OK);
    const schema = await berth('config', 'schema');
    expect(JSON.parse(schema.stdout)).toEqual(
      JSON.parse(readFileSync(join(repo, 'node_modules', 'berth', 'schema', 'environment.schema.json'), 'utf8')),
    );
  });

  it('synth writes cdktf.out/prod/ and check runs its rules on it', async () => {
    const s = await berth('synth', '--env', 'prod', '--json');
    expect(s.code, s.stderr).toBe(EXIT.OK);
    expect(readdirSync(join(repo, 'cdktf.out', 'prod', 'stacks')).length).toBeGreaterThan(5);
    const c = await berth('check', '--env', 'prod', '--json');
    expect([EXIT.OK, EXIT.FAILED], c.stderr).toContain(c.code);
    expect(c.json).toHaveProperty('findings');
  });

  it('every berth command and flag the installed workflows run exists in the installed berth', async () => {
    const dir = join(repo, '.github', 'workflows');
    const calls = readdirSync(dir).flatMap((f) => {
      const w = parse(readFileSync(join(dir, f), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
      return Object.values(w.jobs).flatMap((j) => j.steps.flatMap((s) => berthCalls(s.run ?? '')));
    });
    expect(new Set(calls.map((c) => c.command))).toEqual(new Set(['check', 'plan', 'apply', 'outputs', 'deploy', 'rollback', 'drift']));
    const byCommand = new Map<string, Set<string>>();
    for (const c of calls) c.flags.forEach((f) => byCommand.set(c.command, (byCommand.get(c.command) ?? new Set()).add(f)));
    for (const [command, flags] of byCommand) {
      const help = await berth(command, '--help');
      expect(help.code, `berth ${command} --help`).toBe(0);
      for (const f of flags) expect(helpHasFlag(help.stdout, f), `berth ${command} has no ${f}`).toBe(true);
    }
  });

  it('the sandbox starts and stops from the installed package (its emulator extension is found)', async () => {
    const up = await berth('sandbox', 'up', '--no-apply', '--json');
    expect(up.code, up.stderr).toBe(EXIT.OK);
    emulatorPid = up.json.pid;
    expect(alive(emulatorPid!)).toBe(true);
    const down = await berth('sandbox', 'down', '--json');
    expect(down.code, down.stderr).toBe(EXIT.OK);
    expect(down.json.stoppedPid).toBe(emulatorPid);
    expect(alive(emulatorPid!)).toBe(false);
  });
});
