/**
 * THE e2e lane: every end-to-end module (test/e2e/*.e2e.ts) in one vitest file, one after another, on
 * the ONE sandbox the run brings up (global-setup.ts). Being a single file is what lets the lane run
 * beside the unit files (vitest.config.ts: one group, four workers, this file first) instead of
 * after them, while its modules still run strictly in this order: each leaves the service as the
 * next one expects (settled, healthy, on a good tag). A module's hooks (beforeAll/afterAll at its top
 * level) belong to its own describe block, as they did when each was a file.
 *
 * One module alone: `npx vitest run test/e2e -t progressive-releases` (the describe names below).
 */
import { describe } from 'vitest';

describe('doctor.e2e', async () => {
  await import('./doctor.e2e.js');
});
describe('operations.e2e', async () => {
  await import('./operations.e2e.js');
});
describe('releases-data.e2e', async () => {
  await import('./releases-data.e2e.js');
});
describe('progressive-releases.e2e', async () => {
  await import('./progressive-releases.e2e.js');
});
describe('sandbox.e2e', async () => {
  await import('./sandbox.e2e.js');
});
describe('see-platform.e2e', async () => {
  await import('./see-platform.e2e.js');
});
