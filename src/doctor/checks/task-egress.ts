/**
 * network.task-egress: can the service's tasks get what Fargate fetches before they run (the ECR
 * registry auth, the secrets, the image, the log stream), from each subnet they are placed in? The
 * verdict is the shared reachability model's (src/network, the one the sandbox emulator runs):
 * effective route table, NAT or internet gateway (with a public IP), VPC endpoints, 443 egress.
 * Incident: private subnets associated with no route table (the NAT route in a table nobody used):
 * tasks stopped with ResourceInitializationError / CannotPullContainerError ... i/o timeout.
 */
import { names, serviceNames } from '../../config/names.js';
import type { ServiceConfig } from '../../config/types.js';
import { factsOfVpc } from '../../network/from-ec2.js';
import { blockingIds } from '../../network/reach.js';
import { effectiveTable } from '../../network/routes.js';
import { firstStartFailure, type StartFailure, type StartNeeds } from '../../network/start.js';
import type { NetFacts, TaskPlace } from '../../network/types.js';
import type { NetworkFacts, ServiceFacts } from '../facts.js';
import { mainContainer, secretRefs } from '../lib/ecs.js';
import { fail, pass, warn } from '../lib/finding.js';
import { isRouteProblem, routeFix, sgFix } from '../lib/net-fixes.js';
import { parseImage, parseValueFrom } from '../lib/refs.js';
import type { CheckInput, Finding } from '../types.js';

const CHECK = 'network.task-egress';

const WHAT: Record<string, string> = {
  'registry-auth': 'the ECR registry auth (ecr.api)',
  secrets: 'its secrets',
  'image-pull': 'its image',
  logs: 'its log stream (CloudWatch Logs)',
};

function needsOf(sf: ServiceFacts, svc: ServiceConfig, input: CheckInput): StartNeeds {
  const c = mainContainer(sf.taskDefinition, serviceNames(input.env, svc).container, sf.service);
  const refs = secretRefs(sf.taskDefinition).map((r) => parseValueFrom(r.valueFrom).kind);
  return {
    ecrImage: Boolean(c?.image && parseImage(c.image).ecr),
    secretsManager: refs.includes('secretsmanager'),
    ssm: refs.includes('ssm'),
    awslogs: c?.logConfiguration?.logDriver === 'awslogs',
  };
}

function describe(nf: NetFacts, task: TaskPlace, x: StartFailure): string {
  const eff = effectiveTable(nf, task.subnetId);
  const table = eff.table ? `${eff.table.id}${eff.explicit ? '' : ' (the main table: the subnet has no association)'}` : 'no route table';
  const why = x.verdict.blockers.map((b) => `${b.problem} (${b.ids.join(', ')})`).join('; ');
  return `${task.subnetId} -> ${table}: cannot reach ${WHAT[x.step]} via ${x.service}: ${why}`;
}

function fixFor(nf: NetFacts, f: NetworkFacts, task: TaskPlace, x: StartFailure, svc: ServiceConfig, input: CheckInput) {
  const commands: string[] = [];
  const notes: string[] = [];
  for (const b of x.verdict.blockers) {
    if (isRouteProblem(b)) {
      const r = routeFix(nf, f.routeTables, task);
      commands.push(...r.commands);
      if (r.note) notes.push(r.note);
    } else if (b.problem === 'no-public-ip') {
      const n = names(input.env);
      notes.push(
        `${task.subnetId} routes to an internet gateway: the task needs a public IP (aws ecs update-service --cluster ${n.cluster} --service ${serviceNames(input.env, svc).service} --network-configuration 'awsvpcConfiguration={...,assignPublicIp=ENABLED}'), or run it in private subnets behind a NAT gateway.`,
      );
    } else if (b.problem === 'endpoint-unavailable') notes.push(`VPC endpoint ${b.ids.join(', ')} is not available.`);
    else commands.push(...sgFix(b, task));
  }
  return { commands, note: notes.length ? notes.join(' ') : undefined };
}

function serviceFinding(nf: NetFacts, f: NetworkFacts, svc: ServiceConfig, input: CheckInput): Finding {
  const sf = f.services?.find((s) => s.name === svc.name);
  const vpc = sf?.service?.networkConfiguration?.awsvpcConfiguration;
  if (!sf?.service || !vpc?.subnets?.length)
    return warn(CHECK, {
      service: svc.name,
      message: `service ${svc.name}: no ECS service with awsvpc subnets to judge`,
      evidence: {},
      see: ['task-start.service'],
    });
  const needs = needsOf(sf, svc, input);
  const places: TaskPlace[] = vpc.subnets.map((s) => ({
    subnetId: s,
    securityGroupIds: vpc.securityGroups ?? [],
    publicIp: vpc.assignPublicIp === 'ENABLED',
  }));
  const results = places.map((p) => ({ p, x: firstStartFailure(nf, p, needs) }));
  const evidence = {
    subnets: vpc.subnets,
    securityGroups: vpc.securityGroups ?? [],
    assignPublicIp: vpc.assignPublicIp ?? 'DISABLED',
    needs: Object.entries(needs)
      .filter(([, v]) => v)
      .map(([k]) => k),
  };
  const bad = results.filter((r): r is { p: TaskPlace; x: StartFailure } => Boolean(r.x));
  if (!bad.length)
    return pass(CHECK, {
      resource: vpc.subnets[0],
      service: svc.name,
      message: `service ${svc.name}: tasks in ${vpc.subnets.join(', ')} reach ECR, their secrets and CloudWatch Logs`,
      evidence,
    });
  const fixes = bad.map((r) => fixFor(nf, f, r.p, r.x, svc, input));
  const note = [...new Set(fixes.map((x) => x.note).filter(Boolean))].join(' ');
  return fail(CHECK, {
    resource: blockingIds(bad[0]!.x.verdict)[0],
    service: svc.name,
    message: `service ${svc.name}: tasks cannot start (ECS stops them with an i/o timeout): ${bad.map((r) => describe(nf, r.p, r.x)).join('; ')}`,
    evidence: {
      ...evidence,
      blocked: bad.map(
        (r) =>
          `${r.p.subnetId}: ${r.x.step} (${r.x.service}) via ${r.x.verdict.path.join(' -> ')}, blocked by ${blockingIds(r.x.verdict).join(', ')}`,
      ),
    },
    fix: { commands: [...new Set(fixes.flatMap((x) => x.commands))], ...(note ? { note } : {}) },
    see: ['task-start.stopped-tasks'],
  });
}

/** One finding per service in scope; nothing without a VPC (network.vpc says why). */
export function checkTaskEgress(f: NetworkFacts, input: CheckInput): Finding[] {
  if (!f.vpc?.VpcId || !f.services) return [];
  const nf = factsOfVpc(input.env.region, f, f.securityGroups ?? []);
  return input.services.map((svc) => serviceFinding(nf, f, svc, input));
}
