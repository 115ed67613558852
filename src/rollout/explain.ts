/**
 * Why did a task stop? Turns ECS's stop code, stopped reason, container exit code and the task's
 * last log lines into one sentence an on-call engineer can act on. Pure.
 */
import type { FailureKind, Identity, TaskSnap } from './types.js';

export interface Explanation {
  kind: FailureKind;
  explanation: string;
  definitive: boolean;
  container?: string;
  exitCode?: number;
}

export function taskId(arn: string | undefined): string {
  return (arn ?? '').split('/').pop() ?? '';
}

/** A stop that is not a failure: a scale-in, a deployment replacing tasks, a person, a Spot reclaim. */
export function isBenignStop(t: TaskSnap): boolean {
  const reason = t.stoppedReason ?? '';
  if (t.stopCode === 'UserInitiated' || t.stopCode === 'SpotInterruption' || t.stopCode === 'TerminationNotice') return true;
  if (/Scaling activity initiated by|Task stopped by user|Deployment (cancelled|rolled back)|Service .* deleted/i.test(reason)) return true;
  return false;
}

/** The container that decided the task's fate: the app container if it stopped with a code or reason, else any that did. */
function keyContainer(t: TaskSnap, appContainer: string) {
  const cs = t.containers ?? [];
  const app = cs.find((c) => c.name === appContainer);
  if (app && (app.exitCode !== undefined || app.reason)) return app;
  return cs.find((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason) ?? app ?? cs[0];
}

function platformFlag(arch: string | undefined): string {
  return arch === 'ARM64' ? 'linux/arm64' : 'linux/amd64';
}

/** Pull the image reference out of a CannotPullContainerError message, when it names one. */
function imageIn(text: string): string | undefined {
  const m = /(?:failed to resolve ref|pull image manifest[^:]*:\s*[^:]*:)?\s*([a-z0-9.-]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[^\s:@]+(?::[^\s:]+|@sha256:[a-f0-9]+)?)/i.exec(text);
  return m?.[1];
}

function secretIn(text: string): string | undefined {
  return /(arn:aws[a-z-]*:(?:secretsmanager|ssm):[^\s,"')]+)/.exec(text)?.[1]?.replace(/[.:]$/, '');
}

function roleIn(text: string): string | undefined {
  return /assumed-role\/([^/\s]+)/.exec(text)?.[1];
}

export function explainStop(t: TaskSnap, logLines: string[] | undefined, id: Pick<Identity, 'container' | 'cpuArchitecture' | 'memory' | 'image' | 'healthPath' | 'port'>): Explanation {
  const reason = t.stoppedReason ?? '';
  const c = keyContainer(t, id.container);
  const creason = c?.reason ?? '';
  const all = `${reason}\n${creason}`;
  const logs = (logLines ?? []).join('\n');
  const arch = id.cpuArchitecture ?? 'X86_64';
  const image = imageIn(all) ?? c?.image ?? id.image ?? 'the image';
  const base = { container: c?.name, exitCode: c?.exitCode };

  if (/exec format error/i.test(all) || /exec format error/i.test(logs) || /does not contain descriptor matching platform|no matching manifest for/i.test(all)) {
    return {
      ...base,
      kind: 'arch-mismatch',
      definitive: true,
      explanation: `exec format error: the image's architecture does not match runtimePlatform ${arch} — build with --platform ${platformFlag(arch)} (or set cpuArchitecture to match the image)`,
    };
  }
  if (/CannotPullContainerError/i.test(all)) {
    if (/not found|manifest unknown|does not exist|repository .* not found|NotFound/i.test(all))
      return { ...base, kind: 'image-not-found', definitive: true, explanation: `CannotPullContainerError: image ${image} not found in ECR — push it or fix the tag` };
    if (/access denied|AccessDenied|403|unauthorized|not authorized/i.test(all))
      return {
        ...base,
        kind: 'image-pull-denied',
        definitive: true,
        explanation: `CannotPullContainerError: access to ${image} denied — give the execution role${roleIn(all) ? ` ${roleIn(all)}` : ''} ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (or fix the repository policy)`,
      };
    if (/timeout|i\/o timeout|dial tcp|connection refused|no such host|context deadline/i.test(all))
      return {
        ...base,
        kind: 'image-pull-network',
        definitive: false,
        explanation: `CannotPullContainerError: the task could not reach ECR — give its private subnets a route to a NAT gateway (0.0.0.0/0 -> nat-*) or VPC endpoints for ecr.api, ecr.dkr and s3, and allow egress 443`,
      };
    return { ...base, kind: 'image-pull-network', definitive: false, explanation: `CannotPullContainerError: ${short(reason || creason)}` };
  }
  if (/ResourceInitializationError/i.test(all) || /unable to pull secrets|retrieve secret|secretsmanager|asm:|ssm:/i.test(all)) {
    if (/secret|asm|ssm|parameter/i.test(all)) {
      const secret = secretIn(all);
      const role = roleIn(all);
      if (/AccessDenied|not authorized/i.test(all))
        return {
          ...base,
          kind: 'secrets',
          definitive: true,
          explanation: `ResourceInitializationError: unable to pull secrets — the execution role${role ? ` ${role}` : ''} cannot read the secret${secret ? ` ${secret}` : ''}; allow secretsmanager:GetSecretValue (and kms:Decrypt for a customer key) on it`,
        };
      if (/ResourceNotFound|can't find|cannot find|not found/i.test(all))
        return {
          ...base,
          kind: 'secrets',
          definitive: true,
          explanation: `ResourceInitializationError: a secret the task definition references does not exist${secret ? ` (${secret})` : ''} — create it or fix the valueFrom ARN (mind the :jsonkey:: suffix)`,
        };
      if (/timeout|dial tcp|i\/o timeout|RequestError/i.test(all))
        return {
          ...base,
          kind: 'resource-init',
          definitive: false,
          explanation: `ResourceInitializationError: the task could not reach Secrets Manager/ECR — give its private subnets a NAT route or VPC endpoints, and allow egress 443`,
        };
      return { ...base, kind: 'secrets', definitive: true, explanation: `ResourceInitializationError: unable to pull secrets — ${short(reason)}` };
    }
    if (/log group|log stream|logger/i.test(all))
      return {
        ...base,
        kind: 'log-config',
        definitive: true,
        explanation: `ResourceInitializationError: the awslogs driver cannot write its stream — create the log group or allow logs:CreateLogStream and logs:PutLogEvents to the execution role`,
      };
    return { ...base, kind: 'resource-init', definitive: false, explanation: `ResourceInitializationError: ${short(reason)}` };
  }
  if (/OutOfMemory/i.test(all) || (c?.exitCode === 137 && /memory/i.test(all))) {
    return {
      ...base,
      kind: 'oom',
      definitive: false,
      explanation: `OutOfMemoryError: container killed — raise memory${id.memory ? ` (the task has ${id.memory} MiB)` : ''} or find the leak`,
    };
  }
  if (/failed ELB health checks|failed load balancer health checks/i.test(reason)) {
    return {
      ...base,
      kind: 'elb-health',
      definitive: false,
      explanation: `Task failed the load balancer health check${id.healthPath ? ` on ${id.healthPath}` : ''} — the app must answer 200 there on port ${id.port ?? 'its container port'} within the timeout (check the container port equals the target group port, the app SG allows the ALB, and the app's own errors in the logs)`,
    };
  }
  if (/failed container health checks/i.test(reason)) {
    return {
      ...base,
      kind: 'container-health',
      definitive: false,
      explanation: `Task failed its container health check (the task definition's healthCheck command) — see the log lines below; a slow start needs a longer startPeriod`,
    };
  }
  if (t.stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(reason) || (c?.exitCode !== undefined && c.exitCode !== 0)) {
    const code = c?.exitCode;
    return {
      ...base,
      kind: 'essential-exit',
      definitive: false,
      explanation: `Essential container${c?.name ? ` ${c.name}` : ''} exited with code ${code ?? '?'}${code === 137 ? ' (killed: SIGKILL)' : code === 139 ? ' (segmentation fault)' : ''} — see the log lines below`,
    };
  }
  return { ...base, kind: 'unknown', definitive: false, explanation: short(reason || creason || `task stopped (${t.stopCode ?? 'no stop code'})`) };
}

function short(s: string, n = 300): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** Describe an unhealthy target as the ALB reports it. */
export function explainTarget(t: { id: string; port?: number; state: string; reason?: string; description?: string }, healthPath?: string): string {
  const where = `${t.id}${t.port ? `:${t.port}` : ''}`;
  const what = [t.reason, t.description].filter(Boolean).join(': ');
  let fix = '';
  if (t.reason === 'Target.ResponseCodeMismatch') fix = ` — the app answers ${healthPath ?? 'the health path'} with an error; see its logs`;
  else if (t.reason === 'Target.Timeout') fix = ' — no answer in time: check the app listens on 0.0.0.0 at the container port and the app SG allows the ALB';
  else if (t.reason === 'Target.FailedHealthChecks') fix = ' — the connection failed: check the container port and the app SG ingress from the ALB SG';
  return `target ${where} ${t.state}${what ? ` (${what})` : ''}${fix}`;
}
