/**
 * Every exit code berth uses, in one place. Commands document which of these they return
 * (README, "Exit codes"). Keep the numbers stable: scripts depend on them.
 */
export const EXIT = {
  OK: 0,
  /** Generic failure: a check failed, terraform failed, AWS refused. */
  FAILED: 1,
  /** Bad input: a flag, an argument or an environment file. Nothing was changed. */
  USAGE: 2,
  /** A tool berth needs is missing (terraform, moto_server). */
  MISSING_TOOL: 3,

  // plan: terraform's -detailed-exitcode convention.
  PLAN_NO_CHANGES: 0,
  PLAN_ERROR: 1,
  PLAN_CHANGES: 2,

  // deploy / rollback / restart / scale verdicts.
  DEPLOY_SUCCEEDED: 0,
  DEPLOY_FAILED_ROLLED_BACK: 10,
  DEPLOY_FAILED_ROLLBACK_FAILED: 11,
  DEPLOY_FAILED_NO_ROLLBACK: 12,
  DEPLOY_TIMED_OUT: 13,
  DEPLOY_SUPERSEDED: 14,

  /** A terraform run exceeded its hard time limit. */
  TIMED_OUT: 124,
} as const;
