/**
 * The sentences that explain a stop: for one task, what an on-call engineer can act on (the
 * rollout verdict's reasons); for a group of alike stops, what the cause is (the doctor's
 * findings). The kind comes from stops.ts. Pure.
 */
import { classifyStop, exitCodeMeaning, keyContainer, type StopFamily, type StopKind } from './stops.js';
import type { TaskSnap } from './types.js';

export interface Explanation {
  kind: StopKind;
  explanation: string;
  /** The task will fail the same way on every retry (a rollout fails at its first occurrence). */
  definitive: boolean;
  container?: string;
  exitCode?: number;
}

/** What the explanation may name about the service: its app container, platform, memory, image, health check. */
export interface StopContext {
  /** The app container's name (serviceNames().container). */
  container: string;
  /** The task definition's runtimePlatform.cpuArchitecture and memory (MiB). */
  cpuArchitecture?: string;
  memory?: number;
  image?: string;
  healthPath?: string;
  port?: number;
}

const DEFINITIVE: ReadonlySet<StopKind> = new Set(['arch-mismatch', 'image-not-found', 'image-pull-denied', 'secrets', 'log-config']);

interface Said {
  reason: string;
  creason: string;
  all: string;
  image: string;
  arch: string;
  exitCode?: number;
  containerName?: string;
  stopCode?: string;
  id: StopContext;
}

/** Why this one task stopped, in one sentence, with its kind. */
export function explainStop(t: TaskSnap, logLines: string[] | undefined, id: StopContext): Explanation {
  const reason = t.stoppedReason ?? '';
  const c = keyContainer(t, id.container);
  const creason = c?.reason ?? '';
  const all = `${reason}\n${creason}`;
  const kind = classifyStop({
    stopCode: t.stopCode,
    stoppedReason: reason,
    containerReasons: creason ? [creason] : [],
    exitCodes: c?.exitCode !== undefined ? [c.exitCode] : [],
    logLines: logLines ?? [],
  });
  const said: Said = {
    reason,
    creason,
    all,
    image: imageIn(all) ?? c?.image ?? id.image ?? 'the image',
    arch: id.cpuArchitecture ?? 'X86_64',
    exitCode: c?.exitCode,
    containerName: c?.name,
    stopCode: t.stopCode,
    id,
  };
  return { container: c?.name, exitCode: c?.exitCode, kind, definitive: DEFINITIVE.has(kind), explanation: SENTENCE[kind](said) };
}

const SENTENCE: Record<StopKind, (s: Said) => string> = {
  'arch-mismatch': (s) =>
    `exec format error: the image's architecture does not match runtimePlatform ${s.arch} — build with --platform ${s.arch === 'ARM64' ? 'linux/arm64' : 'linux/amd64'} (or set cpuArchitecture to match the image)`,
  'image-not-found': (s) => `CannotPullContainerError: image ${s.image} not found in ECR — push it or fix the tag`,
  'image-pull-denied': (s) =>
    `CannotPullContainerError: access to ${s.image} denied — give the execution role${roleIn(s.all) ? ` ${roleIn(s.all)}` : ''} ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (or fix the repository policy)`,
  'image-pull-network': (s) => {
    if (/timeout|i\/o timeout|dial tcp|connection refused|no such host|context deadline/i.test(s.all))
      return `CannotPullContainerError: the task could not reach ECR — give its private subnets a route to a NAT gateway (0.0.0.0/0 -> nat-*) or VPC endpoints for ecr.api, ecr.dkr and s3, and allow egress 443`;
    if (!/CannotPullContainerError/i.test(s.all) && /ResourceInitializationError/i.test(s.all))
      return `ResourceInitializationError: ${short(s.reason)}`;
    return `CannotPullContainerError: ${short(s.reason || s.creason)}`;
  },
  secrets: (s) => secretsSentence(s),
  'resource-init': (s) =>
    /timeout|dial tcp|i\/o timeout|RequestError/i.test(s.all)
      ? `ResourceInitializationError: the task could not reach Secrets Manager/ECR — give its private subnets a NAT route or VPC endpoints, and allow egress 443`
      : `ResourceInitializationError: ${short(s.reason)}`,
  'log-config': () =>
    `ResourceInitializationError: the awslogs driver cannot write its stream — create the log group or allow logs:CreateLogStream and logs:PutLogEvents to the execution role`,
  eni: (s) =>
    `ResourceInitializationError: Fargate could not attach a network interface (subnet out of free addresses, or the ENI quota) — ${short(s.reason)}`,
  oom: (s) =>
    `OutOfMemoryError: container killed — raise memory${s.id.memory ? ` (the task has ${s.id.memory} MiB)` : ''} or find the leak`,
  'elb-health': (s) =>
    `Task failed the load balancer health check${s.id.healthPath ? ` on ${s.id.healthPath}` : ''} — the app must answer 200 there on port ${s.id.port ?? 'its container port'} within the timeout (check the container port equals the target group port, the app SG allows the ALB, and the app's own errors in the logs)`,
  'container-health': () =>
    `Task failed its container health check (the task definition's healthCheck command) — see the log lines below; a slow start needs a longer startPeriod`,
  'essential-exit': (s) => {
    const code = s.exitCode;
    const what = code === 137 ? ' (killed: SIGKILL)' : code === 139 ? ' (segmentation fault)' : '';
    return `Essential container${s.containerName ? ` ${s.containerName}` : ''} exited with code ${code ?? '?'}${what} — see the log lines below`;
  },
  capacity: (s) => `Fargate had no capacity for the task (ECS retries) — ${short(s.reason || s.creason)}`,
  benign: (s) => short(s.reason || `task stopped (${s.stopCode ?? 'no stop code'})`),
  unknown: (s) => short(s.reason || s.creason || `task stopped (${s.stopCode ?? 'no stop code'})`),
};

function secretsSentence(s: Said): string {
  const secret = secretIn(s.all);
  const role = roleIn(s.all);
  if (/AccessDenied|not authorized/i.test(s.all))
    return `ResourceInitializationError: unable to pull secrets — the execution role${role ? ` ${role}` : ''} cannot read the secret${secret ? ` ${secret}` : ''}; allow secretsmanager:GetSecretValue (and kms:Decrypt for a customer key) on it`;
  if (/ResourceNotFound|can't find|cannot find|not found/i.test(s.all))
    return `ResourceInitializationError: a secret the task definition references does not exist${secret ? ` (${secret})` : ''} — create it or fix the valueFrom ARN (mind the :jsonkey:: suffix)`;
  return `ResourceInitializationError: unable to pull secrets — ${short(s.reason)}`;
}

/** Why a group of alike stops happened, for a doctor finding: the family's cause, and the exit codes' meanings. */
export function stopFamilyCause(
  family: StopFamily,
  exitCodes: number[],
  memory: number | string | undefined,
  cpu: string,
  reason: string,
): string {
  switch (family) {
    case 'image-pull':
      return 'the image could not be pulled (missing from ECR, no ECR permission, or no route to ECR)';
    case 'secrets':
      return 'the secrets could not be fetched before start (missing secret or key, no read permission, or no route to Secrets Manager)';
    case 'log-config':
      return 'the awslogs driver could not create its log stream (the log group does not exist, or the execution role may not write to it)';
    case 'eni':
      return 'Fargate could not attach a network interface (subnet out of free addresses, or the ENI quota is reached)';
    case 'out-of-memory':
      return `the container ran out of memory (task memory ${memory} MiB)`;
    case 'exec-format':
      return `"exec format error": the image was built for another CPU than the task's ${cpu}`;
    case 'elb-health':
      return 'the load balancer health check failed and ECS replaced the task';
    case 'container-health':
      return "the container's own health check failed";
    case 'app-exit':
      return `the essential container exited${exitCodes.length ? ` with ${exitCodes.map((c) => `${c} (${exitCodeMeaning(c)})`).join(', ')}` : ''}`;
    case 'capacity':
      return 'Fargate had no capacity for the task';
    case 'benign':
      return 'stopped on purpose';
    case 'unknown':
      return `stopped: ${reason || 'no reason given'}`;
  }
}

/** Pull the image reference out of a CannotPullContainerError message, when it names one. */
function imageIn(text: string): string | undefined {
  const m =
    /(?:failed to resolve ref|pull image manifest[^:]*:\s*[^:]*:)?\s*([a-z0-9.-]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[^\s:@]+(?::[^\s:]+|@sha256:[a-f0-9]+)?)/i.exec(
      text,
    );
  return m?.[1];
}

function secretIn(text: string): string | undefined {
  return /(arn:aws[a-z-]*:(?:secretsmanager|ssm):[^\s,"')]+)/.exec(text)?.[1]?.replace(/[.:]$/, '');
}

function roleIn(text: string): string | undefined {
  return /assumed-role\/([^/\s]+)/.exec(text)?.[1];
}

function short(s: string, n = 300): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}
