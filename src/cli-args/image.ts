/** `--image` and `--tag`: checked before any AWS call. */
import { parseImage, TAG_RE } from '../ecs/image-ref.js';
import { UsageError } from '../output/errors.js';

/** Validate `--image`: a full reference with a tag or a digest. Throws a UsageError (exit 2). */
export function checkImage(s: string): string {
  const ref = parseImage(s);
  if (!ref)
    throw new UsageError(`--image "${s}" is not an image reference; expected <registry>/<repository>:<tag>.`, {
      code: 'usage.flag-format',
      hint: 'Expected <registry>/<repository>:<tag>, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app/api:3f2c1ab.',
    });
  if (!ref.tag && !ref.digest)
    throw new UsageError(
      `--image "${s}" has no tag: berth deploys a fixed tag (or @sha256: digest), never an implicit "latest"; expected <image>:<tag> or <image>@sha256:<digest>.`,
      { code: 'usage.flag-format', hint: 'Add :<tag>, e.g. the git SHA.' },
    );
  return s.trim();
}

export function checkTag(s: string): string {
  if (!TAG_RE.test(s))
    throw new UsageError(`--tag "${s}" is not a valid image tag; expected letters, digits, _ . -, at most 128, not starting with . or -.`, {
      code: 'usage.flag-format',
    });
  return s;
}
