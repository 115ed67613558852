/**
 * Progress of a walk over stacks, one line per stack. On a plain stream (CI, a pipe, --json's
 * stderr) each stack gets the Reporter's own step lines. On a terminal several stacks run at once,
 * and one ora spinner per stack would fight over the same line: there, a single spinner names the
 * stacks in flight and each finished stack leaves one persistent line (✔ / ✖ / ⚠) behind it.
 */
import type { Reporter, Step } from '../output/reporter.js';

export interface StackLine {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  warn(text: string): void;
}

const NOOP: StackLine = { update() {}, succeed() {}, fail() {}, warn() {} };

export class StackProgress {
  private readonly running = new Map<string, string>();
  private spinner: Step | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly reporter: Reporter | undefined,
    /** What is happening, for the shared spinner: "planning", "applying"... */
    private readonly verb: string,
  ) {}

  /** Serialise spinner operations (Reporter.step is async). */
  private queue(fn: () => Promise<void> | void): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next as Promise<void>;
  }

  private label(): string {
    const names = [...this.running.keys()];
    return `${this.verb} ${names.join(', ')}`;
  }

  async start(stack: string, text: string): Promise<StackLine> {
    const r = this.reporter;
    if (!r) return NOOP;
    if (!r.rich) {
      const step = await r.step(text);
      return { update: (t) => step.update(t), succeed: (t) => step.succeed(t), fail: (t) => step.fail(t), warn: (t) => step.warn(t) };
    }
    this.running.set(stack, text);
    await this.queue(async () => {
      if (this.spinner) this.spinner.update(this.label());
      else this.spinner = await r.step(this.label());
    });
    const finish = (how: 'succeed' | 'fail' | 'warn', t: string) =>
      void this.queue(async () => {
        this.running.delete(stack);
        const s = this.spinner;
        this.spinner = undefined;
        if (s) s[how](t);
        else (await r.step(t))[how](t);
        if (this.running.size) this.spinner = await r.step(this.label());
      });
    return {
      update: () => void this.queue(() => this.spinner?.update(this.label())),
      succeed: (t) => finish('succeed', t),
      fail: (t) => finish('fail', t),
      warn: (t) => finish('warn', t),
    };
  }

  /** One finished line for a stack that did not need to run (waiting, nothing to do). */
  async once(how: 'succeed' | 'warn', text: string): Promise<void> {
    const r = this.reporter;
    if (!r) return;
    if (!r.rich) {
      r.info(`${how === 'succeed' ? 'ok' : 'wait'} ${text}`);
      return;
    }
    await this.queue(async () => {
      const s = this.spinner;
      this.spinner = undefined;
      if (s) s[how](text);
      else (await r.step(text))[how](text);
      if (this.running.size) this.spinner = await r.step(this.label());
    });
  }

  /** Wait until every line is drawn (call before printing anything else). */
  async flush(): Promise<void> {
    await this.chain;
  }
}
