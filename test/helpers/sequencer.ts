/**
 * The order vitest hands test files to its workers (vitest.config.ts `sequence.sequencer`): the e2e
 * lane first (it holds one worker for the whole run, waiting for `sandbox up` and then running every
 * e2e module), then the unit files longest first, so that the three workers left finish together
 * rather than one of them starting a two-minute file at the end. On a fresh clone vitest has no
 * timings of its own (it would order by file size); these are the durations of one full run of
 * 2026-11-27 (on a busy machine: only their order counts), in seconds, for the files above ~10 s. A
 * file missing here only runs later; nothing else depends on this list.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SECONDS: Record<string, number> = {
  'test/hand-built/rag-proof.test.ts': 302,
  'test/package/pack.test.ts': 104,
  'test/sandbox/ecs-strategies.test.ts': 87,
  'test/sandbox/ecs-sim.test.ts': 86,
  'test/terraform/cli.test.ts': 68,
  'test/sandbox/lifecycle.test.ts': 61,
  'test/sandbox/saved.test.ts': 51,
  'test/adopt/adopt-emulator.test.ts': 47,
  'test/diagram/render.test.ts': 41,
  'test/hand-built/fixtures.test.ts': 40,
  'test/stacks/validate.test.ts': 39,
  'test/status/ops-moto.test.ts': 33,
  'test/hand-built/doctor-network.test.ts': 29,
  'test/sandbox/reach.test.ts': 25,
  'test/discover/discover.test.ts': 25,
  'test/sandbox/gaps.test.ts': 24,
  'test/trust/network-faults.test.ts': 16,
  'test/terraform/runner.test.ts': 16,
  'test/terraform/lock.test.ts': 15,
  'test/rollout/deploy-orchestration.test.ts': 15,
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byDefault = await super.sort(files);
    const weight = (f: TestSpecification) =>
      f.project.name === 'e2e' ? Infinity : (SECONDS[relative(f.project.config.root, f.moduleId).split('\\').join('/')] ?? 0);
    // A stable sort: files of equal weight keep vitest's own order.
    return [...byDefault].sort((a, b) => weight(b) - weight(a));
  }
}
