import { Option, type Command } from 'commander';
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
  program
    .command('completion')
    .description(`Print the completion script for bash, zsh or fish (commands, flags, environments, services).\n${exitHelp('completion')}`)
    .argument('[shell]', 'bash, zsh or fish')
    // Called by the scripts at Tab time: the service names of an environment (nothing on any error).
    .addOption(new Option('--services <env>').hideHelp())
    .addHelpText('after', USAGE)
    .action(
      action<{ services?: string; json?: boolean }>(async (opts, _out, [shell]) => {
        const { currentIO } = await import('../io.js');
        if (opts.services !== undefined) return void currentIO().stdout.write(await serviceNames(opts.services));
        const { SHELLS } = await import('../../src/completion/model.js');
        const { UsageError } = await import('../../src/output/errors.js');
        if (!(SHELLS as readonly string[]).includes(shell ?? ''))
          throw new UsageError(`shell "${shell ?? ''}": expected one of ${SHELLS.join(', ')}.`);
        const { completionScript } = await import('../../src/completion/scripts.js');
        // The script itself, verbatim (not through the reporter, which would redact and reflow it).
        currentIO().stdout.write(completionScript(shell as 'bash', completionModel(program)));
      }),
    );
}

/** One service name a line, or nothing when the environment does not load. */
async function serviceNames(env: string): Promise<string> {
  try {
    const { loadEnvironment } = await import('../../src/config/load.js');
    return loadEnvironment(env)
      .services.map((s) => `${s.name}\n`)
      .join('');
  } catch {
    return '';
  }
}
