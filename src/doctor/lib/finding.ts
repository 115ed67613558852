import { checkSpec } from '../catalog.js';
import type { Evidence, Finding, Fix, Status } from '../types.js';

export interface FindingParts {
  resource?: string;
  service?: string;
  message: string;
  evidence?: Evidence;
  fix?: Fix;
  see?: string[];
}

/** Build a finding for a catalogued check id. */
export function finding(status: Status, check: string, parts: FindingParts): Finding {
  const spec = checkSpec(check);
  const f: Finding = { status, check, group: spec.group, title: spec.title, message: parts.message, evidence: parts.evidence ?? {} };
  if (parts.resource !== undefined) f.resource = parts.resource;
  if (parts.service !== undefined) f.service = parts.service;
  if (parts.fix) f.fix = parts.fix;
  if (parts.see?.length) f.see = parts.see;
  return f;
}

export const pass = (check: string, parts: FindingParts) => finding('PASS', check, parts);
export const warn = (check: string, parts: FindingParts) => finding('WARN', check, parts);
export const fail = (check: string, parts: FindingParts) => finding('FAIL', check, parts);

/** Quote a value for a POSIX shell command line. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The tag value of `key` in an AWS tag list. */
export function tag(tags: { Key?: string; Value?: string }[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
