/** #10: a spinner never draws on a terminal that cannot hold it, and never outlives its command. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Reporter } from '../../src/output/reporter.js';
import { canRedraw, terminalCaps } from '../../src/output/terminal.js';

function tty(columns: number | undefined) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk);
        cb();
      },
    }),
    // What ora needs of a TTY stream.
    { isTTY: true, columns, cursorTo: () => true, moveCursor: () => true, clearLine: () => true },
  );
  return { stream, text: () => text };
}

describe('spinner bounds', () => {
  it('a terminal that reports 0 (or too few) columns gets plain lines, not a spinner', async () => {
    expect(canRedraw({ isTTY: true, columns: 0 })).toBe(false);
    expect(canRedraw({ isTTY: true, columns: 5 })).toBe(false);
    expect(canRedraw({ isTTY: true, columns: 80 })).toBe(true);
    expect(terminalCaps({}, { isTTY: true, columns: 0 }, { isTTY: true }).rich).toBe(false);
    const err = tty(0);
    const r = await new Reporter({ caps: { rich: true, canPrompt: false }, out: tty(0).stream, err: err.stream }).init();
    const s = await r.step('deploying');
    await new Promise((res) => setTimeout(res, 250));
    s.succeed('deployed');
    expect(err.text()).toBe('… deploying\nok deployed\n');
  });

  it('close() stops a spinner its command never ended: nothing is drawn after', async () => {
    const err = tty(80);
    const r = await new Reporter({ caps: { rich: true, canPrompt: false }, out: tty(80).stream, err: err.stream }).init();
    await r.step('doctor: examining prod');
    await new Promise((res) => setTimeout(res, 200));
    expect(err.text()).toContain('doctor: examining prod');
    r.close();
    const after = err.text().length;
    await new Promise((res) => setTimeout(res, 300));
    expect(err.text().length).toBe(after);
  });
});
