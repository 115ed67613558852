/**
 * The reads of `berth status` against a fake AWS endpoint (test/aws/fake-aws.ts): the release read
 * (ListServiceDeployments) goes out beside DescribeServices, not after it, and a service that does
 * not exist gets no note for its release read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAwsClients } from '../../src/aws/clients.js';
import type { AwsContext } from '../../src/aws/context.js';
import { parseEnvironment } from '../../src/config/load.js';
import { gatherStatus } from '../../src/status/gather.js';
import { fakeAws, type FakeAws, type FakeCall } from '../aws/fake-aws.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-prod-api:3';
const env = parseEnvironment(
  {
    name: 'prod',
    app: 'shop',
    domain: { name: 'shop.example' },
    state: { bucket: 'tf-state' },
    services: [
      { name: 'api', port: 8080 },
      { name: 'worker', port: 8081, pathPattern: '/worker/*' },
    ],
  },
  'prod.json',
);

const service = {
  serviceName: 'api',
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: 1,
  pendingCount: 0,
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, desiredCount: 1, runningCount: 1, rolloutState: 'COMPLETED' }],
  events: [],
};

/** Whether ListServiceDeployments arrived while DescribeServices was unanswered. */
let together: boolean | undefined;

/** DescribeServices is answered only once ListServiceDeployments has arrived (or after 30 s: generous for a loaded machine). */
async function answer(call: FakeCall, aws: FakeAws) {
  switch (call.operation) {
    case 'DescribeServices':
      together = await aws.arrived('ListServiceDeployments', 30_000);
      return { body: { services: [service], failures: [{ arn: 'worker', reason: 'MISSING' }] } };
    case 'ListServiceDeployments':
      return (call.body.service as string) === 'api'
        ? { body: { serviceDeployments: [] } }
        : { status: 400, body: { __type: 'ServiceNotFoundException', message: 'Service not found.' } };
    case 'DescribeTaskDefinition':
      return { body: { taskDefinition: { family: 'shop-prod-api', containerDefinitions: [{ name: 'api', image: 'repo/api:v3' }] } } };
    case 'DescribeScalableTargets':
      return { body: { ScalableTargets: [] } };
    case 'DescribeAlarms':
      return { body: { MetricAlarms: [], CompositeAlarms: [] } };
  }
  return undefined;
}

describe('status reads', () => {
  let aws: FakeAws | undefined;
  afterEach(async () => {
    closeAwsClients();
    await aws?.close();
  });

  it('sends ListServiceDeployments while DescribeServices is in flight, then reads the images', async () => {
    aws = await fakeAws(answer);
    const ctx: AwsContext = {
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
      sandbox: false,
    };
    const raw = await gatherStatus(ctx, env, env.services);
    expect(together).toBe(true);
    const lists = aws.calls.filter((c) => c.operation === 'ListServiceDeployments').map((c) => [c.body.cluster, c.body.service]);
    expect(lists.sort()).toEqual([
      ['shop-prod', 'api'],
      ['shop-prod', 'worker'],
    ]);
    expect(raw.images).toEqual({ [TD]: 'repo/api:v3' });
    // worker does not exist: its failed release read is no note; api's empty one is no release.
    expect(raw.notes).toEqual([]);
    expect(raw.services.map((s) => [s.name, Boolean(s.snap), s.release])).toEqual([
      ['api', true, undefined],
      ['worker', false, undefined],
    ]);
  });
});
