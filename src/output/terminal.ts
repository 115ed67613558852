/**
 * What kind of terminal we are talking to. Colour and spinners only on an interactive terminal
 * without NO_COLOR; prompts only with a TTY on stdin.
 */
export interface TerminalCaps {
  /** stdout is a TTY and NO_COLOR is not set: colour and spinners allowed. */
  rich: boolean;
  /** stdin and stdout are TTYs: a prompt can be answered. */
  canPrompt: boolean;
}

export function terminalCaps(
  env: NodeJS.ProcessEnv = process.env,
  stdout: { isTTY?: boolean } = process.stdout,
  stdin: { isTTY?: boolean } = process.stdin,
): TerminalCaps {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const dumb = env.TERM === 'dumb';
  const tty = Boolean(stdout.isTTY);
  return { rich: tty && !noColor && !dumb, canPrompt: tty && Boolean(stdin.isTTY) };
}
