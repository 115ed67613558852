/**
 * Go's garbage collector at 400 % instead of 100 % for the terraform and AWS provider processes the
 * tests start (they inherit it): each run loads the provider's ~10 MB schema, and the collector's
 * work on it is ~18 % of a run's CPU time (`terraform validate`: 3.2 -> 2.6 CPU s, peak memory
 * +3 %). Behaviour is unchanged; a GOGC already set wins. vitest.config.ts sets it for the test
 * workers; test/e2e/global-setup.ts passes the same to `sandbox up`.
 */
export const TERRAFORM_GOGC = process.env.GOGC ?? '400';
