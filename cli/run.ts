/**
 * The one wrapper every command action goes through: builds the Reporter (json / rich / plain),
 * runs the action, and turns what it throws into a message and an exit code. A user mistake never
 * shows a stack trace; an internal error shows one only with BERTH_DEBUG=1. Under --json a failure
 * prints one JSON document `{ ok: false, error: { code, exitCode, message, hint, details } }` on stdout.
 */
import { closeAwsClients } from '../src/aws/clients.js';
import { classifyAwsError } from '../src/aws/failures.js';
import { ERROR_CODES, isBerthError } from '../src/output/errors.js';
import { EXIT } from '../src/output/exit-codes.js';
import { Reporter } from '../src/output/reporter.js';
import { terminalCaps } from '../src/output/terminal.js';
import { currentIO, type CliIO } from './io.js';

export interface GlobalOpts {
  json?: boolean;
}

/** An action returns its exit code (or nothing for 0). */
export type Action<O> = (opts: O, reporter: Reporter, args: string[]) => Promise<number | void>;

let exitCode: number = EXIT.OK;
let jsonRequested = false;
/** main() records whether --json appears anywhere on the command line. */
export function setJsonRequested(v: boolean): void {
  jsonRequested = v;
}
export function lastExitCode(): number {
  return exitCode;
}
export function resetExitCode(): void {
  exitCode = EXIT.OK;
}

export function reporterFor(json: boolean, io: CliIO = currentIO()): Reporter {
  const caps = terminalCaps(io.env, { isTTY: io.stdoutIsTTY }, { isTTY: io.stdinIsTTY });
  return new Reporter({ json, caps, out: io.stdout as NodeJS.WritableStream, err: io.stderr as NodeJS.WritableStream });
}

export function action<O extends GlobalOpts>(fn: Action<O>) {
  return async (...params: unknown[]) => {
    // commander passes (...positional args, options, command)
    const cmd = params[params.length - 1] as { opts(): O };
    const opts = cmd.opts();
    const args = params
      .slice(0, -2)
      .flat()
      .filter((a): a is string => typeof a === 'string');
    // `--env --json`: commander took --json as the value of --env; the person still asked for JSON.
    const reporter = await reporterFor(Boolean(opts.json) || jsonRequested).init();
    try {
      const code = await fn(opts, reporter, args);
      exitCode = typeof code === 'number' ? code : EXIT.OK;
    } catch (e) {
      exitCode = reportError(e, reporter);
    } finally {
      // Nothing outlives the command: no spinner, no AWS connection, no retry timer.
      reporter.close();
      closeAwsClients();
    }
  };
}

export interface ErrorDoc {
  code: string;
  exitCode: number;
  message: string;
  hint?: string;
  details?: unknown;
}

/** The `error` object of a failed command's JSON document. */
export function errorDoc(thrown: unknown): ErrorDoc {
  // An ordinary AWS condition (no credentials, unreachable, throttled...) gets its name and exit code.
  const e = classifyAwsError(thrown) ?? thrown;
  if (isBerthError(e)) return { code: e.code, exitCode: e.exitCode, message: e.message, hint: e.hint, details: e.details };
  const err = e as Error;
  return {
    code: ERROR_CODES.internal,
    exitCode: EXIT.FAILED,
    message: `internal error: ${err?.message ?? String(e)}`,
    hint: 'This is a bug in berth. Re-run with BERTH_DEBUG=1 for the stack trace.',
  };
}

export function reportError(e: unknown, reporter: Reporter, io: CliIO = currentIO()): number {
  const doc = errorDoc(e);
  if (reporter.json) reporter.result({ ok: false, error: doc }, () => '');
  reporter.error(doc.message, doc.hint);
  if (!isBerthError(e) && io.env.BERTH_DEBUG) io.stderr.write(String((e as Error)?.stack) + '\n');
  return doc.exitCode;
}
