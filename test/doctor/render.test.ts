/** The human rendering of a doctor report (src/doctor/render.ts), on hand-made reports. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/doctor/render.js';
import type { DoctorReport } from '../../src/doctor/run.js';
import type { Finding } from '../../src/doctor/types.js';

const plain = (_style: string, s: string) => s;

function report(findings: Finding[], endpoint?: string): DoctorReport {
  const fail = findings.filter((f) => f.status === 'FAIL').length;
  const warn = findings.filter((f) => f.status === 'WARN').length;
  return {
    ok: fail === 0,
    exitCode: fail ? 1 : 0,
    environment: 'sandbox',
    app: 'demo',
    region: 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    services: ['api'],
    platform: 'berth',
    groups: [{ name: 'certificate', title: 'certificate', durationMs: 700, pass: findings.length - fail - warn, warn, fail }],
    summary: { pass: findings.length - fail - warn, warn, fail },
    durationMs: 800,
    findings,
  };
}

const failing: Finding = {
  status: 'FAIL',
  check: 'certificate.validation-records',
  group: 'certificate',
  title: 'validation records',
  resource: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
  message: '1 validation record(s) missing',
  evidence: { missing: ['_x.api.demo.test. CNAME _y.acm-validations.aws.'] },
  fix: { commands: ["aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{}'"] },
};
const passing: Finding = { ...failing, status: 'PASS', message: 'present', fix: undefined };

describe('doctor: the human rendering', () => {
  it('prints a failing finding with its evidence, its fix, the tally and the exit code', () => {
    const out = renderReport(report([failing]), plain);
    expect(out).toContain('FAIL  certificate.validation-records');
    expect(out).toContain("aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{}'");
    expect(out).toContain('missing: _x.api.demo.test. CNAME _y.acm-validations.aws.');
    expect(out).toMatch(/0 PASS {2}0 WARN {2}1 FAIL {2}in 0\.8 s {2}\(exit 1\)/);
  });

  it('against an emulator, says how to point the printed aws fixes at it; not for a real account, nor when all pass', () => {
    const line = /The aws fixes above, against this emulator: add --endpoint-url http:\/\/127\.0\.0\.1:4566/;
    expect(renderReport(report([failing], 'http://127.0.0.1:4566'), plain)).toMatch(line);
    expect(renderReport(report([failing]), plain)).not.toContain('--endpoint-url');
    expect(renderReport(report([passing], 'http://127.0.0.1:4566'), plain)).not.toContain('--endpoint-url');
  });
});
