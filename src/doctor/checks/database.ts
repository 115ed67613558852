/**
 * database: the Aurora cluster and its writer are available, the services can reach it (routes
 * and both sides of the security-group link on its port), and its secret holds what they read.
 */
import { names } from '../../config/names.js';
import type { DatabaseFacts } from '../facts.js';
import { fail, pass, shq, warn } from '../lib/finding.js';
import type { CheckInput, Finding } from '../types.js';
import { reachability } from './reach.js';
import { servicesUsing } from './security-groups.js';
import { judgeSecretKey } from './task-start.js';

type Cluster = NonNullable<DatabaseFacts['cluster']>;
export function checkDatabase(f: DatabaseFacts, input: CheckInput): Finding[] {
  const { env } = input;
  const n = names(env);
  const out: Finding[] = [];
  const c = f.cluster;
  const engine = env.database.engine === 'mysql' ? 'aurora-mysql' : 'aurora-postgresql';
  if (!c && env.resources && !env.resources.database)
    return [
      warn('database.cluster', {
        resource: n.dbCluster,
        message: 'this platform has no Aurora cluster berth knows of (resources.database is not pinned): nothing to check',
        evidence: { cluster: null },
      }),
    ];
  if (!c) {
    out.push(
      fail('database.cluster', {
        resource: n.dbCluster,
        message: `no Aurora cluster ${n.dbCluster}`,
        evidence: { cluster: n.dbCluster },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
    return out;
  }
  const id = c.DBClusterIdentifier ?? n.dbCluster;
  const ev = {
    cluster: c.DBClusterArn ?? id,
    status: c.Status ?? null,
    engine: c.Engine ?? null,
    version: c.EngineVersion ?? null,
    endpoint: c.Endpoint ?? null,
    port: c.Port ?? null,
    securityGroups: (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '?'),
    subnetGroup: c.DBSubnetGroup ?? null,
  };
  if (c.Status !== 'available')
    out.push(
      fail('database.cluster', {
        resource: id,
        message: `Aurora cluster ${id} is ${c.Status}`,
        evidence: ev,
        fix:
          c.Status === 'stopped'
            ? { commands: [`aws rds start-db-cluster --db-cluster-identifier ${id}`] }
            : { note: `Wait for it: aws rds wait db-cluster-available --db-cluster-identifier ${id}` },
      }),
    );
  else if (c.Engine && c.Engine !== engine)
    out.push(warn('database.cluster', { resource: id, message: `${id} runs ${c.Engine}, the config says ${engine}`, evidence: ev }));
  else
    out.push(
      pass('database.cluster', {
        resource: id,
        message: `${id} (${c.Engine} ${c.EngineVersion ?? ''}) is available`.replace(' )', ')'),
        evidence: ev,
      }),
    );

  out.push(writerFinding(c, f, id, engine));

  const dbSubnets = (f.sg.dbSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier ?? '').filter(Boolean);
  for (const svc of servicesUsing('@database', input.services, env))
    out.push(reachability('database.reachability', f.sg, svc, input, 'db', dbSubnets));

  out.push(secretFinding(f.secret, c, input));
  return out;
}

/** The cluster's writer instance: there, and available. */
function writerFinding(c: Cluster, f: DatabaseFacts, id: string, engine: string): Finding {
  const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter);
  const inst = f.instances.find((i) => i.DBInstanceIdentifier === writer?.DBInstanceIdentifier);
  const wEv = {
    cluster: id,
    writer: writer?.DBInstanceIdentifier ?? null,
    status: inst?.DBInstanceStatus ?? null,
    class: inst?.DBInstanceClass ?? null,
    members: (c.DBClusterMembers ?? []).map((m) => `${m.DBInstanceIdentifier}${m.IsClusterWriter ? ' (writer)' : ''}`),
  };
  if (!writer)
    return fail('database.writer', {
      resource: id,
      message: `${id} has no writer instance: nothing accepts connections`,
      evidence: wEv,
      fix: {
        commands: [
          `aws rds create-db-instance --db-instance-identifier ${id}-1 --db-cluster-identifier ${id} --engine ${c.Engine ?? engine} --db-instance-class db.serverless`,
        ],
      },
    });
  else if (inst?.DBInstanceStatus !== 'available')
    return fail('database.writer', {
      resource: writer.DBInstanceIdentifier,
      message: `writer ${writer.DBInstanceIdentifier} is ${inst?.DBInstanceStatus ?? 'not found'}`,
      evidence: wEv,
      fix: { note: `Wait for it: aws rds wait db-instance-available --db-instance-identifier ${writer.DBInstanceIdentifier}` },
    });
  else
    return pass('database.writer', {
      resource: writer.DBInstanceIdentifier,
      message: `writer ${writer.DBInstanceIdentifier} is available`,
      evidence: wEv,
    });
}

/** The credentials secret: username and password, and a host and port that are the cluster's. */
function secretFinding(s: DatabaseFacts['secret'], c: Cluster, input: CheckInput): Finding {
  const { env } = input;
  const secretId = s?.name ?? s?.ref ?? `${env.app}/${env.name}/database`;
  const bad = judgeSecretKey(s, secretId, 'username') ?? judgeSecretKey(s, secretId, 'password');
  const sEv = {
    secretId: s?.arn ?? secretId,
    keys: s?.keys ?? [],
    hostMatches: s?.plain.host ? s.plain.host === c.Endpoint : 'no host key',
    portMatches: s?.plain.port ? Number(s.plain.port) === c.Port : 'no port key',
  };
  if (bad)
    return (bad.unknown ? warn : fail)('database.secret', {
      resource: s?.arn ?? secretId,
      message: bad.message,
      evidence: sEv,
      fix: bad.fix,
    });
  else if (s?.plain.host && c.Endpoint && s.plain.host !== c.Endpoint && s.plain.host !== c.ReaderEndpoint)
    return fail('database.secret', {
      resource: s.arn ?? secretId,
      message: `secret ${s.name}: host is not the cluster endpoint ${c.Endpoint}`,
      evidence: sEv,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(s.name ?? secretId)} --secret-string file://secret.json`],
        note: `set "host" to ${c.Endpoint} (keep the other keys)`,
      },
    });
  else if (s?.plain.port && c.Port && Number(s.plain.port) !== c.Port)
    return fail('database.secret', {
      resource: s.arn ?? secretId,
      message: `secret ${s.name}: port ${s.plain.port} is not the cluster port ${c.Port}`,
      evidence: sEv,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(s.name ?? secretId)} --secret-string file://secret.json`],
        note: `set "port" to ${c.Port}`,
      },
    });
  else
    return pass('database.secret', {
      resource: s?.arn ?? secretId,
      message: `secret ${s?.name} holds username and password${s?.plain.host ? ' and points at the cluster' : ''}`,
      evidence: sEv,
    });
}
