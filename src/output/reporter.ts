/**
 * The one way commands talk to the person or the script running them.
 *
 * - `--json`: stdout carries exactly one JSON document (redacted); progress goes to stderr as plain lines.
 * - a rich terminal: colour, and an ora spinner per step.
 * - anything else (CI, a pipe, NO_COLOR): plain lines, one per change, no escape codes.
 */
import { redact, redactValue } from './redact.js';
import { canRedraw, terminalCaps, type TerminalCaps } from './terminal.js';

export interface Step {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  warn(text?: string): void;
}

export interface ReporterOptions {
  json?: boolean;
  caps?: TerminalCaps;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Suppress progress lines entirely (tests, nested runs). */
  quiet?: boolean;
}

type Style = 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'bold';
type Paint = (style: Style, s: string) => string;

let chalkMod: typeof import('chalk').default | undefined;
async function loadChalk() {
  if (!chalkMod) chalkMod = (await import('chalk')).default;
  return chalkMod;
}

export class Reporter {
  readonly json: boolean;
  readonly caps: TerminalCaps;
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;
  private readonly quiet: boolean;
  private paintFn: Paint = (_s, x) => x;
  /** Spinners still turning: close() stops them, so none outlives its command. */
  private readonly spinning = new Set<{ stop(): unknown }>();

  constructor(opts: ReporterOptions = {}) {
    this.json = Boolean(opts.json);
    this.caps = opts.caps ?? terminalCaps();
    this.out = opts.out ?? process.stdout;
    this.err = opts.err ?? process.stderr;
    this.quiet = Boolean(opts.quiet);
  }

  /** Colour support is loaded lazily; call once before printing styled text. */
  async init(): Promise<this> {
    if (this.caps.rich && !this.json) {
      const chalk = await loadChalk();
      this.paintFn = (style, s) => chalk[style](s);
    }
    return this;
  }

  get rich(): boolean {
    return this.caps.rich && !this.json;
  }

  paint(style: Style, s: string): string {
    return this.paintFn(style, s);
  }

  /** Human text meant as the command's main output (stdout, or stderr under --json). */
  print(text: string): void {
    (this.json ? this.err : this.out).write(redact(text) + '\n');
  }

  /** The stream results go to (a streaming command writes to it directly). */
  get stdout(): NodeJS.WritableStream {
    return this.out;
  }

  /** Raw text on stdout (a terminal redraw); redacted like everything else. */
  raw(text: string): void {
    this.out.write(redact(text));
  }

  info(text: string): void {
    if (!this.quiet) this.err.write(redact(text) + '\n');
  }

  warn(text: string): void {
    this.err.write(this.paint('yellow', 'warning: ') + redact(text) + '\n');
  }

  error(text: string, hint?: string): void {
    this.err.write(this.paint('red', 'error: ') + redact(text) + '\n');
    if (hint) this.err.write(this.paint('dim', 'hint: ') + redact(hint) + '\n');
  }

  /** Emit the command's result: JSON on --json, otherwise the human rendering. */
  result(data: unknown, human: () => string): void {
    if (this.json) this.out.write(JSON.stringify(redactValue(data), null, 2) + '\n');
    else {
      const text = human();
      if (text) this.out.write(redact(text) + (text.endsWith('\n') ? '' : '\n'));
    }
  }

  /** The command has ended: stop every spinner still turning (its timer would keep the process alive). */
  close(): void {
    for (const s of this.spinning) s.stop();
    this.spinning.clear();
  }

  /** A unit of progress: a spinner on a rich terminal, plain lines otherwise. */
  async step(text: string): Promise<Step> {
    if (this.quiet) return { update() {}, succeed() {}, fail() {}, warn() {} };
    // The spinner draws on the error stream: only where that stream can hold a redrawn line.
    if (this.rich && canRedraw(this.err as { isTTY?: boolean; columns?: number })) {
      const { default: ora } = await import('ora');
      const spinner = ora({ text: redact(text), stream: this.err as NodeJS.WriteStream }).start();
      this.spinning.add(spinner);
      const end = (how: 'succeed' | 'fail' | 'warn', t?: string) => {
        this.spinning.delete(spinner);
        spinner[how](t ? redact(t) : undefined);
      };
      return {
        update: (t) => (spinner.text = redact(t)),
        succeed: (t) => end('succeed', t),
        fail: (t) => end('fail', t),
        warn: (t) => end('warn', t),
      };
    }
    let last = '';
    const line = (prefix: string, t: string) => {
      const s = `${prefix}${redact(t)}`;
      if (s !== last) this.err.write(s + '\n');
      last = s;
    };
    line('… ', text);
    return {
      update: (t) => line('… ', t),
      succeed: (t) => line('ok ', t ?? text),
      fail: (t) => line('FAIL ', t ?? text),
      warn: (t) => line('warn ', t ?? text),
    };
  }
}
