/**
 * health: why the load balancer calls targets unhealthy. The container port must equal the target
 * group's port, both health checks must probe the configured path, the listener must route to the
 * target group, and the public health URL must answer 200.
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { names, publicHealthPath, serviceNames } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import type { HealthFacts, HealthService } from '../facts.js';
import { tallyDescriptions } from '../../ecs/targets.js';
import { mainContainer } from '../lib/ecs.js';
import { fail, pass, plural, shq, warn } from '../lib/finding.js';
import type { CheckInput, Finding } from '../types.js';

export function checkHealth(f: HealthFacts, input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const svc of input.services) {
    const hs = f.services.find((s) => s.name === svc.name) ?? { name: svc.name, targetHealth: [] };
    out.push(...serviceHealth(f, hs, svc, input.env));
  }
  return out;
}

/** `curl -f http://localhost:8001/health` -> { port: 8001, path: '/health' } */
export function parseHealthCommand(cmd: string[] | undefined): { port?: number; path?: string } | undefined {
  if (!cmd?.length) return undefined;
  const text = cmd.join(' ');
  const m = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"|;&)]*)?/.exec(text);
  if (!m) return {};
  return { port: m[1] ? Number(m[1]) : 80, path: m[2] ?? '/' };
}

const forwardsTo = (a: Action | undefined, tg: string) =>
  Boolean(a && a.Type === 'forward' && (a.TargetGroupArn === tg || a.ForwardConfig?.TargetGroups?.some((t) => t.TargetGroupArn === tg)));

const REASONS: Record<string, string> = {
  'Target.ResponseCodeMismatch': 'the health path answered with a code outside the matcher: is the path right and does the app serve it?',
  'Target.Timeout': 'no answer in time: the load balancer cannot reach the port (security groups) or the app listens on 127.0.0.1 only',
  'Target.FailedHealthChecks': 'health checks failed (connection refused or reset): is the app listening on the container port?',
  'Target.NotRegistered': 'the target is not registered',
  'Target.NotInUse': 'the target group is not used by any listener rule',
  'Target.DeregistrationInProgress': 'the target is draining',
  'Target.InvalidState': 'the target is stopped or terminated',
  'Elb.InitialHealthChecking': 'the first health checks are still running',
  'Elb.InternalError': 'the load balancer had an internal error',
};

/** What every health check of one service reads. */
interface HealthCtx {
  f: HealthFacts;
  hs: HealthService;
  svc: ServiceConfig;
  env: EnvironmentConfig;
  sn: ReturnType<typeof serviceNames>;
  service: string;
  tg: NonNullable<HealthService['targetGroup']>;
  tgArn: string;
  /** The command that puts the configuration back. */
  apply: string;
  td: HealthService['taskDefinition'];
  c: ReturnType<typeof mainContainer>;
  containerPort?: number;
}

function serviceHealth(f: HealthFacts, hs: HealthService, svc: ServiceConfig, env: EnvironmentConfig): Finding[] {
  const sn = serviceNames(env, svc);
  const tg = hs.targetGroup;
  const apply = `berth apply --env ${env.name}`;
  if (!tg)
    return [
      fail('health.target-group', {
        resource: sn.targetGroup,
        service: svc.name,
        message: `no target group ${sn.targetGroup}`,
        evidence: { targetGroup: sn.targetGroup },
        fix: { commands: [apply] },
      }),
    ];
  const td = hs.taskDefinition;
  const c = mainContainer(td, sn.container, hs.service);
  const k: HealthCtx = {
    f,
    hs,
    svc,
    env,
    sn,
    service: svc.name,
    tg,
    tgArn: tg.TargetGroupArn!,
    apply,
    td,
    c,
    containerPort: c?.portMappings?.[0]?.containerPort,
  };
  return [...targetGroup(k), ...ports(k), ...paths(k), ...routing(k), ...targets(k), ...endpoint(k)];
}

/** The target group takes Fargate tasks over HTTP. */
function targetGroup(k: HealthCtx): Finding[] {
  const { sn, service, tg, tgArn, apply } = k;
  const out: Finding[] = [];
  const tgEv = {
    targetGroup: tgArn,
    protocol: tg.Protocol ?? null,
    port: tg.Port ?? null,
    targetType: tg.TargetType ?? null,
    vpc: tg.VpcId ?? null,
    loadBalancers: tg.LoadBalancerArns ?? [],
  };
  if (tg.TargetType && tg.TargetType !== 'ip')
    out.push(
      fail('health.target-group', {
        resource: tgArn,
        service,
        message: `${sn.targetGroup} has target type ${tg.TargetType}: Fargate tasks (awsvpc) register as ip targets`,
        evidence: tgEv,
        fix: { commands: [apply] },
      }),
    );
  else if (tg.Protocol && tg.Protocol !== 'HTTP' && tg.Protocol !== 'HTTPS')
    out.push(
      fail('health.target-group', {
        resource: tgArn,
        service,
        message: `${sn.targetGroup} uses ${tg.Protocol}, the service speaks HTTP`,
        evidence: tgEv,
        fix: { commands: [apply] },
      }),
    );
  else
    out.push(
      pass('health.target-group', {
        resource: tgArn,
        service,
        message: `${sn.targetGroup}: ${tg.Protocol} ${tg.Port}, ${tg.TargetType} targets`,
        evidence: tgEv,
      }),
    );
  return out;
}

/** The container, the target group, its health check and the service use one port. */
function ports(k: HealthCtx): Finding[] {
  const { hs, svc, env, sn, service, tg, tgArn, apply, td, containerPort } = k;
  const out: Finding[] = [];
  const lbEntry = hs.service?.loadBalancers?.find((l) => l.targetGroupArn === tgArn);
  const hcPort = tg.HealthCheckPort && tg.HealthCheckPort !== 'traffic-port' ? Number(tg.HealthCheckPort) : undefined;
  const portEv = {
    configPort: svc.port,
    containerPort: containerPort ?? null,
    targetGroupPort: tg.Port ?? null,
    serviceLoadBalancerPort: lbEntry?.containerPort ?? null,
    healthCheckPort: tg.HealthCheckPort ?? null,
    taskDefinition: td?.taskDefinitionArn ?? null,
  };
  const problems: string[] = [];
  if (containerPort !== undefined && tg.Port !== undefined && containerPort !== tg.Port)
    problems.push(`the container listens on ${containerPort} but target group ${sn.targetGroup} is on ${tg.Port}`);
  if (hcPort !== undefined && containerPort !== undefined && hcPort !== containerPort)
    problems.push(`the health check probes port ${hcPort}, the container listens on ${containerPort}`);
  if (lbEntry?.containerPort !== undefined && containerPort !== undefined && lbEntry.containerPort !== containerPort)
    problems.push(`the service registers port ${lbEntry.containerPort}, the container listens on ${containerPort}`);
  if (hs.service && !lbEntry) problems.push(`service ${svc.name} is not attached to target group ${sn.targetGroup}`);
  if (containerPort !== undefined && containerPort !== svc.port)
    problems.push(`the container port ${containerPort} differs from the configured port ${svc.port}`);
  if (!td)
    out.push(
      fail('health.port', {
        resource: tgArn,
        service,
        message: 'no task definition to compare ports with',
        evidence: portEv,
        see: ['task-start.task-definition'],
      }),
    );
  else if (problems.length)
    out.push(
      fail('health.port', {
        resource: tgArn,
        service,
        message: problems.join('; '),
        evidence: portEv,
        fix: {
          commands: [apply],
          note: `A target group's port cannot be changed in place: berth apply replaces ${sn.targetGroup} on port ${svc.port} and re-attaches the service. If the application listens elsewhere, set services[${env.services.indexOf(svc)}].port to that port.`,
        },
      }),
    );
  else
    out.push(
      pass('health.port', {
        resource: tgArn,
        service,
        message: `container, target group and service all use port ${containerPort}`,
        evidence: portEv,
      }),
    );
  return out;
}

/** The target group and the container probe the health path; the matcher accepts 200. */
function paths(k: HealthCtx): Finding[] {
  const { svc, sn, service, tg, tgArn, apply, td, c, containerPort } = k;
  const out: Finding[] = [];
  const hc = parseHealthCommand(c?.healthCheck?.command);
  const pathEv = {
    configPath: svc.healthPath,
    targetGroupPath: tg.HealthCheckPath ?? null,
    matcher: tg.Matcher?.HttpCode ?? null,
    healthCheckEnabled: tg.HealthCheckEnabled ?? true,
    containerHealthCheck: c?.healthCheck?.command?.join(' ') ?? 'none',
  };
  const pathProblems: string[] = [];
  const cmds: string[] = [];
  if (tg.HealthCheckEnabled === false) pathProblems.push(`health checks are disabled on ${sn.targetGroup}`);
  if (tg.HealthCheckPath !== svc.healthPath) {
    pathProblems.push(`target group ${sn.targetGroup} probes ${tg.HealthCheckPath ?? '(none)'}, the service answers on ${svc.healthPath}`);
    cmds.push(`aws elbv2 modify-target-group --target-group-arn ${tgArn} --health-check-path ${shq(svc.healthPath)}`);
  }
  if (hc && hc.path !== undefined && hc.path !== svc.healthPath)
    pathProblems.push(`the container health check probes ${hc.path}, not ${svc.healthPath}`);
  if (hc && hc.port !== undefined && containerPort !== undefined && hc.port !== containerPort)
    pathProblems.push(`the container health check probes port ${hc.port}, the container listens on ${containerPort}`);
  const matcher = tg.Matcher?.HttpCode;
  const matcherOk =
    !matcher ||
    matcher
      .split(',')
      .some(
        (m) => m.trim() === '200' || (/^(\d+)-(\d+)$/.test(m.trim()) && Number(m.split('-')[0]) <= 200 && Number(m.split('-')[1]) >= 200),
      );
  if (pathProblems.length) {
    if (hc && (hc.path !== svc.healthPath || (hc.port !== undefined && hc.port !== containerPort))) cmds.push(apply);
    out.push(
      fail('health.path', {
        resource: tgArn,
        service,
        message: pathProblems.join('; '),
        evidence: pathEv,
        fix: { commands: cmds.length ? cmds : [apply] },
      }),
    );
  } else if (!c?.healthCheck)
    out.push(
      warn('health.path', {
        resource: td?.taskDefinitionArn ?? tgArn,
        service,
        message: 'the container has no health check: a hung process is only noticed by the load balancer',
        evidence: pathEv,
        fix: { commands: [apply] },
      }),
    );
  else if (!matcherOk)
    out.push(
      warn('health.path', {
        resource: tgArn,
        service,
        message: `matcher ${matcher} does not accept 200`,
        evidence: pathEv,
        fix: { commands: [`aws elbv2 modify-target-group --target-group-arn ${tgArn} --matcher HttpCode=200`] },
      }),
    );
  else
    out.push(
      pass('health.path', {
        resource: tgArn,
        service,
        message: `target group and container both probe ${svc.healthPath}`,
        evidence: pathEv,
      }),
    );
  return out;
}

/**
 * The listener rule that forwards the service's path pattern to its target group ('/*' needs no condition); a
 * test rule (an http-header condition: X-Berth-Test) routes no public traffic and does not count.
 */
function ruleForwarding(rules: Rule[], tgArn: string, pathPattern: string): Rule | undefined {
  return rules.find(
    (r) =>
      r.Actions?.some((a) => forwardsTo(a, tgArn)) &&
      !r.Conditions?.some((c2) => c2.Field === 'http-header') &&
      (pathPattern === '/*' ||
        r.Conditions?.some((c2) => c2.Field === 'path-pattern' && (c2.PathPatternConfig?.Values ?? c2.Values ?? []).includes(pathPattern))),
  );
}

/** The HTTPS listener forwards the path to the target group; HTTP redirects to HTTPS. */
type Rule = HealthCtx['f']['rules'][string][number];

function routing(k: HealthCtx): Finding[] {
  const { f, svc, env, sn, service, tgArn, apply } = k;
  const out: Finding[] = [];
  const lb = f.loadBalancer;
  const n = names(env);
  if (!lb)
    out.push(
      fail('health.routing', {
        resource: n.alb,
        service,
        message: `no load balancer ${n.alb}`,
        evidence: { loadBalancer: n.alb },
        fix: { commands: [apply] },
      }),
    );
  else {
    const https = f.listeners.find((l) => l.Port === 443);
    const http = f.listeners.find((l) => l.Port === 80);
    const rules = https ? (f.rules[https.ListenerArn!] ?? []) : [];
    const byDefault = forwardsTo(
      https?.DefaultActions?.find((a) => a.Type === 'forward'),
      tgArn,
    );
    const byRule = ruleForwarding(rules, tgArn, svc.pathPattern);
    const redirect = http?.DefaultActions?.find(
      (a) => a.Type === 'redirect' && (a.RedirectConfig?.Protocol === 'HTTPS' || a.RedirectConfig?.Port === '443'),
    );
    const ev = {
      loadBalancer: lb.LoadBalancerArn ?? n.alb,
      state: lb.State?.Code ?? null,
      https: https ? `${https.Protocol}:443 ${https.SslPolicy ?? ''}`.trim() : 'none',
      http: http ? `${http.Protocol}:80 -> ${http.DefaultActions?.map(describeAction).join(', ')}` : 'none',
      route: byRule ? `rule ${byRule.Priority} ${svc.pathPattern}` : byDefault ? 'default action' : 'none',
    };
    if (!https)
      out.push(
        fail('health.routing', {
          resource: lb.LoadBalancerArn,
          service,
          message: `${n.alb} has no HTTPS:443 listener`,
          evidence: ev,
          fix: { commands: [apply] },
          see: ['certificate.status'],
        }),
      );
    else if (!byDefault && !byRule)
      out.push(
        fail('health.routing', {
          resource: https.ListenerArn,
          service,
          message: `the HTTPS listener does not forward ${svc.pathPattern} to ${sn.targetGroup}: requests never reach the service`,
          evidence: ev,
          fix: {
            commands:
              svc.pathPattern === '/*'
                ? [`aws elbv2 modify-listener --listener-arn ${https.ListenerArn} --default-actions Type=forward,TargetGroupArn=${tgArn}`]
                : [
                    `aws elbv2 create-rule --listener-arn ${https.ListenerArn} --priority <n> --conditions Field=path-pattern,Values=${shq(svc.pathPattern)} --actions Type=forward,TargetGroupArn=${tgArn}`,
                  ],
          },
        }),
      );
    else if (lb.State?.Code && lb.State.Code !== 'active')
      out.push(warn('health.routing', { resource: lb.LoadBalancerArn, service, message: `${n.alb} is ${lb.State.Code}`, evidence: ev }));
    else if (!redirect)
      out.push(
        warn('health.routing', {
          resource: http?.ListenerArn ?? lb.LoadBalancerArn,
          service,
          message: http ? 'HTTP:80 does not redirect to HTTPS' : 'no HTTP:80 listener redirecting to HTTPS',
          evidence: ev,
          fix: { commands: [apply] },
        }),
      );
    else if (https.SslPolicy && !/TLS13|TLS-1-2|FS-1-2/.test(https.SslPolicy))
      out.push(
        warn('health.routing', {
          resource: https.ListenerArn,
          service,
          message: `SSL policy ${https.SslPolicy} still allows TLS 1.0/1.1`,
          evidence: ev,
          fix: {
            commands: [`aws elbv2 modify-listener --listener-arn ${https.ListenerArn} --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06`],
          },
        }),
      );
    else
      out.push(
        pass('health.routing', {
          resource: https.ListenerArn,
          service,
          message: `HTTPS:443 forwards ${svc.pathPattern} to ${sn.targetGroup}; HTTP redirects to HTTPS`,
          evidence: ev,
        }),
      );
  }
  return out;
}

/** The targets are healthy (why not, when they are not). */
function targets(k: HealthCtx): Finding[] {
  const { hs, svc, env, sn, service, tgArn } = k;
  const out: Finding[] = [];
  const th = hs.targetHealth;
  const tally = tallyDescriptions(th);
  const unhealthy = th.filter((t) => t.TargetHealth?.State !== 'healthy');
  const healthy = tally.healthy;
  const reasons = Object.keys(tally.reasons);
  const thEv = {
    targetGroup: tgArn,
    states: (['healthy', 'unhealthy', 'initial', 'draining', 'other'] as const).filter((k) => tally[k] > 0).map((k) => `${k}: ${tally[k]}`),
    unhealthy: unhealthy
      .slice(0, 5)
      .map((t) =>
        `${t.Target?.Id}:${t.Target?.Port} ${t.TargetHealth?.State} ${t.TargetHealth?.Reason ?? ''} ${t.TargetHealth?.Description ?? ''}`.trim(),
      ),
    explanation: reasons.map((r) => `${r}: ${REASONS[r] ?? 'see the description'}`),
  };
  const desired = hs.service?.desiredCount ?? svc.desiredCount;
  const see = ['health.path', 'health.port', 'security-groups.alb-to-app', 'task-start.stopped-tasks'];
  if (desired === 0 && !th.length)
    out.push(
      pass('health.targets', { resource: tgArn, service, message: 'the service is scaled to zero: no targets expected', evidence: thEv }),
    );
  else if (!healthy)
    out.push(
      fail('health.targets', {
        resource: tgArn,
        service,
        message: th.length
          ? `no healthy target in ${sn.targetGroup} (${thEv.states.join(', ')})`
          : `no targets registered in ${sn.targetGroup}: no task is running or the service is not attached`,
        evidence: thEv,
        see,
        fix: { commands: [`berth logs --env ${env.name} --service ${svc.name} --since 15m`] },
      }),
    );
  else if (unhealthy.length)
    out.push(
      warn('health.targets', {
        resource: tgArn,
        service,
        message: `${healthy} healthy, ${unhealthy.length} not (${reasons.join(', ') || 'no reason'})`,
        evidence: thEv,
        see,
      }),
    );
  else out.push(pass('health.targets', { resource: tgArn, service, message: `${plural(healthy, 'healthy target')}`, evidence: thEv }));
  return out;
}

/** The public health URL answers 200. */
function endpoint(k: HealthCtx): Finding[] {
  const { hs, svc, env, sn, service } = k;
  const out: Finding[] = [];
  const p = hs.probe;
  const url = p?.url ?? `${sn.healthUrl}`;
  const pEv = { url, status: p?.status ?? null, error: p?.error ?? null, body: p?.body ?? null, path: publicHealthPath(svc) };
  if (!p || p.skipped)
    out.push(
      warn('health.endpoint', {
        resource: url,
        service,
        message: `not probed: ${p?.skipped ?? 'no probe ran'}`,
        evidence: pEv,
        fix: { commands: [`curl -fsS ${url}`] },
      }),
    );
  else if (p.status === 200) out.push(pass('health.endpoint', { resource: url, service, message: `${url} answered 200`, evidence: pEv }));
  else
    out.push(
      fail('health.endpoint', {
        resource: url,
        service,
        message: p.status ? `${url} answered ${p.status}` : `${url} did not answer: ${p.error ?? 'no response'}`,
        evidence: pEv,
        see: ['health.targets', 'health.routing', 'certificate.alias-record', 'certificate.status'],
        fix: { commands: [`berth logs --env ${env.name} --service ${svc.name} --since 15m`] },
      }),
    );
  return out;
}

function describeAction(a: Action): string {
  if (a.Type === 'redirect') return `redirect ${a.RedirectConfig?.Protocol ?? ''}:${a.RedirectConfig?.Port ?? ''}`;
  if (a.Type === 'forward')
    return `forward ${(a.TargetGroupArn ?? a.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn ?? '').split('/')[1] ?? ''}`;
  return a.Type ?? '?';
}
