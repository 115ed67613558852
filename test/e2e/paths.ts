/** What test/e2e/global-setup.ts hands to the e2e test files (vitest provide/inject). */
export interface E2EProvided {
  /** The temporary project folder the sandbox lives in (BERTH_PROJECT_DIR for every berth run). */
  project: string;
  /** berth's own folder (the repository). */
  root: string;
  /** bin/berth.js. */
  bin: string;
}

/** Where global-setup.ts keeps the output of `berth sandbox up` inside the project. */
export const E2E_DIR = '.e2e';

declare module 'vitest' {
  export interface ProvidedContext {
    berthE2E: E2EProvided;
  }
}
