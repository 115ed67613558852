/**
 * Every exit code berth uses, in one place. Each entry's doc comment (or its group's `//` comment)
 * becomes its row in the README's exit-code table (src/output/exit-table.ts); which command returns
 * which code is in src/output/command-exits.ts. Keep the numbers stable: scripts depend on them.
 */
export const EXIT = {
  /** Success: the command did what it says. */
  OK: 0,
  /** Generic failure: a check failed, terraform failed, AWS refused. */
  FAILED: 1,
  /** Bad input: a flag, an argument or an environment file. Nothing was changed. */
  USAGE: 2,
  /** A tool berth needs is missing (terraform, moto_server). */
  MISSING_TOOL: 3,

  // plan: terraform's -detailed-exitcode convention.
  /** plan: no changes. */
  PLAN_NO_CHANGES: 0,
  /** plan: an error. */
  PLAN_ERROR: 1,
  /** plan: changes pending (terraform's -detailed-exitcode 2). */
  PLAN_CHANGES: 2,

  // plan / apply / destroy / outputs (terraform).
  /** Another run holds the stack's state lock (who, since when and the lock id are printed). Nothing changed; retry later. */
  STATE_LOCKED: 4,
  /** apply: a saved plan no longer matches the synthesized config or the state. Nothing changed; run `berth plan` again. */
  PLAN_STALE: 5,
  /** apply / destroy refused: no TTY to confirm and no --yes / --confirm. Nothing changed (same number as USAGE). */
  NOT_CONFIRMED: 2,

  // deploy / rollback / restart / scale verdicts (src/rollout/deploy.ts, rollback.ts, restart.ts, scale.ts).
  /** The new deployment is PRIMARY and COMPLETED, running = desired, its targets healthy, the health URL 2xx. */
  DEPLOY_SUCCEEDED: 0,
  /** deploy failed and is rolled back: by berth, or by ECS's circuit breaker (berth verified it completed). */
  DEPLOY_FAILED_ROLLED_BACK: 10,
  /** deploy failed and the rollback did not complete either; also a `berth rollback` that failed. */
  DEPLOY_FAILED_ROLLBACK_FAILED: 11,
  /** Failed and left as is: deploy --no-rollback, or a restart/scale (nothing to roll back to). */
  DEPLOY_FAILED_NO_ROLLBACK: 12,
  /** No verdict within --timeout (deploy: rolled back unless --no-rollback; 11 if that rollback failed). */
  DEPLOY_TIMED_OUT: 13,
  /** Another deployment (a revision neither ours nor the previous one) replaced ours; berth left it alone. */
  DEPLOY_SUPERSEDED: 14,

  // deploy --strategy blue-green|canary|linear (progressive delivery, src/rollout/release/).
  /** A blue/green, canary or linear release was stopped from outside its watch (`berth rollback`, StopServiceDeployment); traffic is back on the old revision. */
  RELEASE_STOPPED: 15,
  /** The strategy needs what the environment lacks (alternate target group, test listener rule, ECS infrastructure role): `berth apply` creates them. Nothing changed. */
  RELEASE_NOT_READY: 16,

  // doctor: 0 when no check FAILs (WARNs allowed), 1 when any does; 2 for an unknown check group.
  /** doctor: a check FAILed. */
  DOCTOR_FAILED: 1,

  // drift (package range 30-39).
  /** drift: a stack's real infrastructure differs from its terraform state (changed outside terraform). Nothing was changed. */
  DRIFT_FOUND: 30,

  // run / deploy --run-first / db (releases that touch data). `berth run` otherwise exits with the
  // container's own exit code (0-255), so these mean something only when the task did not exit on its own.
  /** run: the one-off task never started (image pull, secrets, log configuration, ENI, architecture); the reason is explained. */
  RUN_NOT_STARTED: 40,
  /** run: the task started but was stopped before its command exited (out of memory, StopTask by someone else, Spot); explained. */
  RUN_STOPPED: 41,
  /** run: no exit within --timeout; berth stopped the task (its id is printed). */
  RUN_TIMED_OUT: 42,
  /** run: interrupted (Ctrl-C); the task was stopped (asked, or --yes) or left running, as printed with its id. */
  RUN_INTERRUPTED: 43,
  /** deploy --run-first: the one-off command failed (or never started) on the new image; the service was not changed. */
  RUN_FIRST_FAILED: 44,
  /** db snapshot / deploy --snapshot-first: the snapshot failed or was not available within the bound; deploy changed nothing. */
  SNAPSHOT_FAILED: 45,
  /** db restore: the new cluster (or its instance) was not available within --timeout; it is left as is and named. */
  RESTORE_INCOMPLETE: 46,

  // see-platform: cost and insights (50-59).
  /** cost --refresh: AWS's price list could not be read (offline, refused, timed out). The price table is unchanged. */
  COST_PRICE_LIST_UNAVAILABLE: 50,
  /** logs --insights: the Logs Insights query failed, was cancelled or did not finish within --timeout. */
  INSIGHTS_QUERY_FAILED: 51,
  // discover (60-64): a platform berth did not build.
  /** discover: the ECS cluster or a service named does not exist (in that region). Nothing was written. */
  DISCOVER_NOT_FOUND: 60,
  /** discover: a service berth cannot operate (not awsvpc networking: no subnets or security groups of its own). Nothing was written. */
  DISCOVER_NOT_OPERABLE: 61,
  // adopt and plans of an adopted environment (65-69).
  /** apply: a plan of an adopted environment destroys or replaces a resource; nothing was applied. Review it, then apply with --allow-destroy. */
  ADOPT_DESTRUCTIVE_PLAN: 65,
  /** adopt: the resource map names a resource that does not exist (typo, other region or account); nothing was written. */
  ADOPT_MISSING_RESOURCE: 66,
  // Any command that calls AWS (src/aws/failures.ts classifies the SDK's error; the JSON error carries its id).
  // 20-22, 25, 26: AWS answered and refused. 23, 24: berth could not reach AWS. 27, 28: pointed at the wrong place.
  /** aws.no-credentials: no AWS credentials were found (environment, profile, SSO, instance role). Nothing was sent. */
  AWS_NO_CREDENTIALS: 20,
  /** aws.bad-credentials: AWS refused the credentials: expired (session token, SSO) or invalid (unknown key, bad signature). */
  AWS_BAD_CREDENTIALS: 21,
  /** aws.access-denied: the identity may not perform the action on the resource AWS named (IAM, SCP, resource policy). */
  AWS_ACCESS_DENIED: 22,
  /** aws.unreachable: the endpoint refused or reset the connection, or its name does not resolve. */
  AWS_UNREACHABLE: 23,
  /** aws.timeout: the endpoint accepted but did not answer in time (BERTH_AWS_TIMEOUT), after every retry; or the command's bound passed. */
  AWS_TIMED_OUT: 24,
  /** aws.throttled: AWS kept throttling (ThrottlingException, 429, SlowDown) beyond berth's retry budget. */
  AWS_THROTTLED: 25,
  /** aws.service-error: AWS kept answering 5xx (internal error, unavailable) beyond berth's retry budget. */
  AWS_SERVICE_ERROR: 26,
  /** aws.unknown-region: the region has no endpoint for the service (unknown or not enabled region). */
  AWS_UNKNOWN_REGION: 27,
  /** aws.wrong-account: the credentials belong to another account than the environment's `account`. Nothing was done. */
  AWS_WRONG_ACCOUNT: 28,

  /** A terraform run exceeded its hard time limit. */
  TIMED_OUT: 124,
} as const;
