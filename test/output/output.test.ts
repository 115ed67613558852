import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redact, redactValue, registerSecret } from '../../src/output/redact.js';
import { Reporter } from '../../src/output/reporter.js';
import { terminalCaps } from '../../src/output/terminal.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(c, _e, cb) {
      text += String(c);
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('redaction', () => {
  it('masks credentials in URLs, assignments and JSON', () => {
    expect(redact('rediss://:s3cr3tT0ken@master.redis:6379/0')).toBe('rediss://:****@master.redis:6379/0');
    expect(redact('postgres://app:hunter22@db:5432/app')).toBe('postgres://app:****@db:5432/app');
    expect(redact('url?password=abc123&x=1')).toBe('url?password=****&x=1');
    expect(redact('{"auth_token": "zzzzzz", "host": "h"}')).toBe('{"auth_token": "****", "host": "h"}');
  });
  it('leaves ordinary prose alone', () => {
    expect(redact('cache.authToken: found true; expected false')).toBe('cache.authToken: found true; expected false');
  });
  it('masks registered values anywhere', () => {
    registerSecret('registered-value-42');
    expect(redact('token is registered-value-42.')).toBe('token is ****.');
  });
  it('deep-redacts secret-named keys but keeps references', () => {
    expect(redactValue({ password: 'x1', nested: [{ apiKey: 'k' }], DATABASE_PASSWORD: '@database:password', ok: 'fine' })).toEqual({
      password: '****',
      nested: [{ apiKey: '****' }],
      DATABASE_PASSWORD: '@database:password',
      ok: 'fine',
    });
  });
});

describe('terminal awareness', () => {
  it('is rich only on a TTY without NO_COLOR', () => {
    expect(terminalCaps({}, { isTTY: true }, { isTTY: true })).toEqual({ rich: true, canPrompt: true });
    expect(terminalCaps({ NO_COLOR: '1' }, { isTTY: true }, { isTTY: true }).rich).toBe(false);
    expect(terminalCaps({}, { isTTY: false }, { isTTY: true })).toEqual({ rich: false, canPrompt: false });
    expect(terminalCaps({}, { isTTY: true }, { isTTY: false }).canPrompt).toBe(false);
  });

  it('prints plain progress lines without escape codes, once per change', async () => {
    const out = sink();
    const err = sink();
    const r = await new Reporter({ caps: { rich: false, canPrompt: false }, out: out.stream, err: err.stream }).init();
    const s = await r.step('planning network');
    s.update('planning network');
    s.update('planning network: 3 to add');
    s.succeed();
    expect(err.text()).toBe('… planning network\n… planning network: 3 to add\nok planning network\n');
    // eslint-disable-next-line no-control-regex -- the escape codes are what is checked
    expect(err.text()).not.toMatch(/\x1b\[/);
  });

  it('--json puts exactly one redacted document on stdout', async () => {
    const out = sink();
    const err = sink();
    const r = await new Reporter({ json: true, caps: { rich: true, canPrompt: true }, out: out.stream, err: err.stream }).init();
    r.print('human text goes to stderr');
    r.result({ url: 'rediss://:tok123456@h:6379/0' }, () => 'ignored');
    expect(JSON.parse(out.text())).toEqual({ url: 'rediss://:****@h:6379/0' });
    expect(err.text()).toContain('human text');
  });
});
