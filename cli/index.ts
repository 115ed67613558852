/**
 * berth's entry point: commander wiring only. Nothing heavy is imported here; each command loads
 * what it needs when it runs, and a run of one command registers only that command.
 */
import { Command, CommanderError } from 'commander';
import { checkCodeCacheEnv } from '../src/cli-args/env-vars.js';
import { berthVersion } from '../src/config/version.js';
import { ERROR_CODES, UsageError } from '../src/output/errors.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';
import { commanderFailure } from './commander-errors.js';
import { processIO, setCurrentIO, type CliIO } from './io.js';
import { lastExitCode, reportError, reporterFor, resetExitCode, setJsonRequested } from './run.js';

/**
 * The registrations a run needs: the command its first word names, else (help, completion,
 * --version, a mistyped command, nothing) every command, so help, completion and commander's
 * suggestions see them all.
 */
export function commandsFor(args: string[]): CommandEntry[] {
  const named = COMMANDS.find((c) => c.name === args[0]);
  return named && named.name !== 'completion' ? [named] : COMMANDS;
}

/** The program with the commands `args` needs (every command when `args` is not given). */
export async function buildProgram(io: CliIO = processIO(), args?: string[]): Promise<Command> {
  const program = new Command();
  program
    .name('berth')
    .description('Build, run and troubleshoot a containerised web service on AWS (ECS Fargate, ALB, Aurora, Redis).')
    .version(berthVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => void io.stderr.write(s),
      writeOut: (s) => void io.stdout.write(s),
      // Argument errors are printed by reportError (text, or the JSON error document), once.
      outputError: () => undefined,
    });
  for (const { register } of args ? commandsFor(args) : COMMANDS) register(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) c.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** `berth help <command>` names a command that exists: commander would print the general help, exit 0. */
function checkHelpTopic(program: Command, args: string[]): void {
  if (args[0] !== 'help' || args.length < 2) return;
  let cmd: Command | undefined = program;
  for (const word of args.slice(1).filter((a) => !a.startsWith('-'))) {
    cmd = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!cmd) {
      const known = program.commands.map((c) => c.name()).join(', ');
      throw new UsageError(`help ${args.slice(1).join(' ')}: no such command; commands: ${known}`, {
        code: ERROR_CODES.unknownCommand,
        hint: 'Run `berth --help` for the list.',
      });
    }
  }
}

/** Run berth with `argv` (node, script, ...args); returns the exit code. Streams come from `io`. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  resetExitCode();
  setCurrentIO(io);
  // The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22: true, but
  // not something an operator can act on mid-incident. berth's README states the requirement instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const json = argv.slice(2).includes('--json');
  setJsonRequested(json);
  try {
    checkCodeCacheEnv(io.env);
    const program = await buildProgram(io, argv.slice(2));
    checkHelpTopic(program, argv.slice(2));
    await program.parseAsync(argv);
  } catch (e) {
    const reporter = await reporterFor(json, io).init();
    if (e instanceof CommanderError) {
      const failure = commanderFailure(e, argv.slice(2));
      if (!failure) return 0; // --help, --version
      return reportError(failure, reporter, io);
    }
    return reportError(e, reporter, io);
  } finally {
    setCurrentIO(undefined);
  }
  return lastExitCode();
}
