/**
 * redis: the replication group is available with the configured TLS / AUTH, and the URL the
 * services get is `rediss://` with TLS on (`redis://` off) and carries no query string.
 * Incident: `?ssl_cert_reqs=none` on a `rediss://` URL made the client library pass `ssl` twice.
 */
import { names } from '../../config/names.js';
import type { RedisFacts } from '../facts.js';
import { fail, pass, shq, warn } from '../lib/finding.js';
import type { CheckInput, Finding } from '../types.js';
import { reachability } from './reach.js';
import { servicesUsing } from './security-groups.js';
import { judgeSecretKey } from './task-start.js';

export function checkRedis(f: RedisFacts, input: CheckInput): Finding[] {
  const { env } = input;
  const n = names(env);
  const out: Finding[] = [];
  const rg = f.replicationGroup;
  const id = rg?.ReplicationGroupId ?? n.cacheReplicationGroup;
  const endpoint = rg?.NodeGroups?.[0]?.PrimaryEndpoint ?? rg?.ConfigurationEndpoint;
  const tls = rg?.TransitEncryptionEnabled ?? env.cache.transitEncryption;
  const auth = rg?.AuthTokenEnabled ?? env.cache.authToken;
  if (!rg && env.resources && !env.resources.cache)
    return [
      warn('redis.replication-group', {
        resource: id,
        message: 'this platform has no Redis replication group berth knows of (resources.cache is not pinned): nothing to check',
        evidence: { replicationGroup: null },
      }),
    ];
  if (!rg)
    out.push(
      fail('redis.replication-group', {
        resource: id,
        message: `no Redis replication group ${id}`,
        evidence: { replicationGroup: id },
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else {
    const ev = {
      replicationGroup: rg.ARN ?? id,
      status: rg.Status ?? null,
      primaryEndpoint: endpoint ? `${endpoint.Address}:${endpoint.Port}` : null,
      transitEncryption: rg.TransitEncryptionEnabled ?? null,
      authToken: rg.AuthTokenEnabled ?? null,
      nodeType: rg.CacheNodeType ?? null,
    };
    if (rg.Status !== 'available')
      out.push(
        fail('redis.replication-group', {
          resource: id,
          message: `replication group ${id} is ${rg.Status}`,
          evidence: ev,
          fix: { note: `Wait for it: aws elasticache wait replication-group-available --replication-group-id ${id}` },
        }),
      );
    else if (rg.TransitEncryptionEnabled !== undefined && rg.TransitEncryptionEnabled !== env.cache.transitEncryption)
      out.push(
        warn('redis.replication-group', {
          resource: id,
          message: `${id} has TLS in transit ${rg.TransitEncryptionEnabled ? 'on' : 'off'}, the config says ${env.cache.transitEncryption ? 'on' : 'off'}`,
          evidence: ev,
          fix: { commands: [`berth apply --env ${env.name}`] },
        }),
      );
    else if (rg.AuthTokenEnabled !== undefined && rg.AuthTokenEnabled !== env.cache.authToken)
      out.push(
        warn('redis.replication-group', {
          resource: id,
          message: `${id} has AUTH ${rg.AuthTokenEnabled ? 'on' : 'off'}, the config says ${env.cache.authToken ? 'on' : 'off'}`,
          evidence: ev,
          fix: { commands: [`berth apply --env ${env.name}`] },
        }),
      );
    else
      out.push(
        pass('redis.replication-group', {
          resource: id,
          message: `${id} is available (TLS ${tls ? 'on' : 'off'}, AUTH ${auth ? 'on' : 'off'})`,
          evidence: ev,
        }),
      );
  }

  const secretId = f.secret?.name ?? n.redisSecret;
  out.push(
    readsUrl(f.secret, input)
      ? urlFinding(f.secret, secretId, Boolean(tls), Boolean(auth), endpoint)
      : hostFinding(f.secret, secretId, endpoint),
  );

  const cacheSubnets = (f.sg.cacheSubnetGroup?.Subnets ?? []).map((x) => x.SubnetIdentifier ?? '').filter(Boolean);
  if (rg)
    for (const svc of servicesUsing('@redis', input.services, env))
      out.push(reachability('redis.reachability', f.sg, svc, input, 'cache', cacheSubnets));
  return out;
}

/**
 * Whether the services read a URL from the Redis secret: berth's `@redis:url`, or a `url` key of it. A
 * platform berth did not build may hand its services host, port and password instead (its secret has
 * no `url`): then the host is what is checked.
 */
function readsUrl(s: RedisFacts['secret'], input: CheckInput): boolean {
  if (!s || s.keys.includes('url') || s.keys.length === 0) return true;
  const refs = input.services.flatMap((svc) => Object.values(svc.secrets));
  return refs.some((r) => r === '@redis:url' || (s.name !== undefined && r === `${s.name}:url`));
}

/** The host the services read from the Redis secret is the replication group's primary endpoint. */
function hostFinding(s: RedisFacts['secret'], secretId: string, endpoint: { Address?: string; Port?: number } | undefined): Finding {
  const host = s?.plain.host;
  const ev = { secretId: s?.arn ?? secretId, keys: s?.keys ?? [], host: host ?? null, primaryEndpoint: endpoint?.Address ?? null };
  if (!host)
    return warn('redis.url', {
      resource: s?.arn ?? secretId,
      message: `secret ${secretId} has neither a "url" nor a "host" key`,
      evidence: ev,
    });
  if (endpoint?.Address && host !== endpoint.Address)
    return fail('redis.url', {
      resource: s?.arn ?? secretId,
      message: `secret ${secretId}: host ${host} is not the primary endpoint ${endpoint.Address}`,
      evidence: ev,
      fix: {
        commands: [`aws secretsmanager put-secret-value --secret-id ${shq(secretId)} --secret-string file://redis.json`],
        note: `redis.json: the current JSON with "host" set to ${endpoint.Address}`,
      },
    });
  return pass('redis.url', {
    resource: s?.arn ?? secretId,
    message: `secret ${secretId}: the services read host ${host}, the primary endpoint`,
    evidence: ev,
  });
}

/** The URL the services read: the scheme TLS needs, no query string, the primary endpoint, a password with AUTH. */
function urlFinding(
  s: RedisFacts['secret'],
  secretId: string,
  tls: boolean,
  auth: boolean,
  endpoint: { Address?: string; Port?: number } | undefined,
): Finding {
  const want = tls ? 'rediss' : 'redis';
  const port = endpoint?.Port ?? 6379;
  const shape = `${want}://${auth ? ':<auth token>@' : ''}${endpoint?.Address ?? '<primary-endpoint>'}:${port}/0`;
  const rewrite = {
    commands: [`aws secretsmanager put-secret-value --secret-id ${shq(secretId)} --secret-string file://redis.json`],
    note: `redis.json: the current JSON with "url" set to ${shape} (no query string; pass TLS options to the client in code).`,
  };
  const missing = judgeSecretKey(s, secretId, 'url');
  const u = s?.urls.url;
  if (missing || !u) {
    return (missing?.unknown ? warn : fail)('redis.url', {
      resource: s?.arn ?? secretId,
      message: missing?.message ?? `secret ${secretId}: "url" is not a URL`,
      evidence: { secretId, keys: s?.keys ?? [] },
      fix: missing?.fix ?? rewrite,
    });
  } else {
    const ev = {
      secretId: s!.arn ?? secretId,
      scheme: u.scheme,
      host: u.host,
      port: u.port ?? null,
      path: u.path,
      queryKeys: u.queryKeys,
      hasPassword: u.hasPassword,
      transitEncryption: tls,
      expected: shape,
    };
    const problems: string[] = [];
    if (!u.valid) problems.push('it does not parse as a URL');
    else {
      if (u.scheme !== want)
        problems.push(`it starts with ${u.scheme}:// but TLS in transit is ${tls ? 'on (needs rediss://)' : 'off (needs redis://)'}`);
      if (u.queryKeys.length)
        problems.push(`it carries a query string (${u.queryKeys.join(', ')}) that some clients turn into a duplicate "ssl" argument`);
      if (endpoint?.Address && u.host !== endpoint.Address)
        problems.push(`its host is ${u.host}, not the primary endpoint ${endpoint.Address}`);
      if (u.port && Number(u.port) !== port) problems.push(`its port is ${u.port}, not ${port}`);
      if (auth && !u.hasPassword) problems.push('AUTH is on but the URL has no password');
    }
    if (problems.length)
      return fail('redis.url', {
        resource: s!.arn ?? secretId,
        message: `the Redis URL in ${secretId}: ${problems.join('; ')}`,
        evidence: ev,
        fix: rewrite,
      });
    else
      return pass('redis.url', {
        resource: s!.arn ?? secretId,
        message: `${secretId} url is ${want}://${u.hasPassword ? '…@' : ''}${u.host}:${u.port ?? port}${u.path} with no query string`,
        evidence: ev,
      });
  }
}
