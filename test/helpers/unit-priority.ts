/**
 * The unit files yield the CPU to the e2e lane (vitest.config.ts: `setupFiles` of the unit project
 * only). The lane is the run's longest file and its critical path (sandbox up, then every e2e module
 * in order); the unit files are many and short and can fill whatever CPU the lane leaves. A unit
 * worker lowers its own scheduling priority (nice +10) before its file runs, and everything it
 * starts (terraform, the AWS provider, moto, berth) inherits it; the lane's worker and the sandbox
 * the global setup starts keep the priority vitest was started with. Lowering one's own priority
 * needs no privilege; where the system refuses anyway, the tests run as they are.
 */
import { getPriority, setPriority } from 'node:os';

const UNIT_NICE = 10;

try {
  if (getPriority() < UNIT_NICE) setPriority(UNIT_NICE);
} catch {
  // Not permitted here: the unit files simply compete with the lane as equals.
}
