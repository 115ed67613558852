/**
 * Questions to the person at the terminal (apply's y/N, destroy's typed name). Only with a TTY on
 * stdin and stdout; otherwise there is nobody to ask and the caller must refuse instead.
 */
import type { Reporter } from '../output/reporter.js';

/** Ask one question, get the answer (undefined when the input closed). */
export type Ask = (question: string) => Promise<string | undefined>;

export function terminalAsk(reporter: Reporter): Ask | undefined {
  if (!reporter.caps.canPrompt) return undefined;
  return async (question) => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return await rl.question(question);
    } catch {
      return undefined;
    } finally {
      rl.close();
    }
  };
}

export function isYes(answer: string | undefined): boolean {
  return /^\s*(y|yes)\s*$/i.test(answer ?? '');
}
