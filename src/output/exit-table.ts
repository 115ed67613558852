/**
 * The README's exit-code table, generated from src/output/exit-codes.ts (each code's doc comment,
 * or the `//` comment of its group) and src/output/command-exits.ts (what each command returns).
 * A code another engineer adds to EXIT with a doc comment appears here without any other edit;
 * test/output/exit-codes.test.ts fails until the README holds the regenerated table.
 */
import { COMMAND_EXITS, commandExitCodes } from './command-exits.js';

export interface ExitEntry {
  name: string;
  code: number;
  doc: string;
}

/** The EXIT entries of exit-codes.ts's source text, with their documentation. */
export function parseExitCodes(source: string): ExitEntry[] {
  const body = source.slice(source.indexOf('export const EXIT'));
  const out: ExitEntry[] = [];
  let group = '';
  let pendingDoc = '';
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const groupComment = /^\/\/\s*(.*)$/.exec(line);
    if (groupComment) {
      group = groupComment[1]!;
      continue;
    }
    const doc = /^\/\*\*\s*(.*?)\s*\*\/$/.exec(line);
    if (doc) {
      pendingDoc = doc[1]!;
      continue;
    }
    const entry = /^([A-Z][A-Z0-9_]*):\s*(\d+),?/.exec(line);
    if (entry) {
      out.push({ name: entry[1]!, code: Number(entry[2]), doc: pendingDoc || group });
      pendingDoc = '';
    }
    if (line.startsWith('}')) break;
  }
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export function exitCodeTables(source: string): string {
  const entries = parseExitCodes(source);
  const codes = [...new Set(entries.map((e) => e.code))].sort((a, b) => a - b);
  const byCode = codes.map((c) => {
    const es = entries.filter((e) => e.code === c);
    return `| ${c} | ${es.map((e) => `\`${e.name}\``).join(', ')} | ${cell(
      es
        .map((e) => e.doc)
        .filter((d, i, a) => d && a.indexOf(d) === i)
        .join(' · '),
    )} |`;
  });
  const commands = Object.keys(COMMAND_EXITS).map(
    (cmd) =>
      `| \`berth ${cmd}\` | ${commandExitCodes(cmd)
        .map(([c, m]) => `${c} ${cell(m)}`)
        .join(' · ')} |`,
  );
  return [
    '| code | name in `src/output/exit-codes.ts` | meaning |',
    '| --- | --- | --- |',
    ...byCode,
    '',
    '| command | exit codes |',
    '| --- | --- |',
    ...commands,
  ].join('\n');
}

export const TABLE_BEGIN =
  '<!-- exit-codes:begin (generated from src/output/exit-codes.ts and src/output/command-exits.ts; test/output/exit-codes.test.ts) -->';
export const TABLE_END = '<!-- exit-codes:end -->';
