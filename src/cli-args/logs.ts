/** `berth logs` flags, checked before any AWS call. */
import { ERROR_CODES, UsageError } from '../output/errors.js';
import { FLAG_BOUNDS, FLAG_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { parseSince } from './since.js';

export interface LogsFlags {
  since?: string;
  until?: string;
  follow?: boolean;
  filter?: string;
  task?: string;
  for?: string;
}

export interface LogsSettings {
  startTime: number;
  endTime?: number;
  follow: boolean;
  filter?: string;
  task?: string;
  forMs?: number;
}

const TASK = /^(arn:aws[a-z-]*:ecs:[^/]+:task\/)?([\w-]+\/)?[a-f0-9]{8,}$/i;
const combo = (message: string) => new UsageError(message, { code: ERROR_CODES.flagCombination });

export function logsSettings(f: LogsFlags, now: number = Date.now()): LogsSettings {
  const startTime = parseSince(f.since ?? FLAG_DEFAULTS.logsSince, now, '--since');
  const endTime = f.until !== undefined ? parseSince(f.until, now, '--until') : undefined;
  if (endTime !== undefined && f.follow) throw combo('--until and --follow do not combine: --follow keeps reading until stopped.');
  if (endTime !== undefined && endTime < startTime)
    throw combo(`--until "${f.until}" is before --since "${f.since ?? FLAG_DEFAULTS.logsSince}"; expected a later time.`);
  if (f.for !== undefined && !f.follow) throw combo('--for works with --follow only: without --follow logs ends by itself.');
  const forMs = f.for !== undefined ? parseDuration(f.for, '--for', FLAG_BOUNDS.forDuration) : undefined;
  if (f.task !== undefined && !TASK.test(f.task))
    throw new UsageError(`--task "${f.task}" is not a task id or ARN; expected e.g. 0123456789abcdef0123456789abcdef.`, {
      code: ERROR_CODES.flagFormat,
    });
  if (f.filter !== undefined && (f.filter.length === 0 || f.filter.length > 1024))
    throw new UsageError(`--filter of ${f.filter.length} characters: expected a CloudWatch Logs filter pattern of 1 to 1024 characters.`, {
      code: ERROR_CODES.flagRange,
    });
  return { startTime, endTime, follow: Boolean(f.follow), filter: f.filter, task: f.task, forMs };
}
