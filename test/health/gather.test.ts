/**
 * The reads of `berth health` in the sandbox against a fake AWS endpoint (test/aws/fake-aws.ts),
 * which also stands in for the public URL: the sandbox's stand-in answers plain HTTP, so the ACM
 * certificate read (the HTTPS listener's certificate) goes out beside DescribeServices instead of
 * after the HTTP check; the certificate named for the host is described while the listener is
 * still being looked up, and the listener's certificate still wins when the two differ.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAwsClients } from '../../src/aws/clients.js';
import type { AwsContext } from '../../src/aws/context.js';
import { parseEnvironment } from '../../src/config/load.js';
import { gatherHealth } from '../../src/health/gather.js';
import { fakeAws, type FakeAws, type FakeCall } from '../aws/fake-aws.js';

const env = parseEnvironment(
  {
    name: 'sandbox',
    app: 'shop',
    domain: { name: 'shop.example' },
    state: { bucket: 'tf-state' },
    services: [{ name: 'api', port: 8080 }],
  },
  'sandbox.json',
);
const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-sandbox-alb/1';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/c1';
const ELB_NS = 'xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"';

let together: boolean | undefined;

async function answer(call: FakeCall, aws: FakeAws) {
  switch (call.operation) {
    case 'DescribeServices':
      together = await aws.arrived('DescribeLoadBalancers', 30_000);
      return { body: { services: [{ serviceName: 'api', status: 'ACTIVE', loadBalancers: [] }] } };
    case 'DescribeLoadBalancers':
      return {
        body: `<DescribeLoadBalancersResponse ${ELB_NS}><DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerArn>${LB}</LoadBalancerArn></member></LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>`,
      };
    case 'DescribeListeners':
      return {
        body: `<DescribeListenersResponse ${ELB_NS}><DescribeListenersResult><Listeners><member><Port>443</Port><Certificates><member><CertificateArn>${CERT}</CertificateArn></member></Certificates></member></Listeners></DescribeListenersResult></DescribeListenersResponse>`,
      };
    case 'DescribeCertificate':
      return { body: { Certificate: { CertificateArn: CERT, Status: 'ISSUED', NotAfter: 1_900_000_000 } } };
    case '/health':
      return { body: { status: 'healthy' }, contentType: 'application/json' };
  }
  return undefined;
}

describe('health reads in the sandbox', () => {
  let aws: FakeAws | undefined;
  afterEach(async () => {
    closeAwsClients();
    await aws?.close();
  });

  it("reads the HTTPS listener's certificate beside DescribeServices", async () => {
    aws = await fakeAws(answer);
    const ctx: AwsContext = {
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
      sandbox: true,
      publicUrlOverride: aws.endpoint,
    };
    const raw = await gatherHealth(ctx, env, env.services, { now: () => Date.parse('2030-01-01T00:00:00Z') });
    expect(together).toBe(true);
    expect(raw.services[0]).toMatchObject({
      service: 'api',
      found: true,
      targets: null,
      http: { ok: true, status: 200 },
      certificate: { source: 'acm', arn: CERT, status: 'ISSUED', notAfter: '2030-03-17T17:46:40.000Z' },
    });
  });
});

describe('the certificate read in the sandbox', () => {
  const OTHER = 'arn:aws:acm:us-east-1:123456789012:certificate/named';
  let aws: FakeAws | undefined;
  afterEach(async () => {
    closeAwsClients();
    await aws?.close();
  });
  const ctxOf = (a: FakeAws): AwsContext => ({
    region: 'us-east-1',
    endpoint: a.endpoint,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    sandbox: true,
    publicUrlOverride: a.endpoint,
  });
  /** The fake with ListCertificates naming `named` for the host; DescribeListeners answers once `holdFor` arrived. */
  function withNamed(named: string, holdFor: string | undefined, seen: { held?: boolean; described: string[] }) {
    return async (call: FakeCall, a: FakeAws) => {
      if (call.operation === 'ListCertificates')
        return { body: { CertificateSummaryList: [{ CertificateArn: named, DomainName: 'api.shop.example' }] } };
      if (call.operation === 'DescribeListeners' && holdFor) seen.held = await a.arrived(holdFor, 10_000);
      if (call.operation === 'DescribeCertificate') {
        const arn = String(call.body.CertificateArn);
        seen.described.push(arn);
        return { body: { Certificate: { CertificateArn: arn, Status: 'ISSUED', NotAfter: 1_900_000_000 } } };
      }
      return answer(call, a);
    };
  }

  it("describes the host's certificate while the listener is looked up: one round trip fewer when it is the listener's", async () => {
    const seen: { held?: boolean; described: string[] } = { described: [] };
    aws = await fakeAws(withNamed(CERT, 'DescribeCertificate', seen));
    const raw = await gatherHealth(ctxOf(aws), env, env.services, { now: () => Date.parse('2030-01-01T00:00:00Z') });
    expect(seen.held).toBe(true);
    expect(seen.described).toEqual([CERT]);
    expect(raw.services[0]!.certificate).toMatchObject({ source: 'acm', arn: CERT, status: 'ISSUED' });
  });

  it("the HTTPS listener's certificate wins over the one named for the host", async () => {
    const seen: { held?: boolean; described: string[] } = { described: [] };
    aws = await fakeAws(withNamed(OTHER, undefined, seen));
    const raw = await gatherHealth(ctxOf(aws), env, env.services, { now: () => Date.parse('2030-01-01T00:00:00Z') });
    expect(raw.services[0]!.certificate).toMatchObject({ source: 'acm', arn: CERT });
    expect(seen.described.sort()).toEqual([CERT, OTHER].sort());
  });
});
