/**
 * commander's own argument errors (unknown option, missing value, unknown command, ...) as berth
 * usage errors with stable ids, so `--json` gets its error document and scripts get exit 2.
 */
import type { CommanderError } from 'commander';
import { ERROR_CODES, UsageError } from '../src/output/errors.js';

const IDS: Record<string, string> = {
  'commander.unknownOption': ERROR_CODES.unknownOption,
  'commander.unknownCommand': ERROR_CODES.unknownCommand,
  'commander.missingArgument': ERROR_CODES.missingArgument,
  'commander.optionMissingArgument': ERROR_CODES.missingArgument,
  'commander.missingMandatoryOptionValue': ERROR_CODES.missingOption,
  'commander.excessArguments': ERROR_CODES.usage,
  'commander.invalidArgument': ERROR_CODES.flagFormat,
  'commander.conflictingOption': ERROR_CODES.flagCombination,
};

/** undefined when commander only printed help or the version (exit 0). */
export function commanderFailure(e: CommanderError, args: string[]): UsageError | undefined {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return undefined;
  if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') {
    // `berth` or `berth sandbox` alone: commander printed the help; that is a usage error only when
    // a word was given that named nothing.
    return undefined;
  }
  const message = e.message.replace(/^error:\s*/, '');
  return new UsageError(message, {
    code: IDS[e.code] ?? ERROR_CODES.usage,
    hint: 'Run with --help for usage.',
    details: { commander: e.code, args },
  });
}
