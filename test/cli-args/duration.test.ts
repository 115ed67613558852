import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli-args/duration.js';
import { fmtDuration } from '../../src/rollout/verdict.js';

describe('durations', () => {
  it('parses 90s, 10m, 1h, 1h30m, 500ms and plain seconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('1.5m')).toBe(90_000);
  });

  it('rejects anything else as a usage error', () => {
    for (const bad of ['', 'soon', '10x', '-5m', 'm10', '10m junk', '0s']) {
      expect(() => parseDuration(bad, '--timeout'), bad).toThrow(/--timeout/);
    }
  });

  it('formats for people', () => {
    expect(fmtDuration(45_000)).toBe('45s');
    expect(fmtDuration(900_000)).toBe('15m');
    expect(fmtDuration(95_000)).toBe('1m35s');
    expect(fmtDuration(5_400_000)).toBe('1h30m');
  });
});
