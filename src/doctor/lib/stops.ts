/**
 * Why tasks stopped: each stopped task is classified from its stop code, stopped reason, container
 * reasons and exit codes (and its last log lines), then grouped so that forty identical crashes
 * read as one line with a count and a fix.
 */
import type { Task } from '@aws-sdk/client-ecs';

export type StopKind =
  | 'image-pull'
  | 'secrets'
  | 'eni'
  | 'out-of-memory'
  | 'exec-format'
  | 'elb-health'
  | 'container-health'
  | 'app-exit'
  | 'capacity'
  | 'benign'
  | 'unknown';

export interface StopGroup {
  kind: StopKind;
  stopCode?: string;
  /** The stopped reason with ids and digests blanked, so equal causes group together. */
  reason: string;
  exitCodes: number[];
  containerReasons: string[];
  count: number;
  taskIds: string[];
  lastStoppedAt?: string;
  /** Matching log lines of the stopped tasks (already redacted by the gatherer). */
  logLines: string[];
}

const EXEC_FORMAT = /exec format error/i;

export function normalizeReason(s: string): string {
  return s
    .replace(/arn:aws[a-z-]*:[^\s,;"')]+/g, '<arn>')
    .replace(/sha256:[a-f0-9]{12,}/g, 'sha256:<digest>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>')
    .replace(/\b[0-9a-f]{32}\b/g, '<id>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 240);
}

export function classify(stopCode: string | undefined, reason: string, containerReasons: string[], exitCodes: number[], logLines: string[]): StopKind {
  const all = [reason, ...containerReasons].join(' | ');
  if (EXEC_FORMAT.test(all) || logLines.some((l) => EXEC_FORMAT.test(l))) return 'exec-format';
  if (/CannotPullContainerError|pull image manifest|failed to resolve ref|image.*not found|pull access denied/i.test(all)) return 'image-pull';
  if (/ResourceInitializationError/i.test(all)) {
    if (/secret|ssm|parameter|kms/i.test(all)) return 'secrets';
    if (/ENI|network interface|subnet|free addresses|ipv4 address/i.test(all)) return 'eni';
    if (/registry|ecr|auth token|pull/i.test(all)) return 'image-pull';
    return 'secrets';
  }
  if (/OutOfMemory/i.test(all)) return 'out-of-memory';
  if (/failed ELB health checks/i.test(all)) return 'elb-health';
  if (/failed container health checks/i.test(all)) return 'container-health';
  if (/capacity is unavailable|spot|insufficient capacity|RESOURCE:/i.test(all) || stopCode === 'SpotInterruption') return 'capacity';
  if (stopCode === 'UserInitiated' || /stopped by user|Task stopped by/i.test(all)) return 'benign';
  if (/Scaling activity initiated|deployment|scaled? (in|down)|ECS is performing maintenance|Service .* (was )?updated/i.test(all) && stopCode !== 'TaskFailedToStart') return 'benign';
  if (/Essential container in task exited/i.test(all) || stopCode === 'EssentialContainerExited') {
    if (exitCodes.includes(137) && /memory/i.test(all)) return 'out-of-memory';
    return 'app-exit';
  }
  if (stopCode === 'TaskFailedToStart' || stopCode === 'EssentialContainerExited') return 'unknown';
  return 'unknown';
}

export function groupStops(tasks: Task[], logs: Record<string, string[]> = {}): StopGroup[] {
  // Group by what the API says (stop code, reason, exit codes); then classify each group with the
  // log lines of all its members: one task's "exec format error" explains its identical siblings.
  const groups = new Map<string, StopGroup & { rawReasons: string[] }>();
  for (const t of tasks) {
    const id = t.taskArn?.split('/').pop() ?? '?';
    const containers = t.containers ?? [];
    const containerReasons = containers.map((c) => c.reason).filter((r): r is string => Boolean(r));
    const exitCodes = containers.filter((c) => c.exitCode !== undefined && c.exitCode !== null).map((c) => c.exitCode!);
    const reason = normalizeReason(t.stoppedReason ?? '');
    const key = `${t.stopCode ?? ''}|${reason}|${[...new Set(exitCodes)].sort().join(',')}|${containerReasons.map(normalizeReason).join(';')}`;
    let g = groups.get(key);
    if (!g) {
      g = { kind: 'unknown', stopCode: t.stopCode, reason, exitCodes: [], containerReasons: [], count: 0, taskIds: [], logLines: [], rawReasons: [t.stoppedReason ?? '', ...containerReasons] };
      groups.set(key, g);
    }
    g.count++;
    if (g.taskIds.length < 5) g.taskIds.push(id);
    for (const e of exitCodes) if (!g.exitCodes.includes(e)) g.exitCodes.push(e);
    for (const r of containerReasons.map(normalizeReason)) if (!g.containerReasons.includes(r) && g.containerReasons.length < 3) g.containerReasons.push(r);
    for (const l of logs[id] ?? []) if (!g.logLines.includes(l) && g.logLines.length < 5) g.logLines.push(l);
    const at = t.stoppedAt ? new Date(t.stoppedAt as unknown as string).toISOString() : undefined;
    if (at && (!g.lastStoppedAt || at > g.lastStoppedAt)) g.lastStoppedAt = at;
  }
  return [...groups.values()]
    .map(({ rawReasons, ...g }) => ({ ...g, kind: classify(g.stopCode, rawReasons[0] ?? '', rawReasons.slice(1), g.exitCodes, g.logLines) }))
    .sort((a, b) => b.count - a.count);
}

/** What an exit code usually means for a container. */
export function exitCodeMeaning(code: number): string {
  switch (code) {
    case 0:
      return 'exited normally (an essential container must keep running)';
    case 1:
      return 'the application failed (see its logs)';
    case 126:
      return 'the entrypoint is not executable';
    case 127:
      return 'the entrypoint or command was not found in the image';
    case 137:
      return 'killed with SIGKILL (out of memory, or it ignored SIGTERM on stop)';
    case 139:
      return 'segmentation fault';
    case 143:
      return 'stopped with SIGTERM';
    case 255:
      return 'the entrypoint could not run (often an image built for another CPU architecture)';
    default:
      return 'the application exited with an error';
  }
}
