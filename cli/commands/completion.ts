import type { Command, Option } from 'commander';
import type { CompletionModel, FlagInfo } from '../../src/completion/model.js';
import { exitHelp } from '../../src/output/command-exits.js';
import { action } from '../run.js';

/** The completion model, read off the commander program itself (every command, subcommand and flag). */
export function completionModel(program: Command): CompletionModel {
  const flags = (c: Command): FlagInfo[] =>
    c.options
      .filter((o: Option) => o.long && !o.hidden)
      .map((o: Option) => {
        const short = o.short ? { short: o.short } : {};
        return { long: o.long!, ...short, takesValue: o.required || o.optional, description: o.description };
      });
  const visible = (c: Command) => c.commands.filter((x) => !(x as unknown as { _hidden?: boolean })._hidden);
  const model: CompletionModel = { commands: [], groups: {}, runnable: [] };
  for (const c of visible(program)) {
    model.commands.push({ name: c.name(), description: c.description() });
    const subs = visible(c);
    if (subs.length) {
      model.groups[c.name()] = subs.map((s) => ({ name: s.name(), description: s.description() }));
      for (const s of subs) model.runnable.push({ path: `${c.name()} ${s.name()}`, description: s.description(), flags: flags(s) });
    } else model.runnable.push({ path: c.name(), description: c.description(), flags: flags(c) });
  }
  return model;
}

const USAGE = [
  '',
  'bash: source <(berth completion bash)   zsh: source <(berth completion zsh)',
  'fish: berth completion fish > ~/.config/fish/completions/berth.fish',
].join('\n');

export function register(program: Command): void {
  const completion = program
    .command('completion')
    .description(`Print the completion script for bash, zsh or fish (commands, flags, environments, services).\n${exitHelp('completion')}`)
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', USAGE)
    .action(
      action<Record<string, never>>(async (_opts, _out, [shell]) => {
        const { SHELLS } = await import('../../src/completion/model.js');
        const { UsageError } = await import('../../src/output/errors.js');
        if (!(SHELLS as readonly string[]).includes(shell!))
          throw new UsageError(`shell "${shell}": expected one of ${SHELLS.join(', ')}.`);
        const { completionScript } = await import('../../src/completion/scripts.js');
        // The script itself, verbatim (not through the reporter, which would redact and reflow it).
        const { currentIO } = await import('../io.js');
        currentIO().stdout.write(completionScript(shell as 'bash', completionModel(program)));
      }),
    );
  // Called by the scripts at Tab time: the service names of an environment (nothing on any error).
  completion
    .command('services', { hidden: true })
    .argument('<env>')
    .action(
      action<Record<string, never>>(async (_opts, out, [env]) => {
        const { loadEnvironment } = await import('../../src/config/load.js');
        try {
          out.result([], () => loadEnvironment(env!).services.map((s) => s.name).join('\n'));
        } catch {
          /* completion stays quiet */
        }
      }),
    );
}
