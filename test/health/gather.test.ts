/**
 * The reads of `berth health` in the sandbox against a fake AWS endpoint (test/aws/fake-aws.ts),
 * which also stands in for the public URL: the sandbox's stand-in answers plain HTTP, so the ACM
 * certificate read (the HTTPS listener's certificate) goes out beside DescribeServices instead of
 * after the HTTP check.
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
