/**
 * Errors a user can act on. Anything thrown as a BerthError is printed as its message (and hint),
 * never with a stack trace, and the process exits with its exit code. Every error carries a stable
 * id (`code`, e.g. "usage.flag-range") that scripts and tests match on instead of the sentence.
 */
import { EXIT } from './exit-codes.js';

/**
 * Stable error ids. The part before the dot is the family: `usage` (flags, arguments), `config`
 * (an environment file), `output` (where berth may write), `aws`, `terraform`, `tool`, `internal`.
 * Other ids are allowed (any "family.name" string); these are the ones the input layer uses.
 */
export const ERROR_CODES = {
  failed: 'failed',
  usage: 'usage.invalid',
  unknownCommand: 'usage.unknown-command',
  unknownOption: 'usage.unknown-option',
  missingArgument: 'usage.missing-argument',
  missingOption: 'usage.missing-option',
  flagFormat: 'usage.flag-format',
  flagRange: 'usage.flag-range',
  flagCombination: 'usage.flag-combination',
  notConfirmed: 'usage.not-confirmed',
  unknownName: 'usage.unknown-name',
  configInvalid: 'config.invalid',
  configSyntax: 'config.syntax',
  configNotFound: 'config.not-found',
  outputNotOwned: 'output.not-owned',
  outputNotDirectory: 'output.not-a-directory',
  outputNotWritable: 'output.not-writable',
  missingTool: 'tool.missing',
  /** CloudWatch Logs Live Tail failed on AWS's side, again and again (logs --follow). */
  liveTail: 'aws.live-tail',
  internal: 'internal',
} as const;

export interface BerthErrorOptions {
  exitCode?: number;
  hint?: string;
  details?: unknown;
  /** A stable id such as "usage.flag-range" (see ERROR_CODES). */
  code?: string;
}

export class BerthError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  /** Extra data for --json output (must never hold a secret). */
  readonly details?: unknown;
  readonly code: string;

  constructor(message: string, opts: BerthErrorOptions = {}) {
    super(message);
    this.name = 'BerthError';
    this.exitCode = opts.exitCode ?? EXIT.FAILED;
    this.hint = opts.hint;
    this.details = opts.details;
    this.code = opts.code ?? (this.exitCode === EXIT.USAGE ? ERROR_CODES.usage : ERROR_CODES.failed);
  }
}

/** Bad input: a flag, an argument or an environment file. Exit code 2, nothing changed. */
export class UsageError extends BerthError {
  constructor(message: string, opts: Omit<BerthErrorOptions, 'exitCode'> = {}) {
    super(message, { code: ERROR_CODES.usage, ...opts, exitCode: EXIT.USAGE });
    this.name = 'UsageError';
  }
}

/** A tool berth needs (terraform, moto_server, aws) is not installed or not usable. */
export class MissingToolError extends BerthError {
  constructor(tool: string, how: string) {
    super(`${tool} was not found or is not usable.`, { exitCode: EXIT.MISSING_TOOL, hint: how, code: ERROR_CODES.missingTool });
    this.name = 'MissingToolError';
  }
}

export function isBerthError(e: unknown): e is BerthError {
  return e instanceof BerthError;
}
