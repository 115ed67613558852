/**
 * One function names every AWS failure from the SDK's error (src/aws/failures.ts);
 * retries and limits are bounded (retry.ts, limits.ts).
 */
import { describe, expect, it } from 'vitest';
import { classifyAwsError, deniedAction } from '../../src/aws/failures.js';
import { awsLimits, fmtBound, MAX_ATTEMPTS } from '../../src/aws/limits.js';
import { backoffDelay, BoundedRetryStrategy } from '../../src/aws/retry.js';
import { BerthError } from '../../src/output/errors.js';

const call = { service: 'ecs', operation: 'UpdateService', region: 'eu-west-1' };
const sdk = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(extra.message ? String(extra.message) : name), { name, $berth: call, ...extra });
const http = (status: number, fault = 'client') => ({ $metadata: { httpStatusCode: status, attempts: 4 }, $fault: fault });

describe('classifyAwsError', () => {
  const cases: [string, unknown, string, number][] = [
    [
      'no credentials',
      sdk('CredentialsProviderError', { message: 'Could not load credentials from any providers' }),
      'aws.no-credentials',
      20,
    ],
    [
      'expired SSO session',
      sdk('CredentialsProviderError', { message: 'The SSO session token associated with this profile has expired' }),
      'aws.bad-credentials',
      21,
    ],
    ['expired token', sdk('ExpiredTokenException', http(400)), 'aws.bad-credentials', 21],
    ['unknown key', sdk('UnrecognizedClientException', http(400)), 'aws.bad-credentials', 21],
    ['bad signature (query API)', sdk('SignatureDoesNotMatch', http(403)), 'aws.bad-credentials', 21],
    ['access denied', sdk('AccessDeniedException', http(400)), 'aws.access-denied', 22],
    ['EC2 unauthorized', sdk('UnauthorizedOperation', http(403)), 'aws.access-denied', 22],
    ['refused (renamed TimeoutError by the SDK)', sdk('TimeoutError', { code: 'ECONNREFUSED' }), 'aws.unreachable', 23],
    ['reset', sdk('TimeoutError', { code: 'ECONNRESET' }), 'aws.unreachable', 23],
    [
      'refused inside an AggregateError',
      Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:1'), { code: 'ECONNREFUSED' })]), {
        $berth: call,
      }),
      'aws.unreachable',
      23,
    ],
    [
      'DNS of a custom endpoint',
      sdk('Error', { code: 'ENOTFOUND', hostname: 'emulator.local', $berth: { ...call, endpoint: 'http://emulator.local:5000' } }),
      'aws.unreachable',
      23,
    ],
    ['silent: request time limit', sdk('TimeoutError', { code: 'ETIMEDOUT' }), 'aws.timeout', 24],
    ['silent: socket inactivity', sdk('TimeoutError'), 'aws.timeout', 24],
    ['throttled', sdk('ThrottlingException', http(400)), 'aws.throttled', 25],
    ['429', sdk('TooManyRequests', http(429)), 'aws.throttled', 25],
    ['S3 SlowDown', sdk('SlowDown', http(503, 'server')), 'aws.throttled', 25],
    ['503', sdk('ServiceUnavailableException', http(503, 'server')), 'aws.service-error', 26],
    ['500', sdk('InternalFailure', http(500, 'server')), 'aws.service-error', 26],
    [
      'region with no endpoint',
      sdk('Error', { code: 'ENOTFOUND', hostname: 'ecs.xx-fake-1.amazonaws.com', $berth: { ...call, region: 'xx-fake-1' } }),
      'aws.unknown-region',
      27,
    ],
    ['region missing', sdk('Error', { message: 'Region is missing' }), 'aws.unknown-region', 27],
  ];
  for (const [what, err, id, code] of cases)
    it(`${what} -> ${id} (${code})`, () => {
      const f = classifyAwsError(err);
      expect(f).toMatchObject({ id, exitCode: code });
      expect(f!.message.length).toBeGreaterThan(10);
      expect(f!.hint).toBeTruthy();
    });

  it('"cannot reach AWS" and "AWS refused" are told apart', () => {
    expect(classifyAwsError(sdk('TimeoutError', { code: 'ECONNRESET' }))!.reached).toBe(false);
    expect(classifyAwsError(sdk('TimeoutError'))!.reached).toBe(false);
    expect(classifyAwsError(sdk('AccessDeniedException', http(400)))!.reached).toBe(true);
    expect(classifyAwsError(sdk('ThrottlingException', http(400)))!.reached).toBe(true);
  });

  it('access denied names the action and the resource AWS named', () => {
    const msg =
      'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: ecs:UpdateService on resource: ' +
      'arn:aws:ecs:eu-west-1:123456789012:service/c/api because no identity-based policy allows the ecs:UpdateService action';
    expect(deniedAction(msg)).toEqual({
      principal: 'arn:aws:sts::123456789012:assumed-role/ci/x',
      action: 'ecs:UpdateService',
      resource: 'arn:aws:ecs:eu-west-1:123456789012:service/c/api',
    });
    const f = classifyAwsError(sdk('AccessDeniedException', { ...http(400), message: msg }))!;
    expect(f.message).toContain('ecs:UpdateService on arn:aws:ecs:eu-west-1:123456789012:service/c/api');
    expect(f.details).toMatchObject({ action: 'ecs:UpdateService', resource: 'arn:aws:ecs:eu-west-1:123456789012:service/c/api' });
  });

  it("a real bug and berth's own errors are left alone", () => {
    expect(classifyAwsError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(classifyAwsError(new BerthError('cluster not found'))).toBeUndefined();
    expect(classifyAwsError(undefined)).toBeUndefined();
  });
});

describe('bounded retries', () => {
  it('backoff is jittered within [0, min(cap, base x 2^n)], larger for throttling', () => {
    expect(backoffDelay(1, false, () => 0.999)).toBeLessThanOrEqual(200);
    expect(backoffDelay(3, true, () => 0.999)).toBeLessThanOrEqual(2000);
    expect(backoffDelay(20, true, () => 0.999)).toBeLessThanOrEqual(4000);
    expect(backoffDelay(3, true, () => 0)).toBe(0);
  });

  it('retries throttling and transient faults up to maxAttempts, never a client error', async () => {
    const s = new BoundedRetryStrategy(MAX_ATTEMPTS, () => 0.5);
    let t = await s.acquireInitialRetryToken('');
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      t = await s.refreshRetryTokenForRetry(t, { errorType: i % 2 ? 'THROTTLING' : 'TRANSIENT' });
      expect(t.getRetryCount()).toBe(i);
    }
    await expect(s.refreshRetryTokenForRetry(t, { errorType: 'TRANSIENT' })).rejects.toThrow();
    await expect(s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(''), { errorType: 'CLIENT_ERROR' })).rejects.toThrow();
  });
});

describe('time limits: one override', () => {
  it('defaults: 10 s per attempt, 4 attempts, a stated call and command bound', () => {
    const l = awsLimits({});
    expect(l).toMatchObject({ timeoutMs: 10_000, connectTimeoutMs: 5000, maxAttempts: 4, callBoundMs: 43_500, commandBoundMs: 130_500 });
    expect(fmtBound(l.commandBoundMs)).toBe('2 min 11 s');
  });

  it('BERTH_AWS_TIMEOUT scales them all; nonsense is a usage error naming the variable', () => {
    expect(awsLimits({ BERTH_AWS_TIMEOUT: '2' })).toMatchObject({ timeoutMs: 2000, connectTimeoutMs: 2000, callBoundMs: 11_500 });
    expect(awsLimits({ BERTH_AWS_TIMEOUT: '30s' }).timeoutMs).toBe(30_000);
    for (const bad of ['0', 'abc', '-1', '1e9', '301'])
      expect(() => awsLimits({ BERTH_AWS_TIMEOUT: bad })).toThrow(
        expect.objectContaining({ exitCode: 2, code: 'usage.env-var', message: expect.stringContaining(`BERTH_AWS_TIMEOUT "${bad}"`) }),
      );
  });
});
