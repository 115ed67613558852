/** The berth commands and flags a workflow's shell steps run (shared by the template and package tests). */
export interface BerthCall {
  command: string;
  flags: string[];
}

/** Every `berth <command> ...flags` in a shell script. */
export function berthCalls(script: string): BerthCall[] {
  const out: BerthCall[] = [];
  for (const line of script.split('\n')) {
    const m = /\bberth\s+([a-z][a-z-]*)([^|;&>\n]*)/.exec(line.replace(/#.*$/, ''));
    if (m) out.push({ command: m[1]!, flags: [...m[2]!.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((x) => x[1]!) });
  }
  return out;
}

/** Does a command's --help text list this flag? */
export const helpHasFlag = (help: string, flag: string) => new RegExp(`(^|[\\s,])${flag}\\b`, 'm').test(help);
