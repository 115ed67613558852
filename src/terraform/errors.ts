/**
 * Terraform's failures, translated: a held state lock names who holds it, since when and how to
 * release it; a stale plan says what changed; anything else shows terraform's own error text for
 * that stack (redacted, bounded) instead of a wall of output.
 */
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { redact } from '../output/redact.js';

export interface LockInfo {
  id?: string;
  path?: string;
  operation?: string;
  who?: string;
  version?: string;
  created?: string;
}

/** Parse terraform's "Lock Info:" block, if the text has one. */
export function parseLockInfo(text: string): LockInfo | undefined {
  if (!/Error acquiring the state lock/i.test(text)) return undefined;
  const block = text.slice(text.indexOf('Lock Info:'));
  const field = (k: string) => {
    const m = new RegExp(`^\\s*${k}:[ \\t]*(.*)$`, 'm').exec(block);
    const v = m?.[1]?.trim();
    return v ? v : undefined;
  };
  if (!text.includes('Lock Info:')) return {};
  return {
    id: field('ID'),
    path: field('Path'),
    operation: field('Operation'),
    who: field('Who'),
    version: field('Version'),
    created: field('Created'),
  };
}

/** The `Error: ...` part of terraform's output (diagnostics), without the noise before it. */
export function terraformErrorText(stderr: string, stdout = '', maxLines = 40): string {
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').replace(/^[\u2502\u2577\u2575] ?/gm, '');
  const text = clean(stderr).trim() ? clean(stderr) : clean(stdout);
  const i = text.search(/^Error: /m);
  const body = (i >= 0 ? text.slice(i) : text).trim().split('\n');
  const lines = body.length > maxLines ? [...body.slice(0, maxLines), `... (${body.length - maxLines} more lines)`] : body;
  return redact(lines.join('\n'));
}

export class StateLockedError extends BerthError {
  constructor(
    readonly stackName: string,
    readonly lock: LockInfo,
  ) {
    const who = lock.who ?? 'another run';
    const since = lock.created ? ` since ${lock.created}` : '';
    const op = lock.operation ? ` (${lock.operation.replace(/^OperationType/, '').toLowerCase()})` : '';
    super(
      `the state of stack ${stackName} is locked by ${who}${since}${op}: lock ${lock.id ?? '?'} on ${lock.path ?? 'the state'}. Nothing was changed.`,
      {
        exitCode: EXIT.STATE_LOCKED,
        hint:
          'Another plan or apply of this environment is running: wait for it and try again. If that run died and left the lock behind, ' +
          `release it from the stack's folder with \`terraform force-unlock ${lock.id ?? '<lock id>'}\` (only when you are sure nothing holds it).`,
        details: { stack: stackName, lock },
      },
    );
    this.name = 'StateLockedError';
  }
}

export interface StaleStack {
  stack: string;
  reason: string;
}

export class StalePlanError extends BerthError {
  constructor(readonly stale: StaleStack[]) {
    super(`the saved plan is stale, nothing was applied:\n` + stale.map((s) => `  - ${s.stack}: ${s.reason}`).join('\n'), {
      exitCode: EXIT.PLAN_STALE,
      hint: 'Run `berth plan` again, review it, then `berth apply`.',
      details: { stale },
    });
    this.name = 'StalePlanError';
  }
}

export class TerraformFailedError extends BerthError {
  constructor(
    readonly stackName: string,
    readonly command: string,
    readonly terraformExit: number,
    readonly errorText: string,
    hint?: string,
  ) {
    super(`terraform ${command} of stack ${stackName} failed (exit ${terraformExit}):\n${errorText}`, {
      exitCode: EXIT.FAILED,
      hint,
      code: 'terraform.failed',
      details: { stack: stackName, command, code: terraformExit, error: errorText },
    });
    this.name = 'TerraformFailedError';
  }
}

/** Turn a failed terraform run into the most specific error. */
export function translateFailure(stack: string, command: string, r: { code: number; stdout: string; stderr: string }): BerthError {
  const all = `${r.stderr}\n${r.stdout}`;
  const lock = parseLockInfo(all);
  if (lock) return new StateLockedError(stack, lock);
  if (/Saved plan is stale/i.test(all))
    return new StalePlanError([{ stack, reason: 'terraform: the state changed since the plan was made' }]);
  const text = terraformErrorText(r.stderr, r.stdout);
  let hint: string | undefined;
  if (/terraform_remote_state/.test(all) && /Unsupported attribute|does not have an attribute/i.test(all))
    hint =
      'This stack reads an output of a stack it depends on that is not applied yet: apply that stack first (berth apply does this in order).';
  else if (/Backend configuration changed|Backend initialization required/i.test(all))
    hint =
      "The state backend of this stack changed: run `terraform init -migrate-state` in the stack's folder to move the state, or restore the old backend settings.";
  else if (/Failed to query available provider packages|could not connect to registry|Failed to install provider/i.test(all))
    hint =
      'terraform could not get the AWS provider. berth points terraform at the filesystem mirror in /opt/tf-plugins (or BERTH_TF_MIRROR); check that it holds hashicorp/aws, or unset TF_CLI_CONFIG_FILE.';
  return new TerraformFailedError(stack, command, r.code, text, hint);
}
