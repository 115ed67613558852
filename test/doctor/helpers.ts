import type { Finding, Status } from '../../src/doctor/types.js';

/** The findings of one check id. */
export const of = (fs: Finding[], check: string) => fs.filter((f) => f.check === check);

/** The one finding of `check` about `resource` (or the only one of that check). */
export function one(fs: Finding[], check: string, resource?: string): Finding {
  const xs = of(fs, check).filter((f) => resource === undefined || f.resource === resource);
  if (xs.length !== 1)
    throw new Error(
      `expected one ${check}${resource ? ` for ${resource}` : ''}, got ${xs.length}: ${JSON.stringify(xs.map((x) => [x.status, x.resource, x.message]))}`,
    );
  return xs[0]!;
}

export const statuses = (fs: Finding[]): Record<Status, string[]> => ({
  PASS: fs.filter((f) => f.status === 'PASS').map((f) => f.check),
  WARN: fs.filter((f) => f.status === 'WARN').map((f) => `${f.check}: ${f.message}`),
  FAIL: fs.filter((f) => f.status === 'FAIL').map((f) => `${f.check}: ${f.message}`),
});

/** Every command of a finding's fix, as one string (for `toContain`). */
export const fixText = (f: Finding) => [...(f.fix?.commands ?? []), f.fix?.config ?? '', f.fix?.note ?? ''].join('\n');
