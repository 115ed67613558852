import { describe, expect, it } from 'vitest';
import { checkCertificate, covers } from '../../src/doctor/checks/certificate.js';
import { ID, NOW, VALIDATION, ZONE_NS, certificate, input } from './fixtures/world.js';
import { fixText, one, statuses } from './helpers.js';

const pending = (f: ReturnType<typeof certificate>, createdMinutesAgo: number) => {
  const c = f.certificates[0]!;
  c.Status = 'PENDING_VALIDATION';
  c.CreatedAt = new Date(NOW.getTime() - createdMinutesAgo * 60_000);
  c.DomainValidationOptions![0]!.ValidationStatus = 'PENDING_VALIDATION';
  return c;
};

describe('doctor certificate (pure)', () => {
  it('passes on the healthy recorded account', () => {
    const fs = checkCertificate(certificate(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
    expect(one(fs, 'certificate.expiry').evidence.daysLeft).toBe(223);
  });

  it('incident 5: pending, CNAME present, but the registrar still serves its own name servers -> FAIL with the zone name servers to set', () => {
    const f = certificate();
    pending(f, 25);
    f.delegation = { source: 'dns', nameServers: ['ns1.gabia.co.kr', 'ns2.gabia.co.kr'] };
    const fs = checkCertificate(f, input());
    const d = one(fs, 'certificate.delegation');
    expect(d.status).toBe('FAIL');
    expect(d.resource).toBe(ID.zone);
    expect(d.message).toContain('ns1.gabia.co.kr');
    for (const ns of ZONE_NS) expect(fixText(d)).toContain(ns);
    expect(fixText(d)).toContain('aws route53domains update-domain-nameservers');
    const s = one(fs, 'certificate.status');
    expect(s.status).toBe('FAIL');
    expect(s.resource).toBe(ID.cert);
    expect(s.message).toContain('PENDING_VALIDATION for 25 min');
    expect(s.see).toEqual(['certificate.delegation']);
    expect(one(fs, 'certificate.validation-records').status).toBe('PASS');
  });

  it('pending with the validation CNAME missing from the zone: FAIL with the UPSERT to run', () => {
    const f = certificate();
    pending(f, 5);
    f.zone!.records = f.zone!.records.filter((r) => r.Type !== 'CNAME');
    const fs = checkCertificate(f, input());
    const v = one(fs, 'certificate.validation-records');
    expect(v.status).toBe('FAIL');
    expect(v.fix?.commands?.[0]).toContain(`aws route53 change-resource-record-sets --hosted-zone-id ${ID.zone}`);
    expect(v.fix?.commands?.[0]).toContain(VALIDATION.Value);
    expect(one(fs, 'certificate.status').see).toEqual(['certificate.validation-records']);
  });

  it('pending with everything in place: WARN for the first hours, FAIL once stuck', () => {
    const f = certificate();
    pending(f, 40);
    expect(one(checkCertificate(f, input()), 'certificate.status').status).toBe('WARN');
    pending(f, 5 * 60);
    const s = one(checkCertificate(f, input()), 'certificate.status');
    expect(s.status).toBe('FAIL');
    expect(s.message).toContain('5.0 h');
  });

  it('expiry: WARN under 30 days, FAIL under 7, FAIL once expired', () => {
    const f = certificate();
    const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000 + 3_600_000);
    f.certificates[0]!.NotAfter = at(20);
    expect(one(checkCertificate(f, input()), 'certificate.expiry').status).toBe('WARN');
    f.certificates[0]!.NotAfter = at(3);
    expect(one(checkCertificate(f, input()), 'certificate.expiry').status).toBe('FAIL');
    f.certificates[0]!.NotAfter = at(-2);
    f.certificates[0]!.Status = 'EXPIRED';
    const fs = checkCertificate(f, input());
    expect(one(fs, 'certificate.expiry').message).toContain('expired');
    expect(one(fs, 'certificate.status').status).toBe('FAIL');
    expect(one(fs, 'certificate.listener').status).toBe('FAIL');
  });

  it('a validation that timed out (ACM gives up after 72 h) FAILs with its reason and asks for a new certificate', () => {
    const f = certificate();
    f.certificates[0]!.Status = 'VALIDATION_TIMED_OUT';
    f.certificates[0]!.FailureReason = 'OTHER';
    const s = one(checkCertificate(f, input()), 'certificate.status');
    expect(s.status).toBe('FAIL');
    expect(s.message).toContain('is VALIDATION_TIMED_OUT (OTHER)');
    expect(s.fix?.commands).toEqual([`berth apply --env ${input().env.name}`]);
  });

  it('an issued certificate whose CNAME was removed WARNs (renewal will fail)', () => {
    const f = certificate();
    f.zone!.records = f.zone!.records.filter((r) => r.Type !== 'CNAME');
    expect(one(checkCertificate(f, input()), 'certificate.validation-records').status).toBe('WARN');
  });

  it('emulator mode: the zone NS record set stands for the delegation', () => {
    const f = certificate();
    f.delegation = { source: 'zone-ns-record', nameServers: ['ns1.registrar.example'] };
    const d = one(checkCertificate(f, input()), 'certificate.delegation');
    expect(d.status).toBe('FAIL');
    expect(d.fix?.commands?.[0]).toContain('"Type":"NS"');
  });

  it('a DNS lookup failure of the domain FAILs with its error code', () => {
    const f = certificate();
    f.delegation = { source: 'dns', nameServers: [], error: 'ENOTFOUND' };
    expect(one(checkCertificate(f, input()), 'certificate.delegation').message).toContain('ENOTFOUND');
  });

  it('alias record missing or pointing elsewhere FAILs with an UPSERT to the load balancer', () => {
    const f = certificate();
    f.zone!.records = f.zone!.records.filter((r) => r.Type !== 'A');
    const a = one(checkCertificate(f, input()), 'certificate.alias-record');
    expect(a.status).toBe('FAIL');
    expect(fixText(a)).toContain(ID.albDns);
  });

  it('wildcards cover one label only', () => {
    expect(covers('*.example.com', 'api.example.com')).toBe(true);
    expect(covers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(covers('api.example.com.', 'API.example.com')).toBe(true);
  });
});
