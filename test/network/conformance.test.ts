/**
 * The one reachability model, twice: the emulator's Python implementation
 * (src/sandbox/moto/berth_moto/reach/model.py) run over the same conformance cases as the
 * TypeScript one (model.test.ts), in the Python that runs the emulator, so the two cannot drift.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMotoPython } from '../../src/sandbox/emulator.js';
import { packageDir } from '../../src/config/paths.js';
import { CONFORMANCE, doc, runCase } from './cases.js';

function pythonVerdicts(): { name: string; got: unknown }[] {
  const { python } = findMotoPython(); // throws MissingToolError naming moto when there is none
  const script = join(packageDir(), 'src', 'sandbox', 'moto', 'berth_moto', 'reach', 'conformance.py');
  const r = spawnSync(python, [script, CONFORMANCE], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${python} ${script} failed (${r.status}): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as { name: string; got: unknown }[];
}

describe('the emulator (Python) and berth (TypeScript) give the same verdict on every conformance case', () => {
  const got = pythonVerdicts();
  it('runs every case', () => expect(got.map((g) => g.name)).toEqual(doc.cases.map((c) => c.name)));
  for (const [i, c] of doc.cases.entries())
    it(c.name, () => {
      expect(got[i]!.got).toEqual(c.expect);
      expect(runCase(c)).toEqual(got[i]!.got);
    });
});
