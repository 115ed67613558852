/**
 * A command's overall bound: the promise settles, or after `ms` the command fails with aws.timeout
 * (exit 24). A backstop over the per-call limits (src/aws/limits.ts): whatever is still in flight is
 * ended by closeAwsClients() when the command returns.
 */
import { EXIT } from '../output/exit-codes.js';
import { AwsFailure } from './failures.js';
import { fmtBound } from './limits.js';

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AwsFailure(
            'aws.timeout',
            EXIT.AWS_TIMED_OUT,
            `${what} did not finish within its bound of ${fmtBound(ms)}.`,
            'AWS is slow or not answering: re-run later, or raise BERTH_AWS_TIMEOUT (seconds per request; the bound follows it).',
            {},
          ),
        ),
      ms,
    );
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
