/**
 * task-start: does the service run, and if tasks stop, why. Stopped tasks are grouped by cause
 * and explained; the image must exist in ECR for the task's CPU architecture (incident: an image
 * built on an ARM laptop died with `exec format error` on x86_64 Fargate); the secrets the task
 * names must exist and hold the keys it asks for.
 */
import { names, serviceNames } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import { isSecretKey } from '../../output/redact.js';
import type { SecretShape, TaskStartFacts, TaskStartService } from '../facts.js';
import { mainContainer, secretRefs, toIso } from '../lib/ecs.js';
import { fail, pass, plural, shq, warn } from '../lib/finding.js';
import { ecsArch, ociArch } from '../lib/image.js';
import { parseValueFrom } from '../lib/refs.js';
import { isSettledWithTasks } from '../../ecs/settled.js';
import { stopFamilyCause } from '../../ecs/stop-explanations.js';
import { exitCodeMeaning, type StopFamily } from '../../ecs/stops.js';
import { groupStops, type StopGroup } from '../lib/stops.js';
import type { CheckInput, Finding, Fix } from '../types.js';

export function checkTaskStart(f: TaskStartFacts, input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const svc of input.services) {
    const sf = f.services.find((s) => s.name === svc.name) ?? { name: svc.name, stoppedTasks: [], logLines: {}, secrets: [] };
    out.push(...serviceChecks(sf, svc, input.env));
  }
  return out;
}

/** What every check of one service reads. */
interface K {
  sf: TaskStartService;
  svc: ServiceConfig;
  env: EnvironmentConfig;
  sn: ReturnType<typeof serviceNames>;
  service: string;
  td: NonNullable<TaskStartService['taskDefinition']>;
  c: ReturnType<typeof mainContainer>;
  tdArn: string;
  img: TaskStartService['image'];
  imageUri: string;
}

function serviceChecks(sf: TaskStartService, svc: ServiceConfig, env: EnvironmentConfig): Finding[] {
  const sn = serviceNames(env, svc);
  const s = sf.service;
  const service = svc.name;
  const state = serviceState(sf, svc, env);
  const out = [...state.out, ...stoppedTasks(sf, svc, env, state.steady)];
  const td = sf.taskDefinition;
  if (!td) {
    out.push(
      fail('task-start.task-definition', {
        resource: sn.taskFamily,
        service,
        message: `no task definition found for ${svc.name} (family ${sn.taskFamily})`,
        evidence: { family: sn.taskFamily },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
    return out;
  }
  const c = mainContainer(td, sn.container, s);
  const k: K = {
    sf,
    svc,
    env,
    sn,
    service,
    td,
    c,
    tdArn: td.taskDefinitionArn ?? sn.taskFamily,
    img: sf.image,
    imageUri: c?.image ?? sf.image?.ref.uri ?? '?',
  };
  return [...out, ...imageInEcr(k), ...architecture(k), ...wiring(k), ...secretsExist(k), ...logGroup(k)];
}

/** The service itself: found, deployed, running its tasks; and whether it is settled now. */
function serviceState(sf: TaskStartService, svc: ServiceConfig, env: EnvironmentConfig): { out: Finding[]; steady: boolean } {
  const out: Finding[] = [];
  const n = names(env);
  const s = sf.service;
  const service = svc.name;
  let steady = false;
  if (!s || s.status === 'INACTIVE' || s.status === 'DRAINING') {
    out.push(
      fail('task-start.service', {
        resource: `${n.cluster}/${svc.name}`,
        service,
        message: s
          ? `ECS service ${svc.name} in cluster ${n.cluster} is ${s.status}`
          : `no ECS service ${svc.name} in cluster ${n.cluster}`,
        evidence: { cluster: n.cluster, service: svc.name, status: s?.status ?? 'missing' },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  } else {
    const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
    const desired = s.desiredCount ?? 0;
    const running = s.runningCount ?? 0;
    const evidence = {
      service: s.serviceArn ?? svc.name,
      taskDefinition: s.taskDefinition ?? null,
      desired,
      running,
      pending: s.pendingCount ?? 0,
      rollout: primary?.rolloutState ?? null,
      rolloutReason: primary?.rolloutStateReason ?? null,
      failedTasks: primary?.failedTasks ?? 0,
      recentEvents: (s.events ?? []).slice(0, 3).map((e) => e.message ?? ''),
    };
    steady = isSettledWithTasks(s);
    if (primary?.rolloutState === 'FAILED')
      out.push(
        fail('task-start.service', {
          resource: s.serviceArn,
          service,
          message: `the latest deployment of ${svc.name} failed: ${primary.rolloutStateReason ?? 'no reason given'}`,
          evidence,
          see: ['task-start.stopped-tasks'],
          fix: { commands: [`berth rollback --env ${env.name} --service ${svc.name}`] },
        }),
      );
    else if (desired === 0)
      out.push(
        warn('task-start.service', {
          resource: s.serviceArn,
          service,
          message: `${svc.name} is scaled to zero tasks`,
          evidence,
          fix: {
            commands: [`aws ecs update-service --cluster ${n.cluster} --service ${svc.name} --desired-count ${svc.desiredCount || 1}`],
          },
        }),
      );
    else if (running === 0)
      out.push(
        fail('task-start.service', {
          resource: s.serviceArn,
          service,
          message: `${svc.name} runs 0 of ${desired} tasks`,
          evidence,
          see: ['task-start.stopped-tasks'],
        }),
      );
    else if (running < desired)
      out.push(
        warn('task-start.service', {
          resource: s.serviceArn,
          service,
          message: `${svc.name} runs ${running} of ${desired} tasks`,
          evidence,
          see: ['task-start.stopped-tasks'],
        }),
      );
    else
      out.push(
        pass('task-start.service', {
          resource: s.serviceArn,
          service,
          message: `${svc.name} runs ${running}/${desired} tasks${primary?.rolloutState ? ` (deployment ${primary.rolloutState})` : ''}`,
          evidence,
        }),
      );
  }
  return { out, steady };
}

/** Why tasks stopped: one finding per group of alike stops. */
function stoppedTasks(sf: TaskStartService, svc: ServiceConfig, env: EnvironmentConfig, steady: boolean): Finding[] {
  const out: Finding[] = [];
  const service = svc.name;
  const groups = groupStops(sf.stoppedTasks, sf.logLines);
  const failures = groups.filter((g) => g.kind !== 'benign');
  if (!failures.length)
    out.push(
      pass('task-start.stopped-tasks', {
        resource: svc.name,
        service,
        message: sf.stoppedTasks.length
          ? `none of ${plural(sf.stoppedTasks.length, 'recently stopped task')} failed`
          : 'no recently stopped tasks',
        evidence: { stopped: sf.stoppedTasks.length, benign: groups.filter((g) => g.kind === 'benign').reduce((a, g) => a + g.count, 0) },
      }),
    );
  for (const g of failures) {
    const text = stopRemedy(g, svc, env, sf);
    const evidence = {
      kind: g.kind,
      cause: g.cause,
      tasks: g.count,
      taskIds: g.taskIds,
      stopCode: g.stopCode ?? null,
      stoppedReason: g.reason,
      containerReasons: g.containerReasons,
      exitCodes: g.exitCodes.map((c) => `${c}: ${exitCodeMeaning(c)}`),
      lastStoppedAt: g.lastStoppedAt ?? null,
      logLines: g.logLines,
    };
    const mk = steady ? warn : fail;
    out.push(
      mk('task-start.stopped-tasks', {
        resource: g.taskIds[0],
        service,
        message: `${plural(g.count, 'task')} stopped: ${text.why}${steady ? ' (the service is steady now)' : ''}`,
        evidence,
        fix: text.fix,
        see: text.see,
      }),
    );
  }
  return out;
}

/** The image is in ECR. */
function imageInEcr(k: K): Finding[] {
  const { service, td, img, imageUri } = k;
  const out: Finding[] = [];
  if (!img || !img.ref.ecr)
    out.push(
      warn('task-start.image', {
        resource: imageUri,
        service,
        message: `${imageUri} is not an ECR image: berth cannot check it exists`,
        evidence: { image: imageUri },
      }),
    );
  else if (!img.found)
    out.push(
      fail('task-start.image', {
        resource: imageUri,
        service,
        message: `${imageUri} is not in ECR${img.error ? ` (${img.error})` : ''}: tasks stop with CannotPullContainerError`,
        evidence: { image: imageUri, repository: img.ref.repository ?? null, tag: img.ref.tag ?? img.ref.digest ?? null },
        fix: pushFix(imageUri, img.ref.registryId, img.ref.region, td.runtimePlatform?.cpuArchitecture ?? 'X86_64'),
      }),
    );
  else
    out.push(
      pass('task-start.image', {
        resource: imageUri,
        service,
        message: `${imageUri} exists in ECR`,
        evidence: { image: imageUri, manifest: img.manifest?.mediaType ?? null },
      }),
    );
  return out;
}

/** The image is built for the task's CPU architecture. */
function architecture(k: K): Finding[] {
  const { svc, env, service, td, tdArn, img, imageUri } = k;
  const out: Finding[] = [];
  const taskArch = (td.runtimePlatform?.cpuArchitecture as string | undefined) ?? 'X86_64';
  const explicit = Boolean(td.runtimePlatform?.cpuArchitecture);
  if (img?.found) {
    const m = img.manifest;
    const archs: string[] =
      m?.kind === 'index'
        ? (m.platforms ?? []).filter((p) => p.os === 'linux').map((p) => p.architecture + (p.variant ? `/${p.variant}` : ''))
        : m?.architecture
          ? [m.architecture]
          : img.configArchitecture
            ? [img.configArchitecture]
            : [];
    const evidence = {
      image: imageUri,
      imageArchitectures: archs,
      taskDefinition: tdArn,
      runtimePlatform: explicit ? taskArch : `unset (Fargate default ${taskArch})`,
      configured: svc.cpuArchitecture,
    };
    const i = env.services.indexOf(svc);
    if (!archs.length)
      out.push(
        warn('task-start.architecture', {
          resource: imageUri,
          service,
          message: `cannot tell which CPU ${imageUri} was built for${img.configError ? ` (${img.configError})` : ''}`,
          evidence,
          fix: { note: `Check with: docker buildx imagetools inspect ${imageUri}` },
        }),
      );
    else if (!archs.some((a) => ecsArch(a.split('/')[0]!) === taskArch)) {
      const other = archs.map((a) => ecsArch(a.split('/')[0]!)).find(Boolean);
      out.push(
        fail('task-start.architecture', {
          resource: imageUri,
          service,
          message: `${imageUri} is built for ${archs.join(', ')} but ${tdArn} runs on ${taskArch}: the container dies with "exec format error"`,
          evidence,
          fix: {
            ...pushFix(imageUri, img.ref.registryId, img.ref.region, taskArch),
            ...(other
              ? { config: `or run it on ${other}: services[${i}].cpuArchitecture = "${other}", then berth apply --env ${env.name}` }
              : {}),
          },
        }),
      );
    } else if (!explicit)
      out.push(
        warn('task-start.architecture', {
          resource: tdArn,
          service,
          message: `${tdArn} does not state runtimePlatform.cpuArchitecture (Fargate assumes X86_64)`,
          evidence,
          fix: { commands: [`berth apply --env ${env.name}`] },
        }),
      );
    else if (svc.cpuArchitecture !== taskArch)
      out.push(
        warn('task-start.architecture', {
          resource: tdArn,
          service,
          message: `${tdArn} runs on ${taskArch}, the config says ${svc.cpuArchitecture} (drift)`,
          evidence,
          fix: { commands: [`berth apply --env ${env.name}`] },
        }),
      );
    else
      out.push(
        pass('task-start.architecture', {
          resource: imageUri,
          service,
          message: `image ${archs.join(', ')} matches the task's ${taskArch}`,
          evidence,
        }),
      );
  }
  return out;
}

/** Environment and secrets wiring: no secret in plain environment, every configured secret wired. */
function wiring(k: K): Finding[] {
  const { svc, env, service, td, c, tdArn } = k;
  const out: Finding[] = [];
  const envNames = (c?.environment ?? []).map((e) => e.name ?? '');
  const refs = secretRefs(td);
  const secretNames = refs.map((r) => r.name);
  const missing = Object.keys(svc.secrets).filter((k) => !secretNames.includes(k));
  const plainSecrets = (c?.environment ?? [])
    .filter((e) => looksSecret(e.name ?? '') || /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^@\s/]+@/i.test(e.value ?? ''))
    .map((e) => e.name ?? '?');
  const tdEv = { taskDefinition: tdArn, container: c?.name ?? null, environment: envNames, secrets: secretNames };
  if (plainSecrets.length)
    out.push(
      fail('task-start.task-definition', {
        resource: tdArn,
        service,
        message: `${tdArn} passes ${plainSecrets.join(', ')} as plain environment variables: secrets belong in Secrets Manager`,
        evidence: { ...tdEv, plainSecrets },
        fix: {
          config: `move ${plainSecrets.join(', ')} from services[${env.services.indexOf(svc)}].environment to services[${env.services.indexOf(svc)}].secrets ("<secret name>:<json key>"), then berth apply --env ${env.name}`,
        },
      }),
    );
  else if (missing.length)
    out.push(
      fail('task-start.task-definition', {
        resource: tdArn,
        service,
        message: `${tdArn} lacks the configured secret(s) ${missing.join(', ')}`,
        evidence: { ...tdEv, missing },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else
    out.push(
      pass('task-start.task-definition', {
        resource: tdArn,
        service,
        message: `${plural(secretNames.length, 'secret')} wired from Secrets Manager, no secret in plain environment`,
        evidence: tdEv,
      }),
    );
  return out;
}

/** The secrets exist and hold their keys. */
function secretsExist(k: K): Finding[] {
  const { sf, service, td, tdArn } = k;
  const out: Finding[] = [];
  const refs = secretRefs(td);
  const bad: Finding[] = [];
  for (const r of refs) {
    const ref = parseValueFrom(r.valueFrom);
    if (ref.kind === 'ssm') {
      bad.push(
        warn('task-start.secrets', {
          resource: r.valueFrom,
          service,
          message: `${r.name} comes from SSM parameter ${r.valueFrom}: not checked`,
          evidence: { variable: r.name, parameter: r.valueFrom },
        }),
      );
      continue;
    }
    const sec = sf.secrets.find((x) => x.ref === ref.secretId);
    const v = judgeSecretKey(sec, ref.secretId, ref.jsonKey);
    if (v)
      bad.push(
        (v.unknown ? warn : fail)('task-start.secrets', {
          resource: sec?.arn ?? ref.secretId,
          service,
          message: `${r.name}: ${v.message}`,
          evidence: { variable: r.name, secretName: sec?.name ?? ref.secretId, jsonKey: ref.jsonKey ?? null, keys: sec?.keys ?? [] },
          fix: v.fix,
        }),
      );
  }
  out.push(...bad);
  if (!bad.length)
    out.push(
      pass('task-start.secrets', {
        resource: tdArn,
        service,
        message: refs.length
          ? `all ${plural(refs.length, 'secret reference')} resolve to an existing secret and key`
          : 'the task definition names no secrets',
        evidence: { references: refs.map((r) => `${r.name} <- ${secretLabel(r.valueFrom, sf.secrets)}`) },
      }),
    );
  return out;
}

/** The log group the task writes to exists. */
function logGroup(k: K): Finding[] {
  const { sf, svc, env, sn, service, c, tdArn } = k;
  const out: Finding[] = [];
  const lc = c?.logConfiguration;
  const group = lc?.options?.['awslogs-group'];
  if (lc?.logDriver !== 'awslogs' || !group)
    out.push(
      warn('task-start.log-group', {
        resource: tdArn,
        service,
        message: `the ${c?.name ?? '?'} container does not log to CloudWatch (driver ${lc?.logDriver ?? 'none'}): a failing start leaves no trace`,
        evidence: { driver: lc?.logDriver ?? null },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else if (!sf.logGroup?.exists)
    out.push(
      fail('task-start.log-group', {
        resource: group,
        service,
        message: `log group ${group} does not exist: tasks fail to start (ResourceInitializationError) unless awslogs-create-group is set`,
        evidence: { logGroup: group },
        fix: {
          commands: [
            `aws logs create-log-group --log-group-name ${shq(group)}`,
            `aws logs put-retention-policy --log-group-name ${shq(group)} --retention-in-days ${svc.logRetentionDays}`,
          ],
        },
      }),
    );
  else if (group !== sn.logGroup)
    out.push(
      warn('task-start.log-group', {
        resource: group,
        service,
        message: `logs go to ${group}, berth expects ${sn.logGroup} (berth logs reads that one)`,
        evidence: { logGroup: group, expected: sn.logGroup },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else out.push(pass('task-start.log-group', { resource: group, service, message: `logs go to ${group}`, evidence: { logGroup: group } }));
  return out;
}

/** An environment variable name that should have come from Secrets Manager. */
export function looksSecret(name: string): boolean {
  return isSecretKey(name) || /(PASSWORD|PASSWD|SECRET|SECRET_?KEY|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i.test(name);
}

function secretLabel(valueFrom: string, secrets: SecretShape[]): string {
  const r = parseValueFrom(valueFrom);
  const s = secrets.find((x) => x.ref === r.secretId);
  return `${s?.name ?? r.secretId}${r.jsonKey ? `:${r.jsonKey}` : ''}`;
}

/** Is this secret present with this key? (undefined: yes) Shared with the database and redis groups. */
export function judgeSecretKey(
  sec: SecretShape | undefined,
  id: string,
  jsonKey: string | undefined,
): { message: string; fix: Fix; unknown?: boolean } | undefined {
  if (!sec || !sec.found)
    return {
      message: `secret ${id} does not exist${sec?.error ? ` (${sec.error})` : ''}`,
      fix: {
        commands: [`aws secretsmanager create-secret --name <name> --secret-string file://secret.json`],
        note: 'Create it (a JSON object with the keys the task reads), or fix the reference in the environment file.',
      },
    };
  if (sec.noValue)
    return {
      message: `secret ${sec.name} exists but holds no value yet`,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(sec.name ?? id)} --secret-string file://secret.json`],
        note: jsonKey ? `secret.json: a JSON object with the key "${jsonKey}".` : undefined,
      },
    };
  if (sec.valueError && jsonKey)
    return {
      unknown: true,
      message: `cannot read secret ${sec.name} to look for key "${jsonKey}" (${sec.valueError})`,
      fix: { note: 'Run the doctor with credentials that may call secretsmanager:GetSecretValue on it.' },
    };
  if (sec.deleted)
    return {
      message: `secret ${sec.name} is scheduled for deletion`,
      fix: { commands: [`aws secretsmanager restore-secret --secret-id ${shq(sec.name ?? id)}`] },
    };
  if (jsonKey && !sec.json)
    return {
      message: `secret ${sec.name} is not a JSON object, so it has no key "${jsonKey}"`,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(sec.name ?? id)} --secret-string file://secret.json`],
        note: `Store a JSON object with the key "${jsonKey}".`,
      },
    };
  if (jsonKey && !sec.keys.includes(jsonKey))
    return {
      message: `secret ${sec.name} has no key "${jsonKey}" (it has: ${sec.keys.join(', ') || 'none'}); the task fails with ResourceInitializationError`,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(sec.name ?? id)} --secret-string file://secret.json`],
        note: `secret.json: the current JSON plus the key "${jsonKey}" (keep the other keys).`,
      },
    };
  return undefined;
}

function pushFix(uri: string, registry: string | undefined, region: string | undefined, cpu: string): Fix {
  const host = uri.split('/')[0];
  return {
    commands: [
      `aws ecr get-login-password --region ${region ?? '<region>'} | docker login --username AWS --password-stdin ${host ?? `${registry}.dkr.ecr.${region}.amazonaws.com`}`,
      `docker buildx build --platform linux/${ociArch(cpu)} -t ${uri} --push .`,
    ],
  };
}

/** What to do about a group of alike stops, and which checks show more: the doctor's remedy per family of causes. */
function stopRemedy(
  g: StopGroup,
  svc: ServiceConfig,
  env: EnvironmentConfig,
  sf: TaskStartService,
): { why: string; fix: Fix; see: string[] } {
  const logs = `berth logs --env ${env.name} --service ${svc.name} --since 1h`;
  const i = env.services.indexOf(svc);
  const cpu = (sf.taskDefinition?.runtimePlatform?.cpuArchitecture as string | undefined) ?? 'X86_64';
  const group =
    sf.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options?.['awslogs-group'] ?? serviceNames(env, svc).logGroup;
  const R: Record<StopFamily, () => { fix: Fix; see: string[] }> = {
    'image-pull': () => ({
      fix: {
        note: 'Check the image exists, the execution role may pull it, and the private subnets reach ECR through the NAT gateway on 443.',
      },
      see: ['task-start.image', 'iam.ecr-pull', 'network.private-route', 'security-groups.app-egress-https'],
    }),
    secrets: () => ({
      fix: {
        note: 'Check every referenced secret and key exists, the execution role may read them, and the private subnets reach Secrets Manager on 443.',
      },
      see: ['task-start.secrets', 'iam.secret-read', 'network.private-route', 'security-groups.app-egress-https'],
    }),
    'log-config': () => ({
      fix: { commands: [`aws logs create-log-group --log-group-name ${shq(group)}`] },
      see: ['task-start.log-group'],
    }),
    eni: () => ({
      fix: {
        commands: [
          `aws ec2 describe-subnets --subnet-ids ${(sf.service?.networkConfiguration?.awsvpcConfiguration?.subnets ?? ['<subnet-id>']).join(' ')} --query 'Subnets[].[SubnetId,AvailableIpAddressCount]'`,
        ],
      },
      see: ['network.subnets'],
    }),
    'out-of-memory': () => ({
      fix: {
        config: `raise services[${i}].memory (a valid Fargate size for cpu ${svc.cpu}), then berth apply --env ${env.name}`,
        commands: [logs],
      },
      see: [],
    }),
    'exec-format': () => ({
      fix: { commands: [`docker buildx build --platform linux/${ociArch(cpu)} -t ${sf.image?.ref.uri ?? '<image>'} --push .`] },
      see: ['task-start.architecture'],
    }),
    'elb-health': () => ({
      fix: { commands: [logs] },
      see: ['health.path', 'health.port', 'health.targets', 'security-groups.alb-to-app'],
    }),
    'container-health': () => ({ fix: { commands: [logs] }, see: ['health.path'] }),
    'app-exit': () => ({ fix: { commands: [logs] }, see: ['task-start.secrets', 'task-start.architecture'] }),
    capacity: () => ({ fix: { note: 'Usually transient; ECS retries. Persistent: try other AZs (subnets) or another size.' }, see: [] }),
    benign: () => ({ fix: {}, see: [] }),
    unknown: () => ({ fix: { commands: [logs] }, see: [] }),
  };
  const why = stopFamilyCause(g.kind, g.exitCodes, sf.taskDefinition?.memory ?? svc.memory, cpu, g.reason);
  return { ...R[g.kind](), why: `${why}${g.lastStoppedAt ? `, last at ${toIso(g.lastStoppedAt)}` : ''}` };
}
