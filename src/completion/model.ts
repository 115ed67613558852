/**
 * What shell completion knows about berth: its commands, their subcommands and flags. Built from
 * the commander program at `berth completion <shell>` time (cli/commands/completion.ts), so it can
 * never list a flag that does not exist. Environment names are read at completion time from
 * environments/*.json; service names from `berth completion --services <env>`.
 */
export interface FlagInfo {
  /** `--env`, and the short form `-e` when there is one. */
  long: string;
  short?: string;
  takesValue: boolean;
  description: string;
}

export interface CommandInfo {
  /** `plan`, or `sandbox up` for a subcommand. */
  path: string;
  description: string;
  flags: FlagInfo[];
}

export interface CompletionModel {
  /** Top-level command names, in help order. */
  commands: { name: string; description: string }[];
  /** Commands that only group subcommands (config, sandbox), with their subcommands. */
  groups: Record<string, { name: string; description: string }[]>;
  /** Every runnable command, with its flags. */
  runnable: CommandInfo[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags whose value is an environment name or a service name (completed from the project). */
export const ENV_FLAGS = ['--env'];
export const SERVICE_FLAGS = ['--service'];
