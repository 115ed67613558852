/**
 * The test suite's wall time, for bench/speed.mjs --suite (issue #17: "the suite's wall time" in the
 * same run as the other figures). Runs the README's test command's test part, `vitest run`, in this
 * checkout (build first: `npm run build`), with the environment CI has (CI=true, no terminal on
 * stdin) and none of the bench's own variables; times it and its CPU (user + system of the whole
 * process tree, from /usr/bin/time), and reads the counts vitest prints. A failing suite fails the bench.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/** @returns {Promise<{ ms: number, cpuMs: number, tests: number, files: number, vitestMs: number }>} */
export function timeSuite(root) {
  const env = { ...process.env, CI: 'true' };
  delete env.BERTH_PROJECT_DIR;
  const cpuFile = join(tmpdir(), `berth-bench-suite-cpu-${process.pid}`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const time = existsSync('/usr/bin/time');
  const [cmd, argv] = time
    ? ['/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, process.execPath, vitest, 'run']]
    : [process.execPath, [vitest, 'run']];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out = (out + c).slice(-20_000)));
    child.stderr.on('data', (c) => (out = (out + c).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const text = stripVTControlCharacters(out);
      if (code !== 0) return reject(new Error(`the test suite exited ${code}:\n${text.slice(-4000)}`));
      const cpu = time ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
      rmSync(cpuFile, { force: true });
      const num = (re) => Number(re.exec(text)?.[1] ?? NaN);
      resolve({
        ms,
        cpuMs: (cpu[0] + cpu[1]) * 1000,
        tests: num(/Tests\s+(\d+) passed/),
        files: num(/Test Files\s+(\d+) passed/),
        vitestMs: num(/Duration\s+([\d.]+)s/) * 1000,
      });
    });
  });
}
