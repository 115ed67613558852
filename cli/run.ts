/**
 * The one wrapper every command action goes through: builds the Reporter (json / rich / plain),
 * runs the action, and turns what it throws into a message and an exit code. A user mistake never
 * shows a stack trace; an internal error shows one only with BERTH_DEBUG=1.
 */
import { isBerthError } from '../src/output/errors.js';
import { EXIT } from '../src/output/exit-codes.js';
import { Reporter } from '../src/output/reporter.js';

export interface GlobalOpts {
  json?: boolean;
}

/** An action returns its exit code (or nothing for 0). */
export type Action<O> = (opts: O, reporter: Reporter, args: string[]) => Promise<number | void>;

let exitCode: number = EXIT.OK;
export function lastExitCode(): number {
  return exitCode;
}
export function resetExitCode(): void {
  exitCode = EXIT.OK;
}

export function action<O extends GlobalOpts>(fn: Action<O>) {
  return async (...params: unknown[]) => {
    // commander passes (...positional args, options, command)
    const cmd = params[params.length - 1] as { opts(): O };
    const opts = cmd.opts();
    const args = params.slice(0, -2).flat().filter((a): a is string => typeof a === 'string');
    const reporter = await new Reporter({ json: Boolean(opts.json) }).init();
    try {
      const code = await fn(opts, reporter, args);
      exitCode = typeof code === 'number' ? code : EXIT.OK;
    } catch (e) {
      exitCode = reportError(e, reporter);
    }
  };
}

export function reportError(e: unknown, reporter: Reporter): number {
  if (isBerthError(e)) {
    if (reporter.json) {
      reporter.result({ ok: false, error: { message: e.message, hint: e.hint, exitCode: e.exitCode, details: e.details } }, () => '');
    }
    reporter.error(e.message, e.hint);
    return e.exitCode;
  }
  const err = e as Error;
  reporter.error(`internal error: ${err?.message ?? String(e)}`, 'This is a bug in berth. Re-run with BERTH_DEBUG=1 for the stack trace.');
  if (process.env.BERTH_DEBUG) process.stderr.write(String(err?.stack) + '\n');
  return EXIT.FAILED;
}
