/**
 * The completion scripts for bash, zsh and fish, generated from a CompletionModel. Pure.
 * Environment names come from `${BERTH_PROJECT_DIR:-.}/environments/*.json` (plus the built-in
 * `sandbox`) when the user presses Tab; service names from `berth completion --services <env>`.
 */
import { ENV_FLAGS, SERVICE_FLAGS, type CompletionModel, type FlagInfo, type Shell } from './model.js';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const words = (xs: string[]) => xs.join(' ');
const names = (f: FlagInfo) => [f.long, ...(f.short ? [f.short] : [])];
const valueFlags = (m: CompletionModel) => [...new Set(m.runnable.flatMap((c) => c.flags.filter((f) => f.takesValue).flatMap(names)))];

/** Shell functions shared by bash and zsh (POSIX case): flags of a command, subcommands of a group. */
function sharedTables(m: CompletionModel): string {
  const flags = m.runnable.map((c) => `    ${q(c.path)}) echo ${q(words(c.flags.flatMap(names)))} ;;`);
  const groups = Object.entries(m.groups).map(([g, subs]) => `    ${q(g)}) echo ${q(words(subs.map((s) => s.name)))} ;;`);
  return [
    '__berth_commands() { echo ' + q(words(m.commands.map((c) => c.name))) + '; }',
    '__berth_flags() {',
    '  case "$1" in',
    ...flags,
    '  esac',
    '}',
    '__berth_subcommands() {',
    '  case "$1" in',
    ...groups,
    '  esac',
    '}',
    `__berth_value_flags=${q(' ' + words(valueFlags(m)) + ' ')}`,
    '__berth_envs() {',
    '  local f',
    '  for f in "${BERTH_PROJECT_DIR:-.}"/environments/*.json; do [ -e "$f" ] && basename "$f" .json; done',
    '  echo sandbox',
    '}',
    '__berth_services() { berth completion --services "$1" 2>/dev/null; }',
    // The command path and the --env value in the words before the cursor.
    '__berth_scan() {',
    '  __berth_cmd=""; __berth_env=""',
    '  local expect="" w',
    '  for w in "$@"; do',
    '    if [ -n "$expect" ]; then [ "$expect" = env ] && __berth_env="$w"; expect=""; continue; fi',
    '    case "$w" in',
    `      ${ENV_FLAGS.map((f) => `${f}|-e`).join('|')}) expect=env; continue ;;`,
    '      --*=*) continue ;;',
    '      -*) case "$__berth_value_flags" in *" $w "*) expect=value ;; esac; continue ;;',
    '    esac',
    '    if [ -z "$__berth_cmd" ]; then __berth_cmd="$w"',
    '    elif [ -n "$(__berth_subcommands "$__berth_cmd")" ] && [ "${__berth_cmd#* }" = "$__berth_cmd" ]; then',
    '      __berth_cmd="$__berth_cmd $w"',
    '    fi',
    '  done',
    '}',
    // What to offer: prints candidates, or "__files__" for a file path.
    '__berth_candidates() {',
    '  local prev="$1" cur="$2"',
    '  case "$prev" in',
    `    ${ENV_FLAGS.join('|')}|-e) __berth_envs; return ;;`,
    `    ${SERVICE_FLAGS.join('|')}|-s) [ -n "$__berth_env" ] && __berth_services "$__berth_env"; return ;;`,
    '  esac',
    '  case "$__berth_value_flags" in *" $prev "*) echo __files__; return ;; esac',
    '  if [ "${cur#-}" != "$cur" ]; then __berth_flags "$__berth_cmd"; echo --help; return; fi',
    '  if [ -z "$__berth_cmd" ]; then __berth_commands; return; fi',
    '  if [ "${__berth_cmd#* }" = "$__berth_cmd" ]; then __berth_subcommands "$__berth_cmd"; fi',
    '}',
  ].join('\n');
}

function bash(m: CompletionModel): string {
  return [
    '# berth completion for bash. Add to ~/.bashrc:  source <(berth completion bash)',
    sharedTables(m),
    '_berth() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  __berth_scan "${COMP_WORDS[@]:1:COMP_CWORD-1}"',
    '  local c; c="$(__berth_candidates "$prev" "$cur")"',
    '  if [ "$c" = __files__ ]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi',
    '  COMPREPLY=($(compgen -W "$c" -- "$cur"))',
    '}',
    'complete -F _berth berth',
    '',
  ].join('\n');
}

function zsh(m: CompletionModel): string {
  return [
    '#compdef berth',
    '# berth completion for zsh. Add to ~/.zshrc (after compinit):  source <(berth completion zsh)',
    sharedTables(m),
    '_berth() {',
    '  local cur="${words[CURRENT]}" prev="${words[CURRENT-1]}"',
    '  __berth_scan "${(@)words[2,CURRENT-1]}"',
    '  local c; c="$(__berth_candidates "$prev" "$cur")"',
    '  if [ "$c" = __files__ ]; then _files; return; fi',
    '  compadd -- ${=c}',
    '}',
    'compdef _berth berth',
    '',
  ].join('\n');
}

/** `-l env -s e -r -a '(__berth_envs)'`: the flag, and what its value completes from. */
function fishFlag(f: FlagInfo): string {
  const from = ENV_FLAGS.includes(f.long) ? '__berth_envs' : SERVICE_FLAGS.includes(f.long) ? '__berth_services' : undefined;
  // -x: a value from the list only (no file names); -r -F: any value, file names offered.
  const values = from ? ` -x -a '(${from})'` : f.takesValue ? ' -r -F' : '';
  return `-l ${f.long.slice(2)}${f.short ? ` -s ${f.short.slice(1)}` : ''}${values}`;
}

function fish(m: CompletionModel): string {
  const groupNames = Object.keys(m.groups);
  const out = [
    '# berth completion for fish:  berth completion fish > ~/.config/fish/completions/berth.fish',
    'function __berth_envs',
    '    set -l dir .; set -q BERTH_PROJECT_DIR; and set dir $BERTH_PROJECT_DIR',
    '    for f in $dir/environments/*.json; basename $f .json; end',
    '    echo sandbox',
    'end',
    'function __berth_services',
    '    set -l words (commandline -opc)',
    '    set -l i (contains -i -- --env $words; or contains -i -- -e $words)',
    '    test -n "$i"; and berth completion --services $words[(math $i + 1)] 2>/dev/null',
    'end',
    'complete -c berth -f',
    ...m.commands.map((c) => `complete -c berth -n __fish_use_subcommand -a ${q(c.name)} -d ${q(c.description.slice(0, 80))}`),
  ];
  for (const g of groupNames) {
    const subs = m.groups[g]!;
    const cond = q(`__fish_seen_subcommand_from ${g}; and not __fish_seen_subcommand_from ${words(subs.map((x) => x.name))}`);
    out.push(...subs.map((s) => `complete -c berth -n ${cond} -a ${q(s.name)} -d ${q(s.description.slice(0, 80))}`));
  }
  for (const c of m.runnable) {
    const [first, sub] = c.path.split(' ');
    const cond = `__fish_seen_subcommand_from ${first}${sub ? `; and __fish_seen_subcommand_from ${sub}` : ''}`;
    for (const f of c.flags) out.push(`complete -c berth -n ${q(cond)} ${fishFlag(f)} -d ${q(f.description.slice(0, 80))}`);
  }
  return out.join('\n') + '\n';
}

export function completionScript(shell: Shell, m: CompletionModel): string {
  return shell === 'bash' ? bash(m) : shell === 'zsh' ? zsh(m) : fish(m);
}
