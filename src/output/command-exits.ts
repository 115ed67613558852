/**
 * Which exit codes each command returns, and what each means for that command. The numbers come
 * from EXIT (src/output/exit-codes.ts), the one table; the help texts (`exitHelp`) and the README's
 * exit-code table (test/output/exit-codes.test.ts keeps it current) are derived from this list.
 *
 * A command marked `aws: true` talks to AWS; every code that src/output/exit-codes.ts defines in the
 * AWS-conditions range (20-29) applies to it automatically, so a new AWS condition needs no edit here.
 */
import { EXIT } from './exit-codes.js';

export type ExitList = ReadonlyArray<readonly [code: number, meaning: string]>;
export interface CommandExits {
  aws: boolean;
  codes: ExitList;
}

const BAD_INPUT = [EXIT.USAGE, 'bad input (a flag, an argument or the environment file; nothing changed)'] as const;
const TOOL = [EXIT.MISSING_TOOL, 'terraform is missing'] as const;
const TF_TIMEOUT = [EXIT.TIMED_OUT, 'a terraform run hit its time limit'] as const;
const LOCKED = [EXIT.STATE_LOCKED, 'the state lock is held by another run'] as const;
const ROLLOUT_TAIL = [
  [EXIT.DEPLOY_TIMED_OUT, 'timed out (--timeout)'],
  [EXIT.DEPLOY_SUPERSEDED, 'superseded by another deployment'],
] as const;

export const COMMAND_EXITS: Record<string, CommandExits> = {
  init: { aws: false, codes: [[EXIT.OK, 'written'], BAD_INPUT] },
  'config validate': { aws: false, codes: [[EXIT.OK, 'valid'], BAD_INPUT] },
  'config docs': { aws: false, codes: [[EXIT.OK, 'printed']] },
  'config schema': { aws: false, codes: [[EXIT.OK, 'printed']] },
  synth: { aws: false, codes: [[EXIT.OK, 'synthesized'], BAD_INPUT] },
  diagram: {
    aws: false,
    codes: [
      [EXIT.OK, 'written'],
      [EXIT.USAGE, 'bad input (unknown format, an --out file berth did not write)'],
    ],
  },
  dashboard: { aws: false, codes: [[EXIT.OK, 'printed'], BAD_INPUT] },
  cost: {
    aws: false,
    codes: [
      [EXIT.OK, 'printed (or refreshed)'],
      BAD_INPUT,
      [EXIT.COST_PRICE_LIST_UNAVAILABLE, 'the price list could not be read (--refresh)'],
    ],
  },
  check: { aws: false, codes: [[EXIT.OK, 'no unwaived finding'], [EXIT.FAILED, 'a finding'], BAD_INPUT] },
  plan: {
    aws: true,
    codes: [
      [EXIT.PLAN_NO_CHANGES, 'no changes'],
      [EXIT.PLAN_ERROR, 'error'],
      [EXIT.PLAN_CHANGES, 'changes pending (also bad input: nothing planned)'],
      TOOL,
      LOCKED,
      TF_TIMEOUT,
    ],
  },
  drift: {
    aws: true,
    codes: [
      [EXIT.OK, 'no drift'],
      [EXIT.FAILED, 'error'],
      BAD_INPUT,
      TOOL,
      LOCKED,
      [EXIT.DRIFT_FOUND, 'drift found (nothing changed)'],
      TF_TIMEOUT,
    ],
  },
  apply: {
    aws: true,
    codes: [
      [EXIT.OK, 'applied'],
      [EXIT.FAILED, 'failed'],
      [EXIT.NOT_CONFIRMED, 'not confirmed, or bad input (nothing changed)'],
      TOOL,
      LOCKED,
      [EXIT.PLAN_STALE, 'a saved plan is stale'],
      [EXIT.ADOPT_DESTRUCTIVE_PLAN, "an adopted environment's plan destroys or replaces something (nothing applied; --allow-destroy)"],
      TF_TIMEOUT,
    ],
  },
  adopt: {
    aws: true,
    codes: [
      [EXIT.OK, 'import ids written'],
      [EXIT.FAILED, 'failed'],
      BAD_INPUT,
      [EXIT.ADOPT_MISSING_RESOURCE, 'the resource map names a resource that does not exist (nothing written)'],
    ],
  },
  destroy: {
    aws: true,
    codes: [
      [EXIT.OK, 'destroyed'],
      [EXIT.FAILED, 'failed'],
      [EXIT.NOT_CONFIRMED, 'refused or bad input (nothing destroyed)'],
      TOOL,
      LOCKED,
      TF_TIMEOUT,
    ],
  },
  outputs: { aws: true, codes: [[EXIT.OK, 'printed'], [EXIT.FAILED, 'failed'], BAD_INPUT, TOOL, TF_TIMEOUT] },
  deploy: {
    aws: true,
    codes: [
      [EXIT.DEPLOY_SUCCEEDED, 'succeeded'],
      [EXIT.FAILED, 'AWS refused a call'],
      BAD_INPUT,
      [
        EXIT.DEPLOY_FAILED_ROLLED_BACK,
        "failed and rolled back (by berth, or by ECS's circuit breaker or alarms, verified; a progressive release: traffic back on the old revision)",
      ],
      [EXIT.DEPLOY_FAILED_ROLLBACK_FAILED, 'failed and the rollback failed'],
      [EXIT.DEPLOY_FAILED_NO_ROLLBACK, 'failed (--no-rollback)'],
      ...ROLLOUT_TAIL,
      [
        EXIT.RELEASE_STOPPED,
        'a blue-green/canary/linear release was stopped from outside (`berth rollback`); traffic is back on the old revision',
      ],
      [
        EXIT.RELEASE_NOT_READY,
        'the strategy needs an alternate target group, test listener rule or infrastructure role the environment lacks (nothing changed)',
      ],
      [EXIT.RUN_FIRST_FAILED, 'the --run-first task failed (the service was not changed)'],
      [EXIT.SNAPSHOT_FAILED, 'the --snapshot-first snapshot failed (nothing changed)'],
    ],
  },
  rollback: {
    aws: true,
    codes: [
      [EXIT.OK, 'succeeded'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input, or no --yes without a terminal (nothing changed)'],
      [EXIT.DEPLOY_FAILED_ROLLBACK_FAILED, 'the rollback failed (during a release: traffic did not return to the old revision)'],
      ...ROLLOUT_TAIL,
    ],
  },
  restart: {
    aws: true,
    codes: [
      [EXIT.OK, 'succeeded'],
      [EXIT.FAILED, 'AWS refused a call'],
      BAD_INPUT,
      [EXIT.DEPLOY_FAILED_NO_ROLLBACK, 'failed'],
      ...ROLLOUT_TAIL,
    ],
  },
  scale: {
    aws: true,
    codes: [
      [EXIT.OK, 'succeeded'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input or a count outside the range (nothing changed)'],
      [EXIT.DEPLOY_FAILED_NO_ROLLBACK, 'failed'],
      ...ROLLOUT_TAIL,
    ],
  },
  status: { aws: true, codes: [[EXIT.OK, 'shown'], [EXIT.FAILED, 'a service is not deployed, or AWS refused'], BAD_INPUT] },
  health: { aws: true, codes: [[EXIT.OK, 'every service healthy'], [EXIT.FAILED, 'not healthy'], BAD_INPUT] },
  logs: {
    aws: true,
    codes: [
      [EXIT.OK, 'done (or --follow ended)'],
      [EXIT.FAILED, 'the log group is missing or AWS refused'],
      BAD_INPUT,
      [EXIT.INSIGHTS_QUERY_FAILED, 'the --insights query failed or timed out'],
    ],
  },
  doctor: {
    aws: true,
    codes: [
      [EXIT.OK, 'no check failed (warnings allowed)'],
      [EXIT.DOCTOR_FAILED, 'a check failed'],
      [EXIT.USAGE, 'bad input (unknown group or check, unknown service)'],
    ],
  },
  runbook: {
    aws: false,
    codes: [
      [EXIT.OK, 'printed'],
      [EXIT.USAGE, 'unknown runbook'],
    ],
  },
  'sandbox up': {
    aws: false,
    codes: [[EXIT.OK, 'up'], [EXIT.FAILED, 'failed'], BAD_INPUT, [EXIT.MISSING_TOOL, 'moto_server or terraform is missing'], TF_TIMEOUT],
  },
  'sandbox down': {
    aws: false,
    codes: [
      [EXIT.OK, 'down, or nothing was running'],
      [EXIT.FAILED, 'the emulator or its ports did not stop; with --destroy, a stack failed to destroy (the emulator is stopped anyway)'],
      [EXIT.MISSING_TOOL, 'terraform is missing (--destroy only)'],
    ],
  },
  'sandbox status': {
    aws: false,
    codes: [
      [EXIT.OK, 'running'],
      [EXIT.FAILED, 'not running'],
    ],
  },
  completion: {
    aws: false,
    codes: [
      [EXIT.OK, 'printed'],
      [EXIT.USAGE, 'unknown shell'],
    ],
  },
  help: {
    aws: false,
    codes: [
      [EXIT.OK, 'printed'],
      [EXIT.USAGE, 'unknown command'],
    ],
  },
  run: {
    aws: true,
    codes: [
      [EXIT.OK, "the command exited 0 (any other code the command's own, 1-255)"],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input (nothing started)'],
      [EXIT.RUN_NOT_STARTED, 'the task did not start (explained: image pull, secrets, log group, ENI, architecture)'],
      [EXIT.RUN_STOPPED, 'stopped before its command exited (out of memory, stopped by someone)'],
      [EXIT.RUN_TIMED_OUT, 'no exit within --timeout (berth stopped it)'],
      [EXIT.RUN_INTERRUPTED, 'interrupted (Ctrl-C; stopped or left running, as printed)'],
    ],
  },
  discover: {
    aws: true,
    codes: [
      [EXIT.OK, 'written (what could not be placed, or is placed with doubt, is listed)'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input, or environments/<name>.json exists and berth did not write it (nothing read, nothing written)'],
      [EXIT.DISCOVER_NOT_FOUND, 'the cluster or a service does not exist (nothing written)'],
      [EXIT.DISCOVER_NOT_OPERABLE, 'a service is not awsvpc-networked (nothing written)'],
    ],
  },
  revisions: {
    aws: true,
    codes: [
      [EXIT.OK, 'listed (or pruned)'],
      [EXIT.FAILED, 'a revision could not be removed, or AWS refused'],
      [EXIT.USAGE, 'bad input, or --prune not confirmed (nothing changed)'],
    ],
  },
  'db snapshot': {
    aws: true,
    codes: [
      [EXIT.OK, 'available'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input or the name is taken (nothing done)'],
      [EXIT.SNAPSHOT_FAILED, 'failed, or not available within --timeout'],
    ],
  },
  'db snapshots': {
    aws: true,
    codes: [
      [EXIT.OK, 'listed (or pruned)'],
      [EXIT.FAILED, 'a delete failed, or AWS refused'],
      [EXIT.USAGE, 'bad input, or --prune not confirmed (nothing deleted)'],
    ],
  },
  'db restore': {
    aws: true,
    codes: [
      [EXIT.OK, 'the new cluster and its writer are available'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input: a flag, an existing name, a snapshot or time not found (nothing changed)'],
      [EXIT.RESTORE_INCOMPLETE, 'not available within --timeout (left as is, named)'],
    ],
  },
  'db copy-snapshot': {
    aws: true,
    codes: [
      [EXIT.OK, 'the copy is available'],
      [EXIT.FAILED, 'AWS refused a call'],
      [EXIT.USAGE, 'bad input, or an encrypted snapshot without --kms-key (nothing copied)'],
      [EXIT.SNAPSHOT_FAILED, 'not available within --timeout'],
    ],
  },
};

/** EXIT entries in the AWS-conditions range (20-29), in number order: they apply to every AWS command. */
export function awsConditionCodes(): Array<[number, string]> {
  const seen = new Map<number, string>();
  for (const [name, code] of Object.entries(EXIT)) if (code >= 20 && code <= 29 && !seen.has(code)) seen.set(code, humanize(name));
  return [...seen.entries()].sort((a, b) => a[0] - b[0]);
}

function humanize(constName: string): string {
  return constName.toLowerCase().replace(/_/g, ' ');
}

/** Every code a command returns, with its meaning for that command, in number order. */
export function commandExitCodes(command: string): Array<[number, string]> {
  const c = COMMAND_EXITS[command];
  if (!c) throw new Error(`no exit-code list for command "${command}"`);
  const all = new Map<number, string>();
  for (const [code, meaning] of c.codes) all.set(code, all.has(code) ? `${all.get(code)}; ${meaning}` : meaning);
  if (c.aws) for (const [code, meaning] of awsConditionCodes()) if (!all.has(code)) all.set(code, meaning);
  return [...all.entries()].sort((a, b) => a[0] - b[0]);
}

/** "Exit codes: 0 succeeded, 2 bad input, ..." for a command's --help. */
export function exitHelp(command: string): string {
  return (
    'Exit codes: ' +
    commandExitCodes(command)
      .map(([c, m]) => `${c} ${m}`)
      .join(', ') +
    '.'
  );
}
