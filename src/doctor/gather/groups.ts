/**
 * One gatherer per check group: what it reads, through the shared Source (so facts several
 * groups need are fetched once, and the groups fetch in parallel).
 */
import { serviceNames } from '../../config/names.js';
import type {
  CertificateFacts,
  DatabaseFacts,
  HealthFacts,
  IamFacts,
  NetworkFacts,
  RedisFacts,
  SecurityGroupFacts,
  TaskStartFacts,
} from '../facts.js';
import { mainContainer, secretRefs } from '../lib/ecs.js';
import { parseValueFrom, roleName } from '../lib/refs.js';
import type { Source } from './source.js';

export async function gatherNetwork(src: Source): Promise<NetworkFacts> {
  const [network, securityGroups, services] = await Promise.all([
    src.network(),
    src.securityGroups(),
    Promise.all(src.o.services.map((s) => src.serviceFacts(s))),
  ]);
  return { ...network, securityGroups, services };
}

export const gatherSecurityGroups = (src: Source): Promise<SecurityGroupFacts> => src.sgFacts();

async function tdSecrets(src: Source, td: Parameters<typeof secretRefs>[0]) {
  const ids = [
    ...new Set(
      secretRefs(td)
        .map((r) => parseValueFrom(r.valueFrom))
        .filter((r) => r.kind === 'secretsmanager')
        .map((r) => r.secretId),
    ),
  ];
  return Promise.all(ids.map((id) => src.secret(id)));
}

export async function gatherTaskStart(src: Source): Promise<TaskStartFacts> {
  const services = await Promise.all(
    src.o.services.map(async (svc) => {
      const sn = serviceNames(src.env, svc);
      const [sf, stoppedTasks] = await Promise.all([src.serviceFacts(svc), src.stoppedTasks(svc)]);
      const c = mainContainer(sf.taskDefinition, sn.container, sf.service);
      const group = c?.logConfiguration?.options?.['awslogs-group'];
      const [image, secrets, logLines, exists] = await Promise.all([
        c?.image ? src.image(c.image) : Promise.resolve(undefined),
        tdSecrets(src, sf.taskDefinition),
        src.stoppedTaskLogs(svc, stoppedTasks, sf.taskDefinition),
        group ? src.logGroupExists(group) : Promise.resolve(false),
      ]);
      return { ...sf, stoppedTasks, logLines, image, secrets, logGroup: group ? { name: group, exists } : undefined };
    }),
  );
  return { services };
}

export async function gatherHealth(src: Source): Promise<HealthFacts> {
  const [loadBalancer, listeners] = await Promise.all([src.loadBalancer(), src.listeners()]);
  const https = listeners.filter((l) => l.Port === 443 && l.ListenerArn);
  const rules: HealthFacts['rules'] = {};
  await Promise.all(https.map(async (l) => (rules[l.ListenerArn!] = await src.rules(l.ListenerArn!))));
  const services = await Promise.all(
    src.o.services.map(async (svc) => {
      const [sf, targetGroup, probe] = await Promise.all([src.serviceFacts(svc), src.targetGroup(svc), src.probe(svc)]);
      const targetHealth = targetGroup?.TargetGroupArn ? await src.targetHealth(targetGroup.TargetGroupArn) : [];
      return { ...sf, targetGroup, targetHealth, probe };
    }),
  );
  return { loadBalancer, listeners, rules, services };
}

export async function gatherDatabase(src: Source): Promise<DatabaseFacts> {
  const [cluster, sg, wired] = await Promise.all([src.dbCluster(), src.sgFacts(), src.platformSecretId('@database')]);
  const id = wired ?? cluster?.MasterUserSecret?.SecretArn ?? `${src.env.app}/${src.env.name}/database`;
  const [instances, secret] = await Promise.all([src.dbInstances(cluster), src.secret(id)]);
  return { cluster, instances, secret, sg };
}

export async function gatherRedis(src: Source): Promise<RedisFacts> {
  const [replicationGroup, sg, wired] = await Promise.all([src.replicationGroup(), src.sgFacts(), src.platformSecretId('@redis')]);
  const secret = await src.secret(wired ?? src.n.redisSecret);
  return { replicationGroup, secret, sg };
}

export async function gatherCertificate(src: Source): Promise<CertificateFacts> {
  const [certificates, listeners, zone, loadBalancer] = await Promise.all([
    src.certificates(),
    src.listeners(),
    src.zone(),
    src.loadBalancer(),
  ]);
  const delegation = await src.delegation(zone);
  const listenerCertificateArns = listeners
    .filter((l) => l.Port === 443)
    .flatMap((l) => (l.Certificates ?? []).map((c) => c.CertificateArn ?? ''))
    .filter(Boolean);
  return { certificates, listenerCertificateArns, zone, delegation, loadBalancer };
}

export async function gatherIam(src: Source): Promise<IamFacts> {
  const services = await Promise.all(
    src.o.services.map(async (svc) => {
      const sf = await src.serviceFacts(svc);
      const td = sf.taskDefinition;
      const exec = roleName(td?.executionRoleArn);
      const task = roleName(td?.taskRoleArn);
      const [executionRole, taskRole, secrets] = await Promise.all([
        exec ? src.role(exec) : Promise.resolve(undefined),
        task ? src.role(task) : Promise.resolve(undefined),
        tdSecrets(src, td),
      ]);
      return { ...sf, executionRole, taskRole, secrets };
    }),
  );
  return { services };
}
