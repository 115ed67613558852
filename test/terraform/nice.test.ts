/**
 * How far a terraform run yields (RunOptions.nice) is added to berth's own priority, never set
 * absolutely: berth started under `nice` (as the unit test workers are, test/helpers/unit-priority.ts)
 * keeps the terraform runs it places behind the others behind itself too, and never raises one
 * ahead of itself. A stand-in terraform (BERTH_TERRAFORM) reports the nice value it runs at.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTerraform } from '../../src/terraform/process.js';
import { tempProject } from '../helpers/cli.js';

const project = tempProject('berth-tf-nice-');
const fake = join(project.dir, 'terraform');
// `version -json` as terraform answers it; otherwise, after a moment (berth renices right after the
// start), the 19th field of /proc/self/stat: this process's nice value.
writeFileSync(
  fake,
  `#!/bin/sh
if [ "$1" = version ]; then echo '{"terraform_version":"1.11.4"}'; exit 0; fi
sleep 0.3
cut -d' ' -f19 /proc/$$/stat
`,
);
chmodSync(fake, 0o755);
const env = { BERTH_TERRAFORM: fake };
const saved = process.env.BERTH_TERRAFORM;
process.env.BERTH_TERRAFORM = fake;
afterAll(() => {
  if (saved === undefined) delete process.env.BERTH_TERRAFORM;
  else process.env.BERTH_TERRAFORM = saved;
  project.cleanup();
});

async function niceOf(nice: number | undefined): Promise<number> {
  const r = await runTerraform({ cwd: project.dir, stack: 'nice', args: ['plan'], nice, env, timeoutMs: 20_000 });
  expect(r.code, r.stderr).toBe(0);
  return Number(r.stdout.trim());
}

describe('the priority of a terraform run', () => {
  it('is berth’s own plus the run’s nice, at most 19; without one, berth’s own', async () => {
    const own = getPriority();
    expect(await niceOf(undefined)).toBe(own);
    expect(await niceOf(5)).toBe(Math.min(19, own + 5));
    expect(await niceOf(30)).toBe(19);
  });
});
