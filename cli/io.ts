/**
 * Where a berth run reads and writes: its output streams, whether they are terminals, and the
 * environment variables that shape output (NO_COLOR, TERM, BERTH_DEBUG). bin/berth.js uses the
 * process's own; the tests inject theirs (test/helpers/cli.ts) and run berth in-process.
 */
import { isatty } from 'node:tty';

export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    // isatty(0), not process.stdin.isTTY: the same answer without opening a stream on stdin at start.
    stdinIsTTY: isatty(0),
    env: process.env,
  };
}

let current: CliIO | undefined;
/** The IO of the run in progress (set by main()). */
export function currentIO(): CliIO {
  return (current ??= processIO());
}
export function setCurrentIO(io: CliIO | undefined): void {
  current = io;
}
