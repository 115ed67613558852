/** `rollback --to`: a revision number, family:revision, a task-definition ARN, or an image reference. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { FLAG_BOUNDS } from './defaults.js';
import { checkImage } from './image.js';
import { parseWholeNumber } from './number.js';

const TD_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:(\d+)$/;
const FAMILY_REV = /^([A-Za-z0-9_-]{1,255}):(\d+)$/;
const HINT = 'Use a revision number (e.g. 41), family:revision, a task-definition ARN, or an image reference with a tag.';

/** Checks the form of --to before any AWS call; returns it unchanged. */
export function checkRollbackTo(to: string | undefined): string | undefined {
  if (to === undefined) return undefined;
  const s = to.trim();
  if (!s)
    throw new UsageError('--to is empty; expected a revision number, family:revision, an ARN or an image.', {
      code: ERROR_CODES.flagFormat,
      hint: HINT,
    });
  if (/^\d+$/.test(s)) return String(parseWholeNumber(s, '--to', FLAG_BOUNDS.revision));
  const rev = FAMILY_REV.exec(s)?.[2] ?? (s.startsWith('arn:') ? TD_ARN.exec(s)?.[1] : undefined);
  if (rev !== undefined) {
    parseWholeNumber(rev, '--to (revision)', FLAG_BOUNDS.revision);
    return s;
  }
  if (s.startsWith('arn:'))
    throw new UsageError(
      `--to "${s}" is not a task-definition ARN; expected arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>.`,
      { code: ERROR_CODES.flagFormat, hint: HINT },
    );
  try {
    checkImage(s);
  } catch (e) {
    throw new UsageError(
      `--to "${s}": expected a revision number, family:revision, a task-definition ARN, or an image reference with a tag.`,
      {
        code: ERROR_CODES.flagFormat,
        hint: (e as UsageError).hint ?? HINT,
      },
    );
  }
  return s;
}
