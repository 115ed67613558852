/**
 * Without terraform on PATH, the terraform commands stop at once (before synthesizing anything)
 * with exit 3 and how to get it. Its own file: the terraform lookup is cached per process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const project = tempProject('berth-tf-missing-');
const emptyPath = mkdtempSync(join(tmpdir(), 'berth-empty-path-'));
afterAll(() => {
  project.cleanup();
  rmSync(emptyPath, { recursive: true, force: true });
});

describe('terraform missing', () => {
  for (const cmd of [['plan'], ['apply', '--yes'], ['outputs'], ['destroy', '--confirm', 'platform']]) {
    it(`berth ${cmd[0]} exits 3 and says how to install it`, async () => {
      const env = join(project.dir, 'platform.json');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(env, readFileSync('templates/environments/platform.json'));
      const r = await runCli([...cmd.slice(0, 1), '--env', env, ...cmd.slice(1)], {
        project: project.dir,
        env: { PATH: emptyPath, BERTH_TERRAFORM: undefined },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/terraform was not found or is not usable/);
      expect(r.stderr).toMatch(/Install terraform 1\.10\.0 or newer .* put it on PATH, or set BERTH_TERRAFORM/);
    });
  }

  it('a BERTH_TERRAFORM that is not a program is reported the same way', async () => {
    const env = join(project.dir, 'platform.json');
    const r = await runCli(['plan', '--env', env, '--json'], {
      project: project.dir,
      env: { BERTH_TERRAFORM: join(emptyPath, 'terraform') },
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { exitCode: 3 } });
  });
});
