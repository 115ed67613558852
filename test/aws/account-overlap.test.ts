/**
 * The account check (sts:GetCallerIdentity, once per run, src/aws/clients.ts) against a fake AWS
 * endpoint (test/aws/fake-aws.ts): a Describe/List read goes out while the check runs and is
 * answered only after it passed; a call that could change something is sent only after the check;
 * credentials of another account fail both, and the change is never sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAwsClients, ecs } from '../../src/aws/clients.js';
import type { AwsContext } from '../../src/aws/context.js';
import { DescribeClustersCommand, UpdateServiceCommand } from '../../src/aws/sdk/ecs.js';
import { fakeAws, type FakeAws, type FakeCall } from './fake-aws.js';

const identity = (account: string) =>
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  `<Account>${account}</Account><Arn>arn:aws:iam::${account}:user/ops</Arn><UserId>AIDAFAKE</UserId>` +
  '</GetCallerIdentityResult></GetCallerIdentityResponse>';

const ctxOf = (aws: FakeAws, expectedAccount: string): AwsContext => ({
  region: 'eu-west-1',
  endpoint: aws.endpoint,
  credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
  sandbox: false,
  expectedAccount,
});

describe('account check', () => {
  let aws: FakeAws | undefined;
  afterEach(async () => {
    closeAwsClients();
    await aws?.close();
  });

  it('a read goes out while the account is checked, and is answered once it passed', async () => {
    let together: boolean | undefined;
    aws = await fakeAws(async (call: FakeCall, a) => {
      if (call.operation === 'GetCallerIdentity') {
        together = await a.arrived('DescribeClusters', 30_000);
        return { body: identity('123456789012') };
      }
      if (call.operation === 'DescribeClusters') return { body: { clusters: [{ clusterName: 'shop-prod' }] } };
      return undefined;
    });
    const client = await ecs(ctxOf(aws, '123456789012'));
    const r = await client.send(new DescribeClustersCommand({ clusters: ['shop-prod'] }));
    expect(together).toBe(true);
    expect(r.clusters?.[0]?.clusterName).toBe('shop-prod');
  });

  it("another account's credentials: the read is refused, the change is never sent (exit 28 aws.wrong-account)", async () => {
    aws = await fakeAws(async (call: FakeCall) => {
      if (call.operation === 'GetCallerIdentity') return { body: identity('123456789012') };
      if (call.operation === 'DescribeClusters') return { body: { clusters: [{ clusterName: 'shop-prod' }] } };
      return { body: {} };
    });
    const client = await ecs(ctxOf(aws, '111111111111'));
    const wrong = {
      code: 'aws.wrong-account',
      message: expect.stringMatching(/belong to account 123456789012, but this environment is account 111111111111/),
    };
    await expect(client.send(new DescribeClustersCommand({ clusters: ['shop-prod'] }))).rejects.toMatchObject(wrong);
    await expect(client.send(new UpdateServiceCommand({ cluster: 'shop-prod', service: 'api', desiredCount: 0 }))).rejects.toMatchObject(
      wrong,
    );
    expect(aws.calls.map((c) => c.operation)).not.toContain('UpdateService');
    expect(aws.calls.filter((c) => c.operation === 'GetCallerIdentity')).toHaveLength(1);
  });
});
