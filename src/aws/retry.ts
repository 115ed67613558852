/**
 * berth's retry strategy for every AWS client (the SDK's RetryStrategyV2 interface): a bounded
 * number of attempts, exponential backoff with full jitter, each wait capped. Retried: throttling
 * (ThrottlingException, 429, SlowDown: a larger base) and transient faults (timeouts, resets,
 * refused connections, 500/502/503/504). Anything else (access denied, validation) is final at once.
 */
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, THROTTLE_BASE_MS } from './limits.js';

type ErrorType = 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';

export interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

export interface RetryErrorInfo {
  errorType: ErrorType;
  retryAfterHint?: Date;
}

/** The wait before retry number `retry` (1-based): random in [0, min(cap, base x 2^(retry-1))]. */
export function backoffDelay(retry: number, throttled: boolean, random: () => number = Math.random): number {
  const base = throttled ? THROTTLE_BASE_MS : BACKOFF_BASE_MS;
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, base * 2 ** (retry - 1)));
}

const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });

export class BoundedRetryStrategy {
  readonly mode = 'berth-bounded';

  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(t: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retry = t.getRetryCount() + 1;
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    if (!retryable || retry >= this.maxAttempts) throw new Error('retry budget spent');
    let delay = backoffDelay(retry, info.errorType === 'THROTTLING', this.random);
    if (info.retryAfterHint instanceof Date) delay = Math.max(delay, Math.min(BACKOFF_CAP_MS, info.retryAfterHint.getTime() - Date.now()));
    return token(retry, delay);
  }

  recordSuccess(_t: RetryToken): void {}
}
