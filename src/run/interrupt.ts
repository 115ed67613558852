/**
 * Ctrl-C while a one-off task runs: berth never just walks away from a task it started. With a
 * terminal it asks whether to stop the task (--yes: stops it without asking); without one it stops
 * it only with --yes, else leaves it running and says so with the task id and how to stop it.
 */
export type InterruptChoice = 'stop' | 'leave';

export async function interruptChoice(p: {
  yes: boolean;
  interactive: boolean;
  taskId: string;
  ask: (q: string) => Promise<boolean>;
}): Promise<InterruptChoice> {
  if (p.yes) return 'stop';
  if (!p.interactive) return 'leave';
  return (await p.ask(`\nStop the one-off task ${p.taskId}?`)) ? 'stop' : 'leave';
}

/** Listen for SIGINT (which then no longer ends the process) until the returned function is called. */
export function onInterrupt(handler: () => void): () => void {
  const fn = () => handler();
  process.on('SIGINT', fn);
  return () => process.removeListener('SIGINT', fn);
}
