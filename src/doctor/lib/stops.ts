/**
 * Why tasks stopped, for the doctor: stopped tasks are grouped by what the API says (stop code,
 * reason with ids blanked, exit codes), so that forty identical crashes read as one line with a
 * count and a fix; each group is classified by src/ecs/stops.ts.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { taskId } from '../../ecs/ids.js';
import { classifyStop, normaliseReason, stopFamily, type StopFamily, type StopKind } from '../../ecs/stops.js';

export interface StopGroup {
  /** The family of the cause (src/ecs/stops.ts), the doctor's evidence.kind. */
  kind: StopFamily;
  /** The cause as src/ecs/stops.ts names it. */
  cause: StopKind;
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

export function groupStops(tasks: Task[], logs: Record<string, string[]> = {}): StopGroup[] {
  // Group by what the API says (stop code, reason, exit codes); then classify each group with the
  // log lines of all its members: one task's "exec format error" explains its identical siblings.
  const groups = new Map<string, StopGroup & { rawReasons: string[] }>();
  for (const t of tasks) {
    const id = taskId(t.taskArn) || '?';
    const containers = t.containers ?? [];
    const containerReasons = containers.map((c) => c.reason).filter((r): r is string => Boolean(r));
    const exitCodes = containers.filter((c) => c.exitCode !== undefined && c.exitCode !== null).map((c) => c.exitCode!);
    const reason = normaliseReason(t.stoppedReason ?? '');
    const key = `${t.stopCode ?? ''}|${reason}|${[...new Set(exitCodes)].sort().join(',')}|${containerReasons.map(normaliseReason).join(';')}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        kind: 'unknown',
        cause: 'unknown',
        stopCode: t.stopCode,
        reason,
        exitCodes: [],
        containerReasons: [],
        count: 0,
        taskIds: [],
        logLines: [],
        rawReasons: [t.stoppedReason ?? '', ...containerReasons],
      };
      groups.set(key, g);
    }
    g.count++;
    if (g.taskIds.length < 5) g.taskIds.push(id);
    for (const e of exitCodes) if (!g.exitCodes.includes(e)) g.exitCodes.push(e);
    for (const r of containerReasons.map(normaliseReason))
      if (!g.containerReasons.includes(r) && g.containerReasons.length < 3) g.containerReasons.push(r);
    for (const l of logs[id] ?? []) if (!g.logLines.includes(l) && g.logLines.length < 5) g.logLines.push(l);
    const at = t.stoppedAt ? new Date(t.stoppedAt as unknown as string).toISOString() : undefined;
    if (at && (!g.lastStoppedAt || at > g.lastStoppedAt)) g.lastStoppedAt = at;
  }
  return [...groups.values()]
    .map(({ rawReasons, ...g }) => {
      const cause = classifyStop({
        stopCode: g.stopCode,
        stoppedReason: rawReasons[0],
        containerReasons: rawReasons.slice(1),
        exitCodes: g.exitCodes,
        logLines: g.logLines,
      });
      return { ...g, cause, kind: stopFamily(cause) };
    })
    .sort((a, b) => b.count - a.count);
}
