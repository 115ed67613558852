import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/cli-args/since.js';

const NOW = Date.parse('2025-05-01T12:00:00Z');

describe('--since', () => {
  it('durations count back from now', () => {
    expect(parseSince('10m', NOW)).toBe(NOW - 600_000);
    expect(parseSince('2h', NOW)).toBe(NOW - 7_200_000);
    expect(parseSince('1h30m', NOW)).toBe(NOW - 5_400_000);
    expect(parseSince('1d', NOW)).toBe(NOW - 86_400_000);
    expect(parseSince('90s', NOW)).toBe(NOW - 90_000);
  });

  it('ISO times: with Z, with an offset, without a zone (UTC), a bare date', () => {
    expect(parseSince('2025-05-01T10:00:00Z', NOW)).toBe(Date.parse('2025-05-01T10:00:00Z'));
    expect(parseSince('2025-05-01T19:00:00+09:00', NOW)).toBe(Date.parse('2025-05-01T10:00:00Z'));
    expect(parseSince('2025-05-01T10:00:00.250', NOW)).toBe(Date.parse('2025-05-01T10:00:00.250Z'));
    expect(parseSince('2025-05-01 10:00', NOW)).toBe(Date.parse('2025-05-01T10:00:00Z'));
    expect(parseSince('2025-04-30', NOW)).toBe(Date.parse('2025-04-30T00:00:00Z'));
  });

  it('rejects the rest with exit code 2', () => {
    for (const bad of ['', 'yesterday', '10 minutes', '2025-13-01', '2025-05-01T25:00:00Z', '2025-05-02T00:00:00Z' /* future */]) {
      let code: number | undefined;
      try {
        parseSince(bad, NOW);
      } catch (e) {
        code = (e as { exitCode?: number }).exitCode;
      }
      expect(code, bad).toBe(2);
    }
  });
});
