/**
 * The one place an error from an AWS call becomes a named failure: a stable id, an exit code from
 * src/output/exit-codes.ts, a message saying what happened and a hint saying what to do.
 *
 * Classified from what the SDK gives: the error's name, its `code` (Node's socket errors), its
 * `$metadata.httpStatusCode` and `$fault`, its `cause` chain, and the call it came from (added by
 * the clients' error-context middleware, src/aws/clients.ts). Anything not recognised is left
 * alone (returns undefined) so that real bugs still say so.
 */
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';

export type AwsFailureId =
  | 'aws.no-credentials'
  | 'aws.bad-credentials'
  | 'aws.access-denied'
  | 'aws.unreachable'
  | 'aws.timeout'
  | 'aws.throttled'
  | 'aws.service-error'
  | 'aws.unknown-region'
  | 'aws.bad-endpoint'
  | 'aws.wrong-account'
  | 'aws.refused';

/** A named AWS failure. `reached`: false when berth never got an answer from AWS. */
export class AwsFailure extends BerthError {
  /** The failure's id, also its error `code` in --json. */
  readonly id: AwsFailureId;
  readonly reached: boolean;
  constructor(
    id: AwsFailureId,
    exitCode: number,
    message: string,
    hint: string,
    details: AwsCall & { awsError?: string; [k: string]: unknown },
  ) {
    super(message, { exitCode, hint, details: { ...details, reached: !UNREACHED.has(id) }, code: id });
    this.name = 'AwsFailure';
    this.id = id;
    this.reached = !UNREACHED.has(id);
  }
}

const UNREACHED = new Set<AwsFailureId>(['aws.no-credentials', 'aws.unreachable', 'aws.timeout', 'aws.unknown-region', 'aws.bad-endpoint']);

/** What the clients' middleware records on an error: which call, where. */
export interface AwsCall {
  service?: string;
  operation?: string;
  region?: string;
  endpoint?: string;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  hostname?: string;
  cause?: unknown;
  errors?: unknown[];
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $berth?: AwsCall;
}

const NO_CREDENTIALS = /could not load credentials|unable to find credentials|credential is missing|no credentials/i;
const EXPIRED_SSO = /(sso|token).*(expired|refresh)/i;
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'AuthFailure',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'OptInRequired',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'PriorRequestNotComplete',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EPROTO',
  'ERR_SOCKET_CLOSED',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** The error and its causes (cause chain, AggregateError members), outermost first, at most 8. */
function chain(e: unknown): SdkError[] {
  const out: SdkError[] = [];
  const walk = (x: unknown) => {
    if (!x || typeof x !== 'object' || out.length >= 8 || out.includes(x as SdkError)) return;
    out.push(x as SdkError);
    const y = x as SdkError;
    if (Array.isArray(y.errors)) y.errors.slice(0, 3).forEach(walk);
    walk(y.cause);
  };
  walk(e);
  return out;
}

const where = (c: AwsCall) => (c.endpoint ? `the endpoint ${c.endpoint}` : `AWS in ${c.region ?? 'the configured region'}`);
const callName = (c: AwsCall) => (c.service && c.operation ? `${c.service}:${c.operation.replace(/Command$/, '')}` : 'an AWS call');
const attempts = (e: SdkError) =>
  e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempt${e.$metadata.attempts > 1 ? 's' : ''}` : '';

/** "User: arn:... is not authorized to perform: ecs:UpdateService on resource: arn:..." -> the action and the resource. */
export function deniedAction(message = ''): { principal?: string; action?: string; resource?: string } {
  const m = /User: (\S+) is not authorized to perform: (\S+?)(?: on resource: (\S+?))?(?:\s|$|\.(?:\s|$)|,)/.exec(message);
  return m ? { principal: m[1], action: m[2], resource: m[3] } : {};
}

function denied(e: SdkError, call: AwsCall): AwsFailure {
  const d = deniedAction(e.message);
  const action = d.action ?? callName(call);
  const on = d.resource ? ` on ${d.resource}` : '';
  return new AwsFailure(
    'aws.access-denied',
    EXIT.AWS_ACCESS_DENIED,
    `AWS denied ${action}${on}${d.principal ? ` to ${d.principal}` : ''}: ${e.message ?? e.name}`,
    `Grant ${action}${on} to the identity in use (its IAM policy, a permission boundary, an SCP or the resource's policy), ` +
      'or use a role that has it (aws sts get-caller-identity shows which one is in use).',
    { ...call, ...d, action, awsError: e.name },
  );
}

function network(e: SdkError, root: SdkError, call: AwsCall): AwsFailure {
  const code = root.code ?? root.name ?? 'Error';
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && !call.endpoint && /amazonaws\.com/.test(root.hostname ?? root.message ?? ''))
    return new AwsFailure(
      'aws.unknown-region',
      EXIT.AWS_UNKNOWN_REGION,
      `no AWS endpoint ${root.hostname ?? ''} for ${callName(call)}: ` +
        `region ${call.region ?? '?'} does not exist or the name does not resolve here (${code}).`,
      'Check `region` in the environment file (e.g. eu-west-1) and that DNS works from here (nslookup sts.amazonaws.com).',
      { ...call, awsError: code },
    );
  return new AwsFailure(
    'aws.unreachable',
    EXIT.AWS_UNREACHABLE,
    `cannot reach ${where(call)} for ${callName(call)}: ${code}${attempts(e)} (${root.message ?? 'no answer'}).`,
    call.endpoint
      ? `Is the endpoint running and is BERTH_AWS_ENDPOINT_URL (or the sandbox) right? For the sandbox: \`berth sandbox up\`.`
      : 'Check the network path to AWS from here: a VPN, a proxy (HTTPS_PROXY) or a firewall. Nothing was changed by this call.',
    { ...call, awsError: code },
  );
}

function timedOut(e: SdkError, call: AwsCall): AwsFailure {
  return new AwsFailure(
    'aws.timeout',
    EXIT.AWS_TIMED_OUT,
    `${where(call)} accepted the connection but did not answer ${callName(call)} in time${attempts(e)} (${e.message ?? e.name}).`,
    'Try again; on a slow link raise the limit (BERTH_AWS_TIMEOUT=30, seconds per attempt). An endpoint that never answers (a ' +
      'proxy, a stopped emulator) looks the same.',
    { ...call, awsError: e.name },
  );
}

function refusedOrFailed(e: SdkError, call: AwsCall): AwsFailure | undefined {
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLED.has(e.name ?? '') || status === 429)
    return new AwsFailure(
      'aws.throttled',
      EXIT.AWS_THROTTLED,
      `AWS kept throttling ${callName(call)}${attempts(e)}: ${e.name}: ${e.message ?? ''}`.trim(),
      'Another tool is using the same API quota (CI jobs, dashboards): wait a minute and re-run, or ask for a higher quota ' +
        '(Service Quotas).',
      { ...call, awsError: e.name },
    );
  if ((status !== undefined && status >= 500) || e.$fault === 'server')
    return new AwsFailure(
      'aws.service-error',
      EXIT.AWS_SERVICE_ERROR,
      `${where(call)} failed ${callName(call)} with a server error${attempts(e)}: ` +
        `${e.name} (HTTP ${status ?? '5xx'}): ${e.message ?? ''}`.trim(),
      'A fault on the AWS side: check the AWS Health Dashboard for the region and re-run in a few minutes.',
      { ...call, awsError: e.name },
    );
  return undefined;
}

/** Turn an SDK error into a named failure, or undefined when it is not one (a bug stays a bug). */
export function classifyAwsError(e: unknown): AwsFailure | undefined {
  if (e instanceof AwsFailure) return e;
  if (e instanceof BerthError) return undefined;
  const all = chain(e);
  const top = all[0];
  if (!top) return undefined;
  const call = all.find((x) => x.$berth)?.$berth ?? {};
  const name = top.name ?? '';
  if (name === 'CredentialsProviderError' || all.some((x) => NO_CREDENTIALS.test(x.message ?? '') && !x.$metadata?.httpStatusCode)) {
    const expired = EXPIRED_SSO.test(top.message ?? '');
    return expired
      ? new AwsFailure(
          'aws.bad-credentials',
          EXIT.AWS_BAD_CREDENTIALS,
          `the AWS credentials have expired: ${top.message}`,
          'Log in again (aws sso login --profile <profile>) or refresh the session, then re-run.',
          { ...call, awsError: name },
        )
      : new AwsFailure(
          'aws.no-credentials',
          EXIT.AWS_NO_CREDENTIALS,
          `no AWS credentials found for ${callName(call)}: ${top.message ?? name}`,
          'Set AWS_PROFILE (after `aws sso login` or `aws configure`), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; ' +
            "in CI, the job's role. Check with `aws sts get-caller-identity`.",
          { ...call, awsError: name },
        );
  }
  const bad = all.find((x) => BAD_CREDENTIALS.has(x.name ?? '') || BAD_CREDENTIALS.has(x.code ?? ''));
  if (bad)
    return new AwsFailure(
      'aws.bad-credentials',
      EXIT.AWS_BAD_CREDENTIALS,
      `AWS refused the credentials for ${callName(call)}: ${bad.name}: ${bad.message ?? ''}`.trim(),
      /expired/i.test(`${bad.name} ${bad.message}`)
        ? 'The session has expired: log in again (aws sso login) or refresh the role session, then re-run.'
        : 'The access key is unknown or its secret is wrong: check AWS_PROFILE / AWS_ACCESS_KEY_ID and the clock of this machine ' +
            '(signatures are time-bound).',
      { ...call, awsError: bad.name },
    );
  const deny = all.find(
    (x) => ACCESS_DENIED.has(x.name ?? '') || (x.$metadata?.httpStatusCode === 403 && !BAD_CREDENTIALS.has(x.name ?? '')),
  );
  if (deny) return denied(deny, call);
  const refused = refusedOrFailed(top, call);
  if (refused) return refused;
  // The SDK renames socket errors (ECONNRESET, ECONNREFUSED...) to TimeoutError: the code decides.
  const net = all.find((x) => UNREACHABLE_CODES.has(x.code ?? ''));
  if (net) return network(top, net, call);
  const timeout = all.find((x) => TIMEOUT.has(x.name ?? '') || TIMEOUT.has(x.code ?? ''));
  if (timeout) return timedOut({ ...timeout, $metadata: top.$metadata }, call);
  if (/region is missing|invalid region|unknown region/i.test(top.message ?? ''))
    return new AwsFailure(
      'aws.unknown-region',
      EXIT.AWS_UNKNOWN_REGION,
      `${top.message}`,
      'Set `region` in the environment file to a real AWS region (e.g. eu-west-1).',
      { ...call, awsError: name },
    );
  if (top.$metadata?.httpStatusCode !== undefined && top.$fault === 'client' && call.service)
    return new AwsFailure(
      'aws.refused',
      EXIT.FAILED,
      `AWS refused ${callName(call)}: ${name}: ${top.message ?? ''}`.trim(),
      'AWS says why above; nothing else was changed by this call.',
      { ...call, awsError: name },
    );
  return undefined;
}
