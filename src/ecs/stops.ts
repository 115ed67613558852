/**
 * Why did a task stop? The one classifier of berth: ECS's stop code, the stopped reason, the
 * containers' reasons and exit codes and the task's last log lines give a StopKind. The rollout
 * verdict, the doctor, status and the sandbox all ask it; the sentences that explain each kind
 * are in stop-explanations.ts. Pure.
 */
import type { TaskSnap } from './types.js';

export type StopKind =
  | 'arch-mismatch'
  | 'image-not-found'
  | 'image-pull-denied'
  | 'image-pull-network'
  | 'secrets'
  | 'resource-init'
  | 'log-config'
  | 'eni'
  | 'oom'
  | 'elb-health'
  | 'container-health'
  | 'essential-exit'
  | 'capacity'
  | 'benign'
  | 'unknown';

/**
 * The coarser cause the doctor groups stopped tasks by and reports as `evidence.kind`: one doctor
 * finding (with its fix and the checks to see) per family.
 */
export type StopFamily =
  | 'image-pull'
  | 'secrets'
  | 'log-config'
  | 'eni'
  | 'out-of-memory'
  | 'exec-format'
  | 'elb-health'
  | 'container-health'
  | 'app-exit'
  | 'capacity'
  | 'benign'
  | 'unknown';

const FAMILY: Record<StopKind, StopFamily> = {
  'arch-mismatch': 'exec-format',
  'image-not-found': 'image-pull',
  'image-pull-denied': 'image-pull',
  'image-pull-network': 'image-pull',
  secrets: 'secrets',
  'resource-init': 'secrets',
  'log-config': 'log-config',
  eni: 'eni',
  oom: 'out-of-memory',
  'elb-health': 'elb-health',
  'container-health': 'container-health',
  'essential-exit': 'app-exit',
  capacity: 'capacity',
  benign: 'benign',
  unknown: 'unknown',
};

export function stopFamily(kind: StopKind): StopFamily {
  return FAMILY[kind];
}

/** What the classifier reads of a stopped task (or of a group of alike ones). */
export interface StopFacts {
  stopCode?: string;
  stoppedReason?: string;
  /** The reasons the containers give (the deciding container's first, when there is one). */
  containerReasons: string[];
  exitCodes: number[];
  logLines: string[];
}

const EXEC_FORMAT = /exec format error/i;
const WRONG_PLATFORM = /does not contain descriptor matching platform|no matching manifest for/i;
const PULL = /CannotPullContainerError|pull image manifest|failed to resolve ref|image.*not found|pull access denied/i;
const NOT_FOUND = /not found|manifest unknown|does not exist|repository .* not found|NotFound/i;
const DENIED = /access denied|AccessDenied|403|unauthorized|not authorized/i;
const UNREACHABLE = /timeout|i\/o timeout|dial tcp|connection refused|no such host|context deadline|RequestError/i;
const RESOURCE_INIT = /ResourceInitializationError|unable to pull secrets|retrieve secret|secretsmanager|asm:|ssm:/i;
const SECRET_WORDS = /secret|asm|ssm|parameter|kms/i;
const ENI_WORDS = /ENI|network interface|subnet|free addresses|ipv4 address/i;
const LOG_WORDS = /log group|log stream|logger/i;
const REGISTRY_WORDS = /registry|ecr|auth token|pull/i;
const CAPACITY = /capacity is unavailable|spot|insufficient capacity|RESOURCE:/i;
const BENIGN_CODES = new Set(['UserInitiated', 'SpotInterruption', 'TerminationNotice']);
const BENIGN_REASON =
  /Scaling activity initiated|stopped by user|Task stopped by|deployment|scaled? (in|down)|ECS is performing maintenance|Service .* (was )?(updated|deleted)/i;

/** A stop that is not a failure: a scale-in, a deployment replacing tasks, a person, a Spot reclaim, maintenance. */
export function isBenign(stopCode: string | undefined, text: string): boolean {
  if (stopCode && BENIGN_CODES.has(stopCode)) return true;
  return stopCode !== 'TaskFailedToStart' && BENIGN_REASON.test(text);
}

export function isBenignStop(t: Pick<TaskSnap, 'stopCode' | 'stoppedReason'>): boolean {
  return isBenign(t.stopCode, t.stoppedReason ?? '');
}

/** The kind of a stop. Failures first, by what the text proves; a benign stop only when nothing failed. */
export function classifyStop(f: StopFacts): StopKind {
  const all = [f.stoppedReason ?? '', ...f.containerReasons].join('\n');
  if (EXEC_FORMAT.test(all) || f.logLines.some((l) => EXEC_FORMAT.test(l)) || WRONG_PLATFORM.test(all)) return 'arch-mismatch';
  if (PULL.test(all)) return NOT_FOUND.test(all) ? 'image-not-found' : DENIED.test(all) ? 'image-pull-denied' : 'image-pull-network';
  if (RESOURCE_INIT.test(all)) return resourceInitKind(all);
  if (/OutOfMemory/i.test(all) || (f.exitCodes.includes(137) && /memory/i.test(all))) return 'oom';
  if (/failed ELB health checks|failed load balancer health checks/i.test(all)) return 'elb-health';
  if (/failed container health checks/i.test(all)) return 'container-health';
  if (CAPACITY.test(all) || f.stopCode === 'SpotInterruption') return 'capacity';
  if (isBenign(f.stopCode, all)) return 'benign';
  if (f.stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(all) || f.exitCodes.some((c) => c !== 0))
    return 'essential-exit';
  return 'unknown';
}

/** ResourceInitializationError: ECS could not prepare the task (secrets, ENI, log stream, registry auth). */
function resourceInitKind(all: string): StopKind {
  if (SECRET_WORDS.test(all)) {
    if (DENIED.test(all) || /ResourceNotFound|can't find|cannot find|not found/i.test(all)) return 'secrets';
    return UNREACHABLE.test(all) ? 'resource-init' : 'secrets';
  }
  if (ENI_WORDS.test(all)) return 'eni';
  if (LOG_WORDS.test(all)) return 'log-config';
  if (REGISTRY_WORDS.test(all)) return 'image-pull-network';
  return 'resource-init';
}

/** The container that decided the task's fate: the app container if it stopped with a code or reason, else any that did. */
export function keyContainer<C extends { name?: string; exitCode?: number; reason?: string }>(
  t: { containers?: C[] },
  appContainer: string,
): C | undefined {
  const cs = t.containers ?? [];
  const app = cs.find((c) => c.name === appContainer);
  if (app && (app.exitCode !== undefined || app.reason)) return app;
  return cs.find((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason) ?? app ?? cs[0];
}

/**
 * A stopped reason with ids, ARNs, digests, addresses and request ids blanked, so that equal causes
 * group together (and read the same in a report).
 */
export function normaliseReason(s: string | undefined): string {
  return (s ?? '')
    .replace(/arn:aws[a-z-]*:[^\s,;"')]+/g, '<arn>')
    .replace(/sha256:[a-f0-9]{12,}/gi, 'sha256:<digest>')
    .replace(/request ?id: [\w-]+/gi, 'request id: <id>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b[0-9a-f]{32}\b/gi, '<id>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 240);
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
