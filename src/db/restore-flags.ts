/**
 * `db restore`'s source flags: exactly one of --snapshot, --to-time, --latest; a point in time in
 * ISO 8601 with a zone, not in the future and within RDS's longest backup retention (35 days).
 * Checked before any AWS call. Pure.
 */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { checkSnapshotId } from './identifiers.js';
import type { RestoreSource } from './restore.js';

const MAX_BACK_MS = 35 * 86_400_000;

export function restoreSource(f: { snapshot?: string; toTime?: string; latest?: boolean }, now: number): RestoreSource {
  const given = [f.snapshot !== undefined, f.toTime !== undefined, Boolean(f.latest)].filter(Boolean).length;
  if (given !== 1)
    throw new UsageError('db restore needs exactly one of --snapshot <id>, --to-time <iso time> or --latest.', {
      code: given ? ERROR_CODES.flagCombination : ERROR_CODES.missingOption,
    });
  if (f.snapshot !== undefined) return { snapshot: checkSnapshotId(f.snapshot, '--snapshot') };
  if (f.latest) return { latest: true };
  const t = f.toTime!;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t))
    throw new UsageError(`--to-time "${t}": expected an ISO 8601 time with its zone, e.g. 2026-11-26T09:30:00Z.`, {
      code: ERROR_CODES.flagFormat,
    });
  const at = new Date(t);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--to-time "${t}" is not a valid time.`, { code: ERROR_CODES.flagFormat });
  if (at.getTime() > now)
    throw new UsageError(`--to-time ${at.toISOString()} is in the future; use --latest for the most recent restorable time.`, {
      code: ERROR_CODES.flagRange,
    });
  if (now - at.getTime() > MAX_BACK_MS)
    throw new UsageError(
      `--to-time ${at.toISOString()} is more than 35 days ago: no Aurora backup reaches that far (restore a snapshot instead).`,
      { code: ERROR_CODES.flagRange },
    );
  return { toTime: at };
}
