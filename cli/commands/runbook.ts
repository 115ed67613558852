import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

export function register(program: Command): void {
  program
    .command('runbook')
    .description(
      'List the runbooks (incidents and checklists from operating this platform), or print one with the doctor check or command for each step.\n' +
        exitHelp('runbook'),
    )
    .argument('[name]', 'the runbook to print (default: list them)')
    .option('--json', 'machine-readable output')
    .action(
      action<{ json?: boolean }>(async (_opts, out, [name]) => {
        const { RUNBOOKS, runbook } = await import('../../src/runbooks/catalog.js');
        const { renderList, renderRunbook } = await import('../../src/runbooks/render.js');
        const paint = (s: 'dim' | 'bold' | 'cyan', x: string) => out.paint(s, x);
        if (!name) {
          out.result({ runbooks: RUNBOOKS.map((r) => ({ name: r.name, kind: r.kind, title: r.title, summary: r.summary })) }, () =>
            renderList(RUNBOOKS, paint),
          );
          return 0;
        }
        const r = runbook(name);
        if (!r) {
          const { UsageError } = await import('../../src/output/errors.js');
          throw new UsageError(`no runbook "${name}"; expected one of ${RUNBOOKS.map((x) => x.name).join(', ')}`, {
            code: 'usage.unknown-name',
          });
        }
        out.result(r, () => renderRunbook(r, paint));
        return 0;
      }),
    );
}
