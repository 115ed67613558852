/**
 * Names of Aurora clusters and cluster snapshots as RDS accepts them, and the names berth gives
 * them. Pure.
 *  - cluster identifier: 1-63 letters, digits and hyphens, first a letter, no two hyphens in a row,
 *    not ending with a hyphen (stored lowercase);
 *  - cluster snapshot identifier: the same rules, 1-255 characters.
 */
import { ERROR_CODES, UsageError } from '../output/errors.js';

const RULE = /^[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)$/;

export function checkClusterId(id: string, flag: string): string {
  if (id.length < 1 || id.length > 63 || !RULE.test(id))
    throw new UsageError(
      `${flag} "${id}": expected an Aurora cluster identifier (1-63 letters, digits and hyphens; a letter first; no "--"; no ` +
        `hyphen at the end).`,
      { code: ERROR_CODES.flagFormat },
    );
  return id.toLowerCase();
}

export function checkSnapshotId(id: string, flag: string): string {
  if (id.startsWith('rds:') && RULE.test(id.slice(4))) return id; // an automated snapshot's name
  if (/^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster-snapshot:/.test(id)) return id;
  if (id.length < 1 || id.length > 255 || !RULE.test(id))
    throw new UsageError(
      `${flag} "${id}": expected a cluster snapshot identifier (1-255 letters, digits and hyphens; a letter first; no "--"; no ` +
        `hyphen at the end), an rds:... automated snapshot, or its ARN.`,
      { code: ERROR_CODES.flagFormat },
    );
  return id;
}

/** 20261126-145012 (UTC), for names. */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export function defaultSnapshotName(cluster: string, at: Date): string {
  return `${cluster}-berth-${stamp(at)}`.slice(0, 255);
}

/** `<cluster>-r-<stamp>`, cut to 63 characters without a trailing hyphen. */
export function defaultRestoreName(cluster: string, at: Date): string {
  const suffix = `-r-${stamp(at)}`;
  return (cluster.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix).toLowerCase();
}

/** The snapshot's name in another region (copies keep the name unless told otherwise). */
export function copyName(source: string): string {
  const base = source.startsWith('arn:') ? source.slice(source.indexOf(':cluster-snapshot:') + ':cluster-snapshot:'.length) : source;
  return base.startsWith('rds:') ? `${base.slice(4)}-copy` : base;
}
