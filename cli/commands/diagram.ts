import type { Command } from 'commander';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

interface Opts {
  env: string;
  format: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('diagram')
    .description(
      "The platform's picture from its synthesized stacks: internet, DNS and certificate, the ALB's listeners and path rules, " +
        'services, subnets, ' +
        'NAT, Aurora, Redis, secrets (names only), alarms, and the security-group chain with ports.\n' +
        exitHelp('diagram'),
    )
    .requiredOption('-e, --env <env>', 'environment name or path to a .json file')
    .option('-f, --format <format>', 'mermaid | drawio | svg | html', 'mermaid')
    .option('-o, --out <file>', 'write to this file (new, or one berth diagram wrote) instead of stdout')
    .option('--json', 'a JSON document: the model (groups, nodes, edges) and where the output went')
    .action(
      action<Opts>(async (opts, out) => {
        const { DIAGRAM_FORMATS, renderDiagram } = await import('../../src/diagram/render.js');
        const { UsageError } = await import('../../src/output/errors.js');
        const format = opts.format as (typeof DIAGRAM_FORMATS)[number];
        if (!DIAGRAM_FORMATS.includes(format))
          throw new UsageError(`--format "${opts.format}" is not one of ${DIAGRAM_FORMATS.join(', ')}.`);
        const { checkDiagramTarget, writeDiagram } = await import('../../src/diagram/write.js');
        const target = opts.out ? checkDiagramTarget(opts.out) : undefined;
        const { loadEnvironment } = await import('../../src/config/load.js');
        const env = loadEnvironment(opts.env);
        const { synthEnvironment } = await import('../../stacks/synth.js');
        const { diagramOf } = await import('../../src/diagram/run.js');
        const diagram = await diagramOf(env, (e) => synthEnvironment(e));
        const text = await renderDiagram(diagram, format);
        if (target) writeDiagram(target, text);
        if (opts.json) out.result({ ok: true, format, out: target ?? null, diagram, text: target ? undefined : text }, () => '');
        else if (target) out.info(`Wrote the ${format} diagram of ${env.name} to ${target}`);
        else out.stdout.write(text);
      }),
    );
}
