/**
 * The time limits of every AWS call, in one place. One override: BERTH_AWS_TIMEOUT, the seconds one
 * attempt of one AWS request may take (connect + answer). Everything else follows from it:
 *
 * - connect within min(T, 5 s); the whole attempt within T (the SDK's requestHandler);
 * - at most MAX_ATTEMPTS attempts, the waits between them exponential with full jitter, each at
 *   most BACKOFF_CAP_MS (src/aws/retry.ts);
 * - so one call ends within `callBoundMs` = attempts x T + the waits; a command that only reads
 *   (status, health, logs without --follow, doctor) ends within `commandBoundMs`.
 */
import { UsageError } from '../output/errors.js';

export const DEFAULT_TIMEOUT_S = 10;
export const MAX_TIMEOUT_S = 300;
export const MAX_ATTEMPTS = 4;
export const BACKOFF_BASE_MS = 200;
export const THROTTLE_BASE_MS = 500;
export const BACKOFF_CAP_MS = 4000;
export const CONNECT_CAP_MS = 5000;

export interface AwsLimits {
  /** One attempt of one request: connect and answer (ms). */
  timeoutMs: number;
  /** Establishing the TCP/TLS connection (ms). */
  connectTimeoutMs: number;
  maxAttempts: number;
  /** One call, every attempt and every wait included (ms). */
  callBoundMs: number;
  /** A read-only command (status, health, logs, doctor): a backstop over all its calls (ms). */
  commandBoundMs: number;
}

/** Read BERTH_AWS_TIMEOUT (seconds, e.g. `10`, `2.5` or `10s`); bad input is a usage error before any call. */
export function awsLimits(processEnv: NodeJS.ProcessEnv = process.env): AwsLimits {
  const raw = processEnv.BERTH_AWS_TIMEOUT;
  let seconds = DEFAULT_TIMEOUT_S;
  if (raw !== undefined && raw.trim() !== '') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(raw);
    const v = m ? Number(m[1]) : NaN;
    if (!Number.isFinite(v) || v < 0.1 || v > MAX_TIMEOUT_S)
      throw new UsageError(
        `BERTH_AWS_TIMEOUT "${raw}": expected the seconds one AWS request may take, ` +
          `a number from 0.1 to ${MAX_TIMEOUT_S} (default ${DEFAULT_TIMEOUT_S}).`,
        {
          hint: 'Unset it for the default, or e.g. BERTH_AWS_TIMEOUT=30 on a slow link.',
          code: 'usage.env-var',
        },
      );
    seconds = v;
  }
  const timeoutMs = Math.round(seconds * 1000);
  const callBoundMs = MAX_ATTEMPTS * timeoutMs + maxBackoffTotalMs();
  return {
    timeoutMs,
    connectTimeoutMs: Math.min(timeoutMs, CONNECT_CAP_MS),
    maxAttempts: MAX_ATTEMPTS,
    callBoundMs,
    commandBoundMs: 3 * callBoundMs,
  };
}

/** The longest the waits between the attempts of one call can add up to (throttled: the larger base). */
export function maxBackoffTotalMs(): number {
  let total = 0;
  for (let r = 1; r < MAX_ATTEMPTS; r++) total += Math.min(BACKOFF_CAP_MS, THROTTLE_BASE_MS * 2 ** (r - 1));
  return total;
}

/** "40 s", "2 min 10 s": a bound as the README and the help state it. */
export function fmtBound(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}
