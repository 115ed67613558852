/**
 * `berth run`: one task of a service's task definition (or a one-off revision of it with another
 * image) in the service's subnets and security groups, its command overriding the app container's;
 * its log lines streamed as they arrive; the container's exit code as the result. Also the
 * migration step of `deploy --run-first` (src/run/run-first.ts).
 */
import { userInfo } from 'node:os';
import { logStreamName } from '../ecs/logs.js';
import { describeTd, imageForTag } from '../rollout/operate.js';
import type { Op } from '../rollout/op-types.js';
import { taskId } from '../ecs/ids.js';
import { checkImage } from '../cli-args/image.js';
import { imageOf } from '../rollout/taskdef.js';
import { locateFromTaskDefinition } from '../rollout/target.js';
import { shortTd } from '../ecs/ids.js';
import type { TaskSnap } from '../rollout/types.js';
import { EXIT } from '../output/exit-codes.js';
import { describeTask, runTask, servicePlacement, stopTask } from './aws-task.js';
import { interruptChoice, onInterrupt } from './interrupt.js';
import { registerOneOffRevision } from './one-off-revision.js';
import { runOutcome, type RunOutcome } from './outcome.js';
import { runTaskRequest } from './task-input.js';
import { followTaskLogs, taskLogSource } from './task-logs.js';
import type { TaskSize } from './task-size.js';

/** How long berth waits for a task it stopped to reach STOPPED. */
const STOP_WAIT_MS = 60_000;
const KEEP_LINES = 50;

export interface RunOptions {
  command: string[];
  image?: string;
  tag?: string;
  /** Run this task definition as is (deploy --run-first: the new revision). */
  taskDefinition?: string;
  size: TaskSize;
  timeoutMs: number;
  detach?: boolean;
  yes?: boolean;
  interactive?: boolean;
  ask?: (q: string) => Promise<boolean>;
  pollMs?: number;
  onLine?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface RunResult extends Partial<Omit<RunOutcome, 'status'>> {
  ok: boolean;
  command: 'run';
  service: string;
  cluster: string;
  status: RunOutcome['status'] | 'timed-out' | 'interrupted' | 'detached';
  exitCode: number;
  taskArn: string;
  taskId: string;
  taskDefinition: string;
  oneOffRevision: boolean;
  image?: string;
  argv: string[];
  logGroup: string;
  logStream: string;
  /** Interrupted or timed out: did berth stop the task? */
  stoppedByBerth?: boolean;
  lines: string[];
  durationSeconds: number;
  warnings: string[];
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Which task definition runs: the service's, the given one, or a new one-off revision with another image. */
async function chooseTaskDefinition(
  op: Op,
  o: RunOptions,
  current: string,
): Promise<{ arn: string; oneOff: boolean; image?: string; td: Awaited<ReturnType<typeof describeTd>>['taskDefinition'] }> {
  const base = await describeTd(op.ctx, o.taskDefinition ?? current);
  op.loc = locateFromTaskDefinition(op.loc, base.taskDefinition);
  if (!o.image && !o.tag)
    return {
      arn: base.taskDefinition.taskDefinitionArn ?? o.taskDefinition ?? current,
      oneOff: false,
      image: imageOf(base.taskDefinition, op.loc.container),
      td: base.taskDefinition,
    };
  const image = o.image ? checkImage(o.image) : await imageForTag(op, o.tag!);
  const arn = await registerOneOffRevision(op, base.taskDefinition, base.tags, image);
  op.reporter.info(`registered one-off revision ${shortTd(arn)} (${image})`);
  return { arn, oneOff: true, image, td: base.taskDefinition };
}

export async function runOneOff(op: Op, o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const placement = await servicePlacement(op.ctx, op.loc.cluster, op.loc.service);
  const chosen = await chooseTaskDefinition(op, o, placement.taskDefinition ?? '');
  const user = safeUser();
  const req = runTaskRequest({
    cluster: op.loc.cluster,
    taskDefinition: chosen.arn,
    container: op.loc.container,
    command: o.command,
    service: placement,
    size: o.size,
    startedByUser: user,
  });
  const arn = await runTask(op.ctx, req);
  const id = taskId(arn);
  const result: RunResult = {
    ok: false,
    command: 'run',
    service: op.svc.name,
    cluster: op.loc.cluster,
    status: 'detached',
    exitCode: EXIT.OK,
    taskArn: arn,
    taskId: id,
    taskDefinition: chosen.arn,
    oneOffRevision: chosen.oneOff,
    image: chosen.image,
    argv: o.command,
    logGroup: op.loc.logGroup,
    logStream: logStreamName(op.loc.streamPrefix, op.loc.container, id),
    lines: [],
    durationSeconds: 0,
    warnings: [],
  };
  op.reporter.info(`started task ${id} of ${shortTd(chosen.arn)} in ${op.loc.cluster}; logs: ${result.logGroup} ${result.logStream}`);
  if (o.detach) {
    result.ok = true;
    return result;
  }
  await watchTask(op, o, result, {
    cpuArchitecture: (chosen.td as { runtimePlatform?: { cpuArchitecture?: string } }).runtimePlatform?.cpuArchitecture,
    memory: Number((chosen.td as { memory?: string }).memory) || undefined,
  });
  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  return result;
}

function safeUser(): string | undefined {
  try {
    return (
      userInfo()
        .username.replace(/[^\p{L}\p{N} _.:/=+@-]/gu, '')
        .slice(0, 64) || undefined
    );
  } catch {
    return undefined;
  }
}

/** Follow the task to its end (or the timeout, or Ctrl-C), streaming its lines; fills in the result. */
async function watchTask(op: Op, o: RunOptions, result: RunResult, facts: { cpuArchitecture?: string; memory?: number }): Promise<void> {
  const sleep = o.sleep ?? sleepReal;
  const pollMs = o.pollMs ?? (op.ctx.sandbox ? 500 : 3000);
  const deadline = Date.now() + o.timeoutMs;
  let finished = false;
  let interrupted = false;
  const off = onInterrupt(() => (interrupted = true));
  const logsDone = followTaskLogs({
    source: taskLogSource(op.ctx, result.logGroup, result.logStream),
    startTime: Date.now() - 60_000,
    pollMs: Math.min(pollMs, 1000),
    done: () => finished,
    onLine: (l) => {
      result.lines.push(l);
      if (result.lines.length > KEEP_LINES) result.lines.shift();
      o.onLine?.(l);
    },
  });
  let task: TaskSnap | undefined;
  try {
    for (;;) {
      if (interrupted) {
        await onCtrlC(op, o, result);
        break;
      }
      if (Date.now() >= deadline) {
        await stopAndWait(op, result, `berth run: no exit within the --timeout of ${Math.round(o.timeoutMs / 1000)}s`);
        Object.assign(result, { status: 'timed-out', exitCode: EXIT.RUN_TIMED_OUT, stoppedByBerth: true });
        break;
      }
      task = await describeTask(op.ctx, op.loc.cluster, result.taskArn);
      if (task?.lastStatus === 'STOPPED') break;
      await sleep(pollMs);
    }
  } finally {
    off();
    finished = true;
    await logsDone.catch((e) => result.warnings.push(`could not read the task's log lines: ${(e as Error).message}`));
  }
  if (task?.lastStatus === 'STOPPED' && result.status === 'detached') {
    Object.assign(result, runOutcome(task, result.lines, { container: op.loc.container, image: result.image, ...facts }));
    result.ok = (result.status as RunResult['status']) === 'exited' && result.exitCode === 0;
  }
}

async function onCtrlC(op: Op, o: RunOptions, result: RunResult): Promise<void> {
  const choice = await interruptChoice({
    yes: Boolean(o.yes),
    interactive: Boolean(o.interactive),
    taskId: result.taskId,
    ask: o.ask ?? (async () => false),
  });
  Object.assign(result, { status: 'interrupted', exitCode: EXIT.RUN_INTERRUPTED, stoppedByBerth: choice === 'stop' });
  if (choice === 'stop') {
    await stopAndWait(op, result, 'berth run: interrupted (Ctrl-C)');
    return;
  }
  result.warnings.push(
    `task ${result.taskId} was left running (no terminal to ask, and no --yes). Follow it with \`berth logs --env <env> ` +
      `--service ${op.svc.name} --task ${result.taskId} --follow\`; ` +
      `stop it with \`aws ecs stop-task --cluster ${op.loc.cluster} --task ${result.taskId}\``,
  );
}

async function stopAndWait(op: Op, result: RunResult, reason: string): Promise<void> {
  await stopTask(op.ctx, op.loc.cluster, result.taskArn, reason);
  const until = Date.now() + STOP_WAIT_MS;
  while (Date.now() < until) {
    const t = await describeTask(op.ctx, op.loc.cluster, result.taskArn);
    if (!t || t.lastStatus === 'STOPPED') return;
    await sleepReal(op.ctx.sandbox ? 300 : 2000);
  }
  result.warnings.push(`task ${result.taskId} was asked to stop but had not stopped after ${STOP_WAIT_MS / 1000}s`);
}

/** Human rendering. */
export function renderRun(r: RunResult): string {
  const lines: string[] = [];
  const head: Record<RunResult['status'], string> = {
    exited: `exited with code ${r.containerExitCode}`,
    'not-started': 'did NOT start',
    stopped:
      `was STOPPED before its command ` +
      `exited${r.containerExitCode !== undefined ? ` (container exit code ${r.containerExitCode})` : ''}`,
    'timed-out': `TIMED OUT and was stopped`,
    interrupted: r.stoppedByBerth ? 'interrupted and stopped' : 'interrupted; LEFT RUNNING',
    detached: 'started (detached)',
  };
  lines.push(`run ${r.service}: task ${r.taskId} ${head[r.status]} after ${r.durationSeconds}s (exit ${r.exitCode})`);
  if (r.explanation) lines.push(`  - ${r.explanation}`);
  if (r.status === 'not-started' && r.stoppedReason && !r.explanation?.includes(r.stoppedReason))
    lines.push(`  stopped reason: ${r.stoppedReason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
