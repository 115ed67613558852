/**
 * The watch loop: poll, feed the pure verdict, report progress, stop at a verdict. It decides
 * nothing itself. A throttled or failed poll is recorded as an empty snapshot and the next poll
 * backs off (doubling up to a cap); only the verdict's own timeout ends a watch early.
 */
import type { Identity, Judgement, Snapshot, SmokeResult } from './types.js';
import { judge, progressLine } from './verdict.js';

export interface WatchDeps {
  /** One poll of the world. May throw (throttling, network). */
  fetch(id: Identity): Promise<Snapshot>;
  /** The HTTP check of the health URL, run when the verdict asks for it. */
  smoke?(): Promise<SmokeResult>;
  sleep(ms: number): Promise<void>;
  now(): number;
  onProgress?(line: string, j: Judgement): void;
}

export interface WatchOptions {
  /** Time between polls when all is well. Default 3 s. */
  pollMs?: number;
  /** Cap of the back-off after throttling. Default 30 s. */
  maxBackoffMs?: number;
  /** Give up (throw) after this many consecutive non-throttling errors. Default 5. */
  maxConsecutiveErrors?: number;
  /** Snapshots kept for the verdict (older ones are dropped; the verdict needs only recent ones). */
  keep?: number;
}

export interface WatchResult {
  judgement: Judgement;
  identity: Identity;
  polls: number;
  failedPolls: number;
  /** The sleeps the loop asked for, in order (for tests and --json diagnostics: the last 50). */
  delays: number[];
}

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

export function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLE_NAMES.has(err?.name ?? '') || THROTTLE_NAMES.has(err?.Code ?? '') || err?.$metadata?.httpStatusCode === 429;
}

export function isTransient(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (isThrottle(e)) return true;
  const status = err?.$metadata?.httpStatusCode ?? 0;
  return (
    status >= 500 ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(err?.code ?? '') ||
    err?.name === 'TimeoutError'
  );
}

export async function watch(identity: Identity, deps: WatchDeps, opts: WatchOptions = {}): Promise<WatchResult> {
  const pollMs = opts.pollMs ?? 3000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const maxErrors = opts.maxConsecutiveErrors ?? 5;
  const keep = opts.keep ?? 40;
  let id = identity;
  const timeline: Snapshot[] = [];
  const delays: number[] = [];
  let polls = 0;
  let failedPolls = 0;
  let backoff = 0;
  let errors = 0;
  let lastLine = '';
  for (;;) {
    polls++;
    let snap: Snapshot;
    try {
      snap = await deps.fetch(id);
      backoff = 0;
      errors = 0;
    } catch (e) {
      failedPolls++;
      const err = e as Error;
      if (!isTransient(e)) throw e;
      if (!isThrottle(e) && ++errors >= maxErrors) throw e;
      backoff = backoff ? Math.min(maxBackoff, backoff * 2) : Math.min(maxBackoff, pollMs * 2);
      snap = { at: new Date(deps.now()), error: `${err.name ?? 'Error'}: ${err.message}` };
    }
    timeline.push(snap);
    if (timeline.length > keep) timeline.splice(0, timeline.length - keep);
    let j = judge(id, timeline);
    if (j.verdict === 'in-progress' && j.evidence.needsSmoke && deps.smoke && !snap.error) {
      snap.smoke = await deps.smoke();
      j = judge(id, timeline);
    }
    // Pin our deployment once seen, so that trimming the timeline never loses it.
    if (!id.deploymentId && j.evidence.deploymentId) id = { ...id, deploymentId: j.evidence.deploymentId };
    const line = snap.error
      ? `${progressLine(id, j)} (poll failed: ${snap.error}; retrying in ${Math.round(backoff / 1000)}s)`
      : progressLine(id, j);
    if (line !== lastLine) deps.onProgress?.(line, j);
    lastLine = line;
    if (j.verdict !== 'in-progress') return { judgement: j, identity: id, polls, failedPolls, delays: delays.slice(-50) };
    const wait = backoff || pollMs;
    delays.push(wait);
    if (delays.length > 200) delays.splice(0, 100);
    await deps.sleep(wait);
  }
}
