/**
 * The doctor's vocabulary: a finding is one verdict on one resource, with the values seen and the
 * fix. Findings are plain data: the checks that make them are pure, the renderer prints them.
 */
import type { EnvironmentConfig, ServiceConfig } from '../config/types.js';

export type Status = 'PASS' | 'WARN' | 'FAIL';

export const GROUP_NAMES = ['network', 'security-groups', 'task-start', 'health', 'database', 'redis', 'certificate', 'iam'] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** A value seen in the account. Never a secret's value: key names, ids, ports, states. */
export type Evidence = Record<string, string | number | boolean | null | string[] | number[]>;

export interface Fix {
  /** Shell commands that fix it, in order (placeholders in <angle brackets>). */
  commands?: string[];
  /** A change to the environment file (then `berth apply` / `berth deploy`). */
  config?: string;
  /** Anything else to do, in one or two sentences. */
  note?: string;
}

export interface Finding {
  status: Status;
  /** Stable check id, e.g. `network.private-route`; runbooks point at these. */
  check: string;
  group: GroupName;
  /** What was checked (the catalog's title). */
  title: string;
  /** The resource the verdict is about: an id, an ARN or a name. */
  resource?: string;
  /** The service the finding is about, for per-service checks. */
  service?: string;
  /** One line: what is right or what is wrong. */
  message: string;
  /** The values seen (resource ids, ports, states, key names). */
  evidence: Evidence;
  fix?: Fix;
  /** Other checks that explain or continue this one. */
  see?: string[];
}

/** What every pure check receives besides its facts. */
export interface CheckInput {
  env: EnvironmentConfig;
  /** The services in scope (all, or the one named by --service). */
  services: ServiceConfig[];
  /** "Now", for ages and expiry (tests pass a fixed time). */
  now: Date;
}
