import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/sequencer.js';
import { TERRAFORM_GOGC } from './test/helpers/terraform-gc.js';

export default defineConfig({
  test: {
    // Four workers in ONE group: the e2e lane (one file, sorted first) holds one for the whole run,
    // waiting for the sandbox and then running the e2e modules one after another; the unit files share
    // the other three, longest first (test/helpers/sequencer.ts), at a lower priority than the lane
    // (test/helpers/unit-priority.ts); three, so that one of them waiting (a provider's fixed sleep,
    // the ECS simulation's clock) leaves no core idle. Terraform and the emulator are real processes:
    // files stay apart (one fork each).
    maxWorkers: 4,
    // The CLI silences the AWS SDK's Node-version notice itself (cli/index.ts); tests that call the SDK
    // in the worker would print it once per file.
    env: { GOGC: TERRAFORM_GOGC, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default'],
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: 'forks',
          // The unit workers run at a lower priority than the e2e lane, the run's critical path.
          setupFiles: ['test/helpers/unit-priority.ts'],
        },
      },
      {
        // End-to-end: ONE sandbox (berth sandbox up) for every module, brought up by the global setup
        // only when the lane is queued, torn down at the end. The modules (test/e2e/*.e2e.ts) run one
        // at a time, in the order test/e2e/lane.test.ts imports them, beside the unit files.
        test: {
          name: 'e2e',
          include: ['test/e2e/lane.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          pool: 'forks',
        },
      },
    ],
  },
});
