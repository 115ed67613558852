/**
 * A token bucket for CloudWatch Logs' request quota: FilterLogEvents allows 5 requests per second
 * per account and region (AWS's documented default), so berth's concurrent windows and polls share
 * one bucket of 5 tokens, and each token comes back one second after it was spent. A burst of 5
 * goes at once, and no second ever holds more than 5 requests: berth waits for a token instead of
 * being throttled. Clock and sleep are injectable for tests.
 */

/** CloudWatch Logs' FilterLogEvents quota: transactions per second per account and region. */
export const FILTER_LOG_EVENTS_TPS = 5;

export interface BucketOptions {
  /** Tokens in the bucket: requests allowed in any one second. */
  perSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type Limiter = () => Promise<void>;

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A limiter: each call resolves when a request may be sent; calls are served in the order made. */
export function tokenBucket(o: BucketOptions): Limiter {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? sleepReal;
  /** When each token spent in the last second was spent, oldest first. */
  const spent: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const takeOne = async () => {
    for (;;) {
      const t = now();
      while (spent.length && spent[0]! <= t - 1000) spent.shift();
      if (spent.length < o.perSecond) {
        spent.push(t);
        return;
      }
      await sleep(spent[0]! + 1000 - t);
    }
  };
  return () => {
    const turn = queue.then(takeOne);
    queue = turn.catch(() => undefined);
    return turn;
  };
}
