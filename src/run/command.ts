/**
 * The command a one-off task runs: the words after `--` (`berth run ... -- <command...>`), or one
 * shell line (`deploy --run-first "<line>"`, `release.runFirst`), which runs as `sh -c '<line>'`.
 * Pure.
 */
import { ERROR_CODES, UsageError } from '../output/errors.js';

/** ECS limits a container override's command to what fits its 8 KiB overrides document. */
export const MAX_COMMAND_BYTES = 8192;

export function commandFromWords(words: string[]): string[] {
  if (!words.length || words.every((w) => !w.trim()))
    throw new UsageError('berth run needs a command after `--`, e.g. `berth run --env prod --service api -- ./manage.py migrate`.', {
      code: ERROR_CODES.missingArgument,
    });
  checkSize(words, 'the command');
  return words;
}

export function commandFromLine(line: string, flag = '--run-first'): string[] {
  if (!line.trim()) throw new UsageError(`${flag} "": expected a command line, e.g. "npm run migrate".`, { code: ERROR_CODES.flagFormat });
  const cmd = ['sh', '-c', line];
  checkSize(cmd, flag);
  return cmd;
}

function checkSize(cmd: string[], what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(cmd));
  if (bytes > MAX_COMMAND_BYTES)
    throw new UsageError(`${what} is ${bytes} bytes; a one-off task's command override holds at most ${MAX_COMMAND_BYTES}.`, {
      code: ERROR_CODES.flagRange,
    });
}
