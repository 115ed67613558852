/**
 * The CLI's start path: a run of one command registers only that command (cli/index.ts
 * commandsFor); help, completion and mistyped commands still see every command.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { buildProgram, commandsFor } from '../../cli/index.js';
import { runCli } from '../helpers/cli.js';

describe('the command list', () => {
  it('each entry registers the command it is named after, and that one only', () => {
    for (const c of COMMANDS) {
      const program = new Command();
      c.register(program);
      expect(
        program.commands.map((x) => x.name()),
        c.name,
      ).toEqual([c.name]);
    }
  });
});

describe('registrations a run needs', () => {
  const names = (args: string[]) => commandsFor(args).map((c) => c.name);

  it('only the named command; everything for help, completion, --version, a mistyped or no command', () => {
    expect(names(['status', '--env', 'sandbox', '--json'])).toEqual(['status']);
    expect(names(['logs', '--help'])).toEqual(['logs']);
    const all = COMMANDS.map((c) => c.name);
    for (const args of [['help', 'status'], ['completion', 'bash'], ['--version'], ['--help'], ['statuss'], []])
      expect(names(args), args.join(' ')).toEqual(all);
  });

  it('the program of one command is that command alone; without arguments, every command', async () => {
    expect((await buildProgram(undefined, ['health', '--env', 'x'])).commands.map((c) => c.name())).toEqual(['health']);
    expect((await buildProgram()).commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });

  it("a mistyped command is still told the nearest one; a command's own --help is its usage", async () => {
    const typo = await runCli(['statuss']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean status?');
    const help = await runCli(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: berth status \[options\]/);
  });
});
