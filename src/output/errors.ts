/**
 * Errors a user can act on. Anything thrown as a BerthError is printed as its message (and hint),
 * never with a stack trace, and the process exits with its exit code.
 */
export class BerthError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  /** Extra data for --json output (must never hold a secret). */
  readonly details?: unknown;

  constructor(message: string, opts: { exitCode?: number; hint?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'BerthError';
    this.exitCode = opts.exitCode ?? 1;
    this.hint = opts.hint;
    this.details = opts.details;
  }
}

/** Bad input: a flag, an argument or an environment file. Exit code 2, nothing changed. */
export class UsageError extends BerthError {
  constructor(message: string, opts: { hint?: string; details?: unknown } = {}) {
    super(message, { ...opts, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** A tool berth needs (terraform, moto_server, aws) is not installed or not usable. */
export class MissingToolError extends BerthError {
  constructor(tool: string, how: string) {
    super(`${tool} was not found or is not usable.`, { exitCode: 3, hint: how });
    this.name = 'MissingToolError';
  }
}

export function isBerthError(e: unknown): e is BerthError {
  return e instanceof BerthError;
}
