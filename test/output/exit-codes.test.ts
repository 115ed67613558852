/**
 * One exit-code table: the README's is generated from src/output/exit-codes.ts and the per-command
 * lists (regenerate it with BERTH_UPDATE_DOCS=1 npx vitest run test/output/exit-codes.test.ts),
 * every command's --help states its codes from the same constants, and every code a command names
 * exists in EXIT.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/index.js';
import { awsConditionCodes, COMMAND_EXITS, commandExitCodes, exitHelp } from '../../src/output/command-exits.js';
import { EXIT } from '../../src/output/exit-codes.js';
import { exitCodeTables, parseExitCodes, TABLE_BEGIN, TABLE_END } from '../../src/output/exit-table.js';

const SOURCE = readFileSync(new URL('../../src/output/exit-codes.ts', import.meta.url), 'utf8');
const README = new URL('../../README.md', import.meta.url);

function leafCommands(c: Command, prefix = ''): Array<[string, Command]> {
  return c.commands.flatMap((s) => {
    const name = prefix ? `${prefix} ${s.name()}` : s.name();
    return s.commands.length ? leafCommands(s, name) : [[name, s] as [string, Command]];
  });
}

describe('exit codes', () => {
  it('the source table parses to exactly EXIT, every entry documented', () => {
    const parsed = parseExitCodes(SOURCE);
    expect(Object.fromEntries(parsed.map((e) => [e.name, e.code]))).toEqual({ ...EXIT });
    for (const e of parsed) expect(e.doc, e.name).not.toBe('');
  });

  it('the README holds the generated tables', () => {
    const table = exitCodeTables(SOURCE);
    const text = readFileSync(README, 'utf8');
    const begin = text.indexOf(TABLE_BEGIN);
    const end = text.indexOf(TABLE_END);
    if (process.env.BERTH_UPDATE_DOCS) {
      expect(begin, 'README has the exit-code markers').toBeGreaterThan(0);
      writeFileSync(README, text.slice(0, begin + TABLE_BEGIN.length) + '\n' + table + '\n' + text.slice(end));
      return;
    }
    expect(begin, 'README has the exit-code markers').toBeGreaterThan(0);
    expect(
      text.slice(begin + TABLE_BEGIN.length, end).trim(),
      'regenerate: BERTH_UPDATE_DOCS=1 npx vitest run test/output/exit-codes.test.ts',
    ).toBe(table);
  });

  it('every command has an exit-code list, and its --help states it', async () => {
    const program = await buildProgram();
    const leaves = leafCommands(program);
    for (const [name, cmd] of leaves) {
      expect(COMMAND_EXITS[name], `COMMAND_EXITS["${name}"]`).toBeDefined();
      expect(cmd.description(), `${name} --help`).toContain(exitHelp(name));
    }
    const known = new Set([...leaves.map(([n]) => n), 'help']);
    for (const name of Object.keys(COMMAND_EXITS)) expect(known.has(name), `COMMAND_EXITS["${name}"] names a command`).toBe(true);
  });

  it('every code a command returns is in EXIT; AWS commands pick up the AWS-condition range (20-29) by themselves', () => {
    const values = new Set<number>(Object.values(EXIT));
    for (const name of Object.keys(COMMAND_EXITS))
      for (const [code] of commandExitCodes(name)) expect(values.has(code), `${name}: ${code}`).toBe(true);
    for (const [code] of awsConditionCodes()) {
      expect(commandExitCodes('deploy').map(([c]) => c)).toContain(code);
      expect(commandExitCodes('synth').map(([c]) => c)).not.toContain(code);
    }
  });
});
