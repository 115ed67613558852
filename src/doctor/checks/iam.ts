/**
 * iam: the execution role can do what starting a task takes (read every secret the task names,
 * pull its image, write its logs), judged by evaluating the role's own policies; the task role
 * exists and is not over-broad.
 */
import { serviceNames } from '../../config/names.js';
import type { EnvironmentConfig, ServiceConfig } from '../../config/types.js';
import type { IamFacts, IamService, RoleFacts } from '../facts.js';
import { mainContainer, secretRefs } from '../lib/ecs.js';
import { fail, pass, shq, warn } from '../lib/finding.js';
import { evaluate, overBroad, trusts, type Decision } from '../lib/iam-policy.js';
import { parseArn, parseImage, parseValueFrom, roleName } from '../lib/refs.js';
import type { CheckInput, Evidence, Finding } from '../types.js';

export function checkIam(f: IamFacts, input: CheckInput): Finding[] {
  const out: Finding[] = [];
  for (const svc of input.services) {
    const s = f.services.find((x) => x.name === svc.name) ?? { name: svc.name, secrets: [] };
    out.push(...serviceIam(s, svc, input.env));
  }
  return out;
}

function grantFix(role: string, name: string, statements: { Action: string[]; Resource: string[] }[]): string {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });
  return `aws iam put-role-policy --role-name ${role} --policy-name ${name} --policy-document ${shq(doc)}`;
}

const decisionText = (d: Decision) =>
  d.allowed
    ? `allowed by ${d.by}${d.conditional ? ' (with a condition berth does not evaluate)' : ''}`
    : d.explicitDeny
      ? `denied by ${d.by}`
      : 'not allowed';

// eslint-disable-next-line max-lines-per-function -- to be split by concern (issue #11): 119 lines
function serviceIam(s: IamService, svc: ServiceConfig, env: EnvironmentConfig): Finding[] {
  const out: Finding[] = [];
  const sn = serviceNames(env, svc);
  const td = s.taskDefinition;
  const service = svc.name;
  const role = s.executionRole;
  const roleRef = td?.executionRoleArn ?? sn.executionRole;
  const rname = roleName(td?.executionRoleArn) ?? role?.name ?? sn.executionRole;

  if (!td) {
    out.push(
      fail('iam.execution-role', {
        resource: sn.taskFamily,
        service,
        message: `no task definition for ${svc.name}: nothing to check the roles against`,
        evidence: { family: sn.taskFamily },
        see: ['task-start.task-definition'],
      }),
    );
    return out;
  }
  if (!td.executionRoleArn) {
    out.push(
      fail('iam.execution-role', {
        resource: td.taskDefinitionArn,
        service,
        message: `${td.taskDefinitionArn} has no execution role: ECS cannot pull from ECR, read secrets or write logs`,
        evidence: { taskDefinition: td.taskDefinitionArn ?? null },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
    return out;
  }
  if (!role?.found) {
    out.push(
      fail('iam.execution-role', {
        resource: roleRef,
        service,
        message: `execution role ${rname} does not exist`,
        evidence: { role: roleRef },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
    return out;
  }
  const rEv = {
    role: role.arn ?? rname,
    trustsEcsTasks: trusts(role.trust, 'ecs-tasks.amazonaws.com'),
    policies: role.policies.map((p) => p.source),
    permissionsBoundary: role.permissionsBoundary ?? null,
  };
  if (!rEv.trustsEcsTasks)
    out.push(
      fail('iam.execution-role', {
        resource: role.arn ?? rname,
        service,
        message: `${rname} does not trust ecs-tasks.amazonaws.com: tasks cannot assume it`,
        evidence: rEv,
        fix: {
          commands: [
            `aws iam update-assume-role-policy --role-name ${rname} --policy-document ${shq(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }))}`,
          ],
        },
      }),
    );
  else
    out.push(
      pass('iam.execution-role', {
        resource: role.arn ?? rname,
        service,
        message: `${rname} exists and trusts ecs-tasks.amazonaws.com`,
        evidence: rEv,
      }),
    );
  const boundaryNote = role.permissionsBoundary
    ? ` (a permissions boundary ${role.permissionsBoundary} also applies; berth does not evaluate it)`
    : '';

  const tdArn = parseArn(td.taskDefinitionArn);
  const region = tdArn?.region ?? env.region;
  const account = tdArn?.account ?? parseArn(role.arn)?.account ?? '<account>';

  // Secrets.
  const refs = secretRefs(td);
  const rows: string[] = [];
  const denied: { resource: string; action: string; name: string }[] = [];
  for (const r of refs) {
    const ref = parseValueFrom(r.valueFrom);
    let action: string;
    let resource: string;
    if (ref.kind === 'secretsmanager') {
      action = 'secretsmanager:GetSecretValue';
      resource = s.secrets.find((x) => x.ref === ref.secretId)?.arn ?? ref.secretId;
    } else {
      action = 'ssm:GetParameters';
      resource = r.valueFrom.startsWith('arn:')
        ? r.valueFrom
        : `arn:aws:ssm:${region}:${account}:parameter/${r.valueFrom.replace(/^\//, '')}`;
    }
    const d = evaluate(role.policies, action, resource);
    rows.push(`${r.name}: ${action} on ${resource}: ${decisionText(d)}`);
    if (!d.allowed && !denied.some((x) => x.resource === resource)) denied.push({ resource, action, name: r.name });
  }
  const sEv: Evidence = { role: rname, checks: rows };
  if (denied.length)
    out.push(
      fail('iam.secret-read', {
        resource: denied[0]!.resource,
        service,
        message: `${rname} may not read ${denied.map((d) => d.name).join(', ')}: tasks stop with ResourceInitializationError${boundaryNote}`,
        evidence: sEv,
        fix: {
          commands: [
            grantFix(rname, 'berth-read-secrets', [
              { Action: [...new Set(denied.map((d) => d.action))], Resource: denied.map((d) => d.resource) },
            ]),
          ],
        },
      }),
    );
  else
    out.push(
      pass('iam.secret-read', {
        resource: role.arn ?? rname,
        service,
        message: refs.length ? `${rname} may read all ${refs.length} secret reference(s)` : 'the task definition names no secrets',
        evidence: sEv,
      }),
    );

  // ECR pull.
  const c = mainContainer(td, sn.container, s.service);
  const img = parseImage(c?.image ?? '');
  if (!img.ecr)
    out.push(
      pass('iam.ecr-pull', {
        resource: c?.image,
        service,
        message: `${c?.image ?? 'the image'} is not in ECR: no ECR permission needed`,
        evidence: { image: c?.image ?? null },
      }),
    );
  else {
    const repoArn = `arn:aws:ecr:${img.region}:${img.registryId}:repository/${img.repository}`;
    const need: [string, string][] = [
      ['ecr:GetAuthorizationToken', '*'],
      ['ecr:BatchCheckLayerAvailability', repoArn],
      ['ecr:GetDownloadUrlForLayer', repoArn],
      ['ecr:BatchGetImage', repoArn],
    ];
    const res = need.map(([a, r]) => ({ a, r, d: evaluate(role.policies, a, r) }));
    const no = res.filter((x) => !x.d.allowed);
    const ev = { role: rname, repository: repoArn, checks: res.map((x) => `${x.a} on ${x.r}: ${decisionText(x.d)}`) };
    if (no.length) {
      const stmts = [
        ...(no.some((x) => x.r === '*') ? [{ Action: ['ecr:GetAuthorizationToken'], Resource: ['*'] }] : []),
        ...(no.some((x) => x.r !== '*') ? [{ Action: no.filter((x) => x.r !== '*').map((x) => x.a), Resource: [repoArn] }] : []),
      ];
      out.push(
        fail('iam.ecr-pull', {
          resource: repoArn,
          service,
          message: `${rname} may not ${no.map((x) => x.a).join(', ')}: tasks stop with CannotPullContainerError${boundaryNote}`,
          evidence: ev,
          fix: { commands: [grantFix(rname, 'berth-ecr-pull', stmts)] },
        }),
      );
    } else
      out.push(pass('iam.ecr-pull', { resource: repoArn, service, message: `${rname} may pull from ${img.repository}`, evidence: ev }));
  }

  // Logs.
  const lc = c?.logConfiguration;
  const group = lc?.options?.['awslogs-group'];
  if (lc?.logDriver !== 'awslogs' || !group)
    out.push(
      pass('iam.logs-write', {
        resource: rname,
        service,
        message: 'the container does not use the awslogs driver: no log permission needed',
        evidence: { driver: lc?.logDriver ?? null },
        see: ['task-start.log-group'],
      }),
    );
  else {
    const prefix = lc.options?.['awslogs-stream-prefix'] ?? 'ecs';
    const groupArn = `arn:aws:logs:${lc.options?.['awslogs-region'] ?? region}:${account}:log-group:${group}`;
    const streamArn = `${groupArn}:log-stream:${prefix}/${c?.name ?? svc.name}/task-id`;
    const need: [string, string][] = [
      ['logs:CreateLogStream', streamArn],
      ['logs:PutLogEvents', streamArn],
      ...(lc.options?.['awslogs-create-group'] === 'true' ? ([['logs:CreateLogGroup', groupArn]] as [string, string][]) : []),
    ];
    const res = need.map(([a, r]) => ({ a, r, d: evaluate(role.policies, a, r) }));
    const no = res.filter((x) => !x.d.allowed);
    const ev = { role: rname, logGroup: group, checks: res.map((x) => `${x.a} on ${x.r}: ${decisionText(x.d)}`) };
    if (no.length)
      out.push(
        fail('iam.logs-write', {
          resource: groupArn,
          service,
          message: `${rname} may not ${no.map((x) => x.a).join(', ')} on ${group}: tasks fail to start${boundaryNote}`,
          evidence: ev,
          fix: { commands: [grantFix(rname, 'berth-write-logs', [{ Action: no.map((x) => x.a), Resource: [`${groupArn}:*`] }])] },
        }),
      );
    else out.push(pass('iam.logs-write', { resource: groupArn, service, message: `${rname} may write to ${group}`, evidence: ev }));
  }

  // Task role.
  out.push(taskRoleFinding(s.taskRole, td.taskRoleArn, service));
  return out;
}

function taskRoleFinding(role: RoleFacts | undefined, arn: string | undefined, service: string): Finding {
  if (!arn)
    return pass('iam.task-role', {
      resource: service,
      service,
      message: 'no task role: the application gets no AWS permissions',
      evidence: { taskRole: null },
    });
  const name = roleName(arn) ?? arn;
  if (!role?.found)
    return fail('iam.task-role', {
      resource: arn,
      service,
      message: `task role ${name} does not exist: tasks fail to start`,
      evidence: { taskRole: arn },
    });
  const broad = overBroad(role.policies);
  const ev = {
    taskRole: role.arn ?? arn,
    trustsEcsTasks: trusts(role.trust, 'ecs-tasks.amazonaws.com'),
    policies: role.policies.map((p) => p.source),
    overBroad: broad,
  };
  if (!ev.trustsEcsTasks)
    return fail('iam.task-role', { resource: arn, service, message: `${name} does not trust ecs-tasks.amazonaws.com`, evidence: ev });
  if (broad.length)
    return warn('iam.task-role', {
      resource: arn,
      service,
      message: `${name} is over-broad: ${broad.join('; ')}`,
      evidence: ev,
      fix: { note: 'Grant the application only the actions and resources it uses.' },
    });
  return pass('iam.task-role', { resource: arn, service, message: `${name} exists, no wildcard grants`, evidence: ev });
}
