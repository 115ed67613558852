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

/** Narrower than this (or a terminal that reports 0 columns), a spinner line cannot be redrawn: plain lines instead. */
export const MIN_SPINNER_COLUMNS = 20;

type Tty = { isTTY?: boolean; columns?: number };

/** A stream a spinner can redraw on: a TTY that does not report an unusable width. */
export function canRedraw(s: Tty): boolean {
  return Boolean(s.isTTY) && (s.columns === undefined || (Number.isFinite(s.columns) && s.columns >= MIN_SPINNER_COLUMNS));
}

export function terminalCaps(
  env: NodeJS.ProcessEnv = process.env,
  stdout: Tty = process.stdout,
  stdin: { isTTY?: boolean } = process.stdin,
): TerminalCaps {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const dumb = env.TERM === 'dumb';
  const tty = Boolean(stdout.isTTY);
  return { rich: canRedraw(stdout) && !noColor && !dumb, canPrompt: tty && Boolean(stdin.isTTY) };
}
