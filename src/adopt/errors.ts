/** adopt's own failures, each with its exit code (src/output/exit-codes.ts, range 65-69). */
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';

/** The resource map names something that does not exist (a typo, another region or account). Nothing was written. */
export function missingResource(field: string, value: string, what: string): BerthError {
  return new BerthError(`${field}: the ${what} ${value} does not exist in this account and region; nothing was written.`, {
    exitCode: EXIT.ADOPT_MISSING_RESOURCE,
    code: 'adopt.missing-resource',
    hint: 'Fix the resource map in the environment file (or run `berth discover` again), then `berth adopt` again.',
    details: { field, value },
  });
}
