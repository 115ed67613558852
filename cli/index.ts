/**
 * berth's entry point: commander wiring only. Nothing heavy is imported here; each command loads
 * what it needs when it runs, so `berth --help` starts fast.
 */
import { Command, CommanderError } from 'commander';
import { COMMAND_MODULES } from './commands/index.js';
import { lastExitCode, resetExitCode } from './run.js';

export async function buildProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('berth')
    .description('Build, run and troubleshoot a containerised web service on AWS (ECS Fargate, ALB, Aurora, Redis).')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const mods = await Promise.all(COMMAND_MODULES.map((m) => m()));
  for (const m of mods) m.register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  resetExitCode();
  // The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22: true, but
  // not something an operator can act on mid-incident. berth's README states the requirement instead.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // Unknown option, missing argument, invalid value: bad input.
      return 2;
    }
    throw e;
  }
  return lastExitCode();
}
