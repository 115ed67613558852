/**
 * Progress lines of a walk over stacks: plain (CI) gets the Reporter's step lines per stack; a
 * terminal gets one spinner for the stacks in flight and one persistent line per finished stack.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Reporter } from '../../src/output/reporter.js';
import { StackProgress } from '../../src/terraform/progress.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

async function walk(progress: StackProgress) {
  const a = await progress.start('net', 'net: planning');
  const b = await progress.start('reg', 'reg: planning');
  await progress.once('warn', 'svc: waits on net');
  b.succeed('reg: 2 to add');
  a.fail('net: plan failed');
  await progress.flush();
}

describe('StackProgress', () => {
  it('plain: a start line and an end line per stack, a single line for a waiting one, no escape codes', async () => {
    const err = sink();
    const reporter = new Reporter({ caps: { rich: false, canPrompt: false }, err: err.stream, out: sink().stream });
    await walk(new StackProgress(reporter, 'planning'));
    expect(err.text().split('\n').filter(Boolean)).toEqual([
      '… net: planning',
      '… reg: planning',
      'wait svc: waits on net',
      'ok reg: 2 to add',
      'FAIL net: plan failed',
    ]);
  });

  it('terminal: every finished stack leaves exactly one line behind, in the order they finished', async () => {
    const err = sink();
    const reporter = await new Reporter({ caps: { rich: true, canPrompt: false }, err: err.stream, out: sink().stream }).init();
    await walk(new StackProgress(reporter, 'planning'));
    const persisted = err
      .text()
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .split('\n')
      .filter((l) => /svc: waits|reg: 2 to add|net: plan failed/.test(l));
    expect(persisted.map((l) => l.replace(/^\S+\s+/, ''))).toEqual(['svc: waits on net', 'reg: 2 to add', 'net: plan failed']);
  });

  it('without a reporter, nothing is written and nothing fails', async () => {
    await walk(new StackProgress(undefined, 'planning'));
  });
});
