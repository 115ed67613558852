/**
 * The doctor's runner against a fake AWS endpoint (test/aws/fake-aws.ts): the reachability call
 * (sts:GetCallerIdentity) goes out with the groups' first reads instead of before them, and when it
 * fails the run still ends at once with that failure, whatever the groups are still reading.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAwsClients } from '../../src/aws/clients.js';
import type { AwsContext } from '../../src/aws/context.js';
import { runDoctor } from '../../src/doctor/run.js';
import { fakeAws, type FakeAws } from '../aws/fake-aws.js';
import { platformEnv } from './fixtures/world.js';

const IDENTITY =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/ops</Arn><UserId>AIDAFAKE</UserId>' +
  '</GetCallerIdentityResult></GetCallerIdentityResponse>';
const NO_VPCS = '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><vpcSet/></DescribeVpcsResponse>';
const BAD_TOKEN =
  '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>' +
  '<Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>';

const ctxOf = (aws: FakeAws): AwsContext => ({
  region: 'eu-west-1',
  endpoint: aws.endpoint,
  credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
  sandbox: false,
});

describe('doctor runner', () => {
  let aws: FakeAws | undefined;
  afterEach(async () => {
    closeAwsClients();
    await aws?.close();
  });

  it('asks sts:GetCallerIdentity while the groups read, not before', async () => {
    let together: boolean | undefined;
    aws = await fakeAws(async (call, a) => {
      if (call.operation === 'GetCallerIdentity') {
        // Generous: under load the EC2 client may take seconds to load; the wait ends when the read arrives.
        together = await a.arrived('DescribeVpcs', 30_000);
        return { body: IDENTITY };
      }
      if (call.operation === 'DescribeVpcs') return { body: NO_VPCS };
      return undefined;
    });
    const env = platformEnv();
    const r = await runDoctor({ env, ctx: ctxOf(aws), select: ['network'] });
    expect(together).toBe(true);
    // The group ran to its end (the fake answers nothing else it reads: its own failure, not the run's).
    expect(r.groups.map((g) => g.name)).toEqual(['network']);
    expect(r.findings.length).toBeGreaterThan(0);
  });

  it('bad credentials end the run with aws.bad-credentials (21) while the groups are still waiting', async () => {
    aws = await fakeAws(async (call) => {
      if (call.operation === 'GetCallerIdentity') return { status: 403, body: BAD_TOKEN };
      await new Promise(() => undefined); // the groups' reads are never answered
      return undefined;
    });
    const env = platformEnv();
    const progress: string[] = [];
    const t0 = Date.now();
    await expect(
      runDoctor({ env, ctx: ctxOf(aws), select: ['network', 'iam'], onGroup: (name) => progress.push(name) }),
    ).rejects.toMatchObject({ id: 'aws.bad-credentials', exitCode: 21 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    closeAwsClients();
    await new Promise((r) => setTimeout(r, 50));
    expect(progress).toEqual([]);
  });
});
