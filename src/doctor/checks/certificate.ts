/**
 * certificate: the public name's certificate is ISSUED and far from expiry, its validation CNAMEs
 * are in the zone, and the domain is delegated to the zone's name servers. Incident: a
 * certificate stuck in PENDING_VALIDATION because the registrar still served its own name servers.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm';
import { names } from '../../config/names.js';
import type { CertificateFacts } from '../facts.js';
import { toIso } from '../lib/ecs.js';
import { fail, pass, shq, warn } from '../lib/finding.js';
import type { CheckInput, Finding } from '../types.js';

const DAY = 86_400_000;
/** Issuance normally follows delegation within an hour; after this a pending validation is stuck. */
export const PENDING_STUCK_HOURS = 2;

export const normName = (s: string | undefined) => (s ?? '').toLowerCase().replace(/\.$/, '');

/** Does a certificate name (maybe a wildcard) cover the host? */
export function covers(certName: string, host: string): boolean {
  const c = normName(certName);
  const h = normName(host);
  if (c === h) return true;
  return c.startsWith('*.') && h.endsWith(c.slice(1)) && !h.slice(0, h.length - c.length + 1).includes('.');
}

const names_ = (c: CertificateDetail) => [c.DomainName ?? '', ...(c.SubjectAlternativeNames ?? [])];

/** The certificate that matters: the listener's one covering the name, else the best candidate (issued first, newest). */
export function pickCertificate(f: CertificateFacts, fqdn: string): CertificateDetail | undefined {
  const cands = f.certificates.filter((c) => names_(c).some((x) => covers(x, fqdn)));
  const onListener = cands.find((c) => f.listenerCertificateArns.includes(c.CertificateArn ?? ''));
  if (onListener) return onListener;
  const t = (c: CertificateDetail) => new Date((c.CreatedAt ?? c.ImportedAt ?? 0) as string | Date).getTime();
  return [...cands].sort((a, b) => Number(b.Status === 'ISSUED') - Number(a.Status === 'ISSUED') || t(b) - t(a))[0];
}

/** What every certificate check reads. */
interface CertCtx {
  f: CertificateFacts;
  env: CheckInput['env'];
  now: Date;
  n: ReturnType<typeof names>;
  fqdn: string;
  domain: string;
  zone: CertificateFacts['zone'];
}

export function checkCertificate(f: CertificateFacts, input: CheckInput): Finding[] {
  const n = names(input.env);
  const c: CertCtx = { f, env: input.env, now: input.now, n, fqdn: n.fqdn, domain: input.env.domain.name, zone: f.zone };
  // Delegation first: it is needed to judge a pending certificate.
  const deleg = delegation(c);
  const cert = pickCertificate(f, c.fqdn);
  return [
    ...deleg.out,
    ...(cert ? certificateChecks(c, cert, deleg.delegated) : [noCertificate(c)]),
    ...listenerServes(c),
    ...aliasRecord(c),
  ];
}

function noCertificate(c: CertCtx): Finding {
  const { f, env, fqdn } = c;
  return fail('certificate.status', {
    resource: fqdn,
    message: `no ACM certificate covers ${fqdn} in ${env.region}`,
    evidence: { name: fqdn, certificates: f.certificates.map((x) => `${x.CertificateArn} ${x.DomainName} ${x.Status}`) },
    fix: { commands: [`berth apply --env ${env.name}`] },
  });
}

/** The domain is delegated to the hosted zone's name servers. */
function delegation(c: CertCtx): { out: Finding[]; delegated: boolean } {
  const { f, env, domain, zone } = c;
  const out: Finding[] = [];
  const expected = (zone?.nameServers ?? []).map(normName).sort();
  const actual = f.delegation.nameServers.map(normName).sort();
  const overlap = actual.filter((x) => expected.includes(x));
  const delegEv = {
    domain,
    zone: zone?.id ?? null,
    zoneNameServers: expected,
    delegatedTo: actual,
    source: f.delegation.source === 'dns' ? 'public DNS (NS lookup)' : "the zone's own NS record set (emulator)",
    error: f.delegation.error ?? null,
  };
  let delegated = false;
  if (!zone)
    out.push(
      fail('certificate.delegation', {
        resource: domain,
        message: `no public hosted zone for ${domain}`,
        evidence: delegEv,
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else if (f.delegation.error && !actual.length)
    out.push(
      fail('certificate.delegation', {
        resource: domain,
        message: `the NS lookup of ${domain} failed (${f.delegation.error}): the domain is not delegated to Route 53`,
        evidence: delegEv,
        fix: delegationFix(domain, expected, zone.id, f.delegation.source),
      }),
    );
  else if (!overlap.length)
    out.push(
      fail('certificate.delegation', {
        resource: zone.id,
        message: `${domain} is delegated to ${actual.join(', ') || 'nothing'}, not to the zone's name servers: DNS validation and the alias record are invisible to the world`,
        evidence: delegEv,
        fix: delegationFix(domain, expected, zone.id, f.delegation.source),
      }),
    );
  else if (overlap.length !== expected.length || actual.length !== expected.length) {
    delegated = true;
    out.push(
      warn('certificate.delegation', {
        resource: zone.id,
        message: `${domain} is delegated to a mix of the zone's name servers and others (${actual.join(', ')})`,
        evidence: delegEv,
        fix: delegationFix(domain, expected, zone.id, f.delegation.source),
      }),
    );
  } else {
    delegated = true;
    out.push(
      pass('certificate.delegation', {
        resource: zone.id,
        message: `${domain} is delegated to the zone's ${expected.length} name servers`,
        evidence: delegEv,
      }),
    );
  }
  return { out, delegated };
}

function certificateChecks(c: CertCtx, cert: CertificateDetail, delegated: boolean): Finding[] {
  const v = validationRecords(c, cert);
  return [...v.out, ...certificateStatus(c, cert, v.recordsOk, delegated), ...expiry(c, cert)];
}

/** The certificate's DNS validation records are in the zone. */
function validationRecords(c: CertCtx, cert: CertificateDetail): { out: Finding[]; recordsOk: boolean } {
  const arn = cert.CertificateArn!;
  const { domain, zone } = c;
  const out: Finding[] = [];
  const opts = (cert.DomainValidationOptions ?? []).filter((o) => o.ValidationMethod === 'DNS' || o.ResourceRecord);
  const missing: string[] = [];
  const changes: string[] = [];
  const seen: string[] = [];
  for (const o of opts) {
    const rr = o.ResourceRecord;
    if (!rr?.Name) continue;
    const rec = zone?.records.find((r) => normName(r.Name) === normName(rr.Name) && r.Type === (rr.Type ?? 'CNAME'));
    const values = rec?.ResourceRecords?.map((x) => normName(x.Value)) ?? [];
    if (!rec || !values.includes(normName(rr.Value))) {
      missing.push(`${rr.Name} ${rr.Type ?? 'CNAME'} ${rr.Value}${rec ? ` (zone has ${values.join(', ')})` : ''}`);
      changes.push(
        JSON.stringify({
          Action: 'UPSERT',
          ResourceRecordSet: { Name: rr.Name, Type: rr.Type ?? 'CNAME', TTL: 300, ResourceRecords: [{ Value: rr.Value }] },
        }),
      );
    } else seen.push(`${rr.Name} ${rr.Type ?? 'CNAME'} present`);
  }
  const vEv = {
    certificate: arn,
    validationMethod: cert.DomainValidationOptions?.[0]?.ValidationMethod ?? (cert.Type === 'IMPORTED' ? 'imported' : null),
    records: seen,
    missing,
  };
  const recordsOk = !missing.length;
  if (cert.Type === 'IMPORTED')
    out.push(
      pass('certificate.validation-records', { resource: arn, message: 'imported certificate: no DNS validation to check', evidence: vEv }),
    );
  else if (cert.DomainValidationOptions?.some((o) => o.ValidationMethod === 'EMAIL'))
    out.push(
      warn('certificate.validation-records', {
        resource: arn,
        message: `${arn} is e-mail validated: renewal needs someone to click a link`,
        evidence: vEv,
        fix: { note: 'Request a DNS-validated certificate instead (berth apply does).' },
      }),
    );
  else if (!zone)
    out.push(
      fail('certificate.validation-records', {
        resource: arn,
        message: `no hosted zone for ${domain} to hold the validation records`,
        evidence: vEv,
        see: ['certificate.delegation'],
      }),
    );
  else if (!recordsOk) {
    const cmd = `aws route53 change-resource-record-sets --hosted-zone-id ${zone.id} --change-batch ${shq(`{"Changes":[${changes.join(',')}]}`)}`;
    const mk = cert.Status === 'ISSUED' ? warn : fail;
    out.push(
      mk('certificate.validation-records', {
        resource: arn,
        message: `${missing.length} validation record(s) of ${arn} missing from zone ${zone.id}${cert.Status === 'ISSUED' ? ': automatic renewal will fail' : ': the certificate can never be issued'}`,
        evidence: vEv,
        fix: { commands: [cmd] },
      }),
    );
  } else
    out.push(
      pass('certificate.validation-records', {
        resource: arn,
        message: `${opts.length} validation record(s) present in ${zone.id}`,
        evidence: vEv,
      }),
    );
  return { out, recordsOk };
}

/** The certificate is ISSUED, or why it is not. */
function certificateStatus(c: CertCtx, cert: CertificateDetail, recordsOk: boolean, delegated: boolean): Finding[] {
  const { env, now, fqdn, domain } = c;
  const out: Finding[] = [];
  const arn = cert.CertificateArn!;
  const created = cert.CreatedAt ? new Date(cert.CreatedAt as unknown as string) : undefined;
  const ageMin = created ? Math.max(0, Math.round((now.getTime() - created.getTime()) / 60_000)) : undefined;
  const sEv = {
    certificate: arn,
    domain: cert.DomainName ?? null,
    status: cert.Status ?? null,
    type: cert.Type ?? null,
    createdAt: toIso(created) ?? null,
    ageMinutes: ageMin ?? null,
    inUseBy: cert.InUseBy ?? [],
    failureReason: cert.FailureReason ?? null,
  };
  if (cert.Status === 'ISSUED')
    out.push(pass('certificate.status', { resource: arn, message: `${arn} for ${cert.DomainName} is ISSUED`, evidence: sEv }));
  else if (cert.Status === 'PENDING_VALIDATION') {
    const age = ageMin === undefined ? 'unknown age' : ageMin < 120 ? `${ageMin} min` : `${(ageMin / 60).toFixed(1)} h`;
    const blockers = [
      ...(!recordsOk ? ['its validation CNAME is not in the zone'] : []),
      ...(!delegated ? [`${domain} is not delegated to the zone's name servers`] : []),
    ];
    if (blockers.length)
      out.push(
        fail('certificate.status', {
          resource: arn,
          message: `${arn} has been PENDING_VALIDATION for ${age} and cannot validate: ${blockers.join('; ')}`,
          evidence: sEv,
          see: [...(!recordsOk ? ['certificate.validation-records'] : []), ...(!delegated ? ['certificate.delegation'] : [])],
          fix: { note: 'Fix the checks named under "see"; ACM retries validation by itself for 72 hours.' },
        }),
      );
    else if (ageMin !== undefined && ageMin > PENDING_STUCK_HOURS * 60)
      out.push(
        fail('certificate.status', {
          resource: arn,
          message: `${arn} has been PENDING_VALIDATION for ${age} although the CNAME and delegation look right`,
          evidence: sEv,
          fix: {
            commands: [`dig +short NS ${domain}`, `dig +short CNAME ${cert.DomainValidationOptions?.[0]?.ResourceRecord?.Name ?? fqdn}`],
            note: 'Check public DNS answers as Route 53 does; if it does, request a new certificate (berth apply).',
          },
        }),
      );
    else
      out.push(
        warn('certificate.status', {
          resource: arn,
          message: `${arn} is PENDING_VALIDATION for ${age}: records and delegation are in place, issuance usually follows within an hour`,
          evidence: sEv,
        }),
      );
  } else
    out.push(
      fail('certificate.status', {
        resource: arn,
        message: `${arn} is ${cert.Status}${cert.FailureReason ? ` (${cert.FailureReason})` : ''}`,
        evidence: sEv,
        fix: {
          commands: [`berth apply --env ${env.name}`],
          note: 'A failed, expired or revoked certificate must be replaced: request a new one.',
        },
      }),
    );
  return out;
}

/** An issued (or expired) certificate's remaining life. */
function expiry(c: CertCtx, cert: CertificateDetail): Finding[] {
  const { now } = c;
  const out: Finding[] = [];
  const arn = cert.CertificateArn!;
  if (cert.Status === 'ISSUED' || cert.Status === 'EXPIRED') {
    const notAfter = cert.NotAfter ? new Date(cert.NotAfter as unknown as string) : undefined;
    const days = notAfter ? Math.floor((notAfter.getTime() - now.getTime()) / DAY) : undefined;
    const eEv = {
      certificate: arn,
      notAfter: toIso(notAfter) ?? null,
      daysLeft: days ?? null,
      renewal: cert.RenewalEligibility ?? null,
      renewalStatus: cert.RenewalSummary?.RenewalStatus ?? null,
    };
    const renew =
      cert.Type === 'IMPORTED'
        ? { note: 'Imported certificates do not renew: import a new one (aws acm import-certificate --certificate-arn ...).' }
        : {
            note: 'ACM renews DNS-validated certificates in use ~60 days before expiry; a short remaining life means renewal is failing: keep the validation CNAME in the zone.',
          };
    if (days === undefined) out.push(warn('certificate.expiry', { resource: arn, message: 'no expiry date reported', evidence: eEv }));
    else if (days < 0)
      out.push(fail('certificate.expiry', { resource: arn, message: `${arn} expired ${-days} day(s) ago`, evidence: eEv, fix: renew }));
    else if (days < 7)
      out.push(fail('certificate.expiry', { resource: arn, message: `${arn} expires in ${days} day(s)`, evidence: eEv, fix: renew }));
    else if (days < 30)
      out.push(warn('certificate.expiry', { resource: arn, message: `${arn} expires in ${days} days`, evidence: eEv, fix: renew }));
    else
      out.push(
        pass('certificate.expiry', { resource: arn, message: `${days} days left (until ${toIso(notAfter)?.slice(0, 10)})`, evidence: eEv }),
      );
  }
  return out;
}

/** The load balancer's HTTPS listener serves an issued certificate for the name. */
function listenerServes(c: CertCtx): Finding[] {
  const { f, env, n, fqdn } = c;
  const out: Finding[] = [];
  const lEv = { listenerCertificates: f.listenerCertificateArns, name: fqdn };
  const served = f.certificates.filter((c) => f.listenerCertificateArns.includes(c.CertificateArn ?? ''));
  const good = served.find((c) => c.Status === 'ISSUED' && names_(c).some((x) => covers(x, fqdn)));
  if (!f.loadBalancer)
    out.push(
      fail('certificate.listener', { resource: n.alb, message: `no load balancer ${n.alb}`, evidence: lEv, see: ['health.routing'] }),
    );
  else if (!f.listenerCertificateArns.length)
    out.push(
      fail('certificate.listener', {
        resource: f.loadBalancer.LoadBalancerArn,
        message: `${n.alb} has no HTTPS listener certificate`,
        evidence: lEv,
        fix: { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  else if (!good) {
    const issued = f.certificates.find((c) => c.Status === 'ISSUED' && names_(c).some((x) => covers(x, fqdn)));
    out.push(
      fail('certificate.listener', {
        resource: f.listenerCertificateArns[0],
        message: `the HTTPS listener serves ${served.map((c) => `${c.CertificateArn} (${c.DomainName}, ${c.Status})`).join(', ') || f.listenerCertificateArns.join(', ')}: none is an issued certificate for ${fqdn}`,
        evidence: lEv,
        fix: issued
          ? {
              commands: [
                `aws elbv2 modify-listener --listener-arn <https-listener-arn> --certificates CertificateArn=${issued.CertificateArn}`,
              ],
            }
          : { commands: [`berth apply --env ${env.name}`] },
      }),
    );
  } else
    out.push(
      pass('certificate.listener', {
        resource: good.CertificateArn,
        message: `the HTTPS listener serves ${good.CertificateArn}`,
        evidence: lEv,
      }),
    );
  return out;
}

/** The name is an alias of the load balancer in the zone. */
function aliasRecord(c: CertCtx): Finding[] {
  const { f, fqdn, domain, zone } = c;
  const out: Finding[] = [];
  const lbDns = normName(f.loadBalancer?.DNSName).replace(/^dualstack\./, '');
  const rec = zone?.records.find((r) => normName(r.Name) === normName(fqdn) && (r.Type === 'A' || r.Type === 'AAAA' || r.Type === 'CNAME'));
  const target = normName(rec?.AliasTarget?.DNSName ?? rec?.ResourceRecords?.[0]?.Value).replace(/^dualstack\./, '');
  const aEv = {
    name: fqdn,
    zone: zone?.id ?? null,
    record: rec ? `${rec.Type} ${rec.AliasTarget ? 'alias ' : ''}${target}` : 'none',
    loadBalancer: lbDns || null,
  };
  if (!zone)
    out.push(
      fail('certificate.alias-record', {
        resource: fqdn,
        message: `no hosted zone for ${domain}`,
        evidence: aEv,
        see: ['certificate.delegation'],
      }),
    );
  else if (!rec || (lbDns && target !== lbDns)) {
    const change = JSON.stringify({
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: fqdn,
            Type: 'A',
            AliasTarget: {
              HostedZoneId: f.loadBalancer?.CanonicalHostedZoneId ?? '<alb-zone-id>',
              DNSName: f.loadBalancer?.DNSName ?? '<alb-dns-name>',
              EvaluateTargetHealth: true,
            },
          },
        },
      ],
    });
    out.push(
      fail('certificate.alias-record', {
        resource: zone.id,
        message: rec ? `${fqdn} points at ${target}, not at the load balancer ${lbDns}` : `no A alias record for ${fqdn} in ${zone.id}`,
        evidence: aEv,
        fix: { commands: [`aws route53 change-resource-record-sets --hosted-zone-id ${zone.id} --change-batch ${shq(change)}`] },
      }),
    );
  } else out.push(pass('certificate.alias-record', { resource: zone.id, message: `${fqdn} -> ${target}`, evidence: aEv }));
  return out;
}

function delegationFix(domain: string, expected: string[], zoneId: string | undefined, source: 'dns' | 'zone-ns-record') {
  if (source === 'zone-ns-record') {
    const change = JSON.stringify({
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: { Name: `${domain}.`, Type: 'NS', TTL: 172800, ResourceRecords: expected.map((v) => ({ Value: v })) },
        },
      ],
    });
    return {
      commands: [`aws route53 change-resource-record-sets --hosted-zone-id ${zoneId ?? '<zone-id>'} --change-batch ${shq(change)}`],
    };
  }
  return {
    note: `At the registrar of ${domain}, set its name servers to: ${expected.join(', ')} (the command below does it when Route 53 Domains is the registrar). Propagation takes minutes to hours; check with dig +short NS ${domain}.`,
    commands: [
      `aws route53domains update-domain-nameservers --region us-east-1 --domain-name ${domain} --nameservers ${expected.map((x) => `Name=${x}`).join(' ')}`,
    ],
  };
}
