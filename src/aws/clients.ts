/**
 * AWS SDK v3 clients, made lazily: a command loads only the client packages it calls.
 * One client per (service, context). Every client is bounded the same way (src/aws/limits.ts):
 * connection and per-attempt time limits on the SDK's request handler, a bounded number of
 * attempts with jittered backoff (src/aws/retry.ts), and errors tagged with the call they came
 * from so that src/aws/failures.ts can name them. closeAwsClients() ends every open connection.
 */
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { AwsContext } from './context.js';
import { awsLimits } from './limits.js';
import { BoundedRetryStrategy } from './retry.js';

const cache = new WeakMap<AwsContext, Map<string, Promise<unknown>>>();

interface Destroyable {
  destroy(): void;
  middlewareStack: {
    add(mw: unknown, opts: { step: 'initialize'; name: string; override?: boolean }): void;
    remove(name: string): boolean;
  };
}
/** Every client made by this process, so that a command can close them all when it ends. */
const open = new Set<Destroyable>();
/** Bumped by closeAwsClients: a client made before refuses to retry after. */
let generation = 0;

function config(ctx: AwsContext, maxAttempts?: number) {
  const limits = awsLimits();
  const attempts = maxAttempts ?? limits.maxAttempts;
  const strategy = new BoundedRetryStrategy(attempts);
  const born = generation;
  return {
    region: ctx.region,
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    ...(ctx.credentials ? { credentials: ctx.credentials } : {}),
    maxAttempts: attempts,
    retryStrategy: {
      mode: strategy.mode,
      acquireInitialRetryToken: (s: string) => strategy.acquireInitialRetryToken(s),
      // Once the command has ended (closeAwsClients), nothing is retried.
      refreshRetryTokenForRetry: (t: never, i: never) =>
        born !== generation ? Promise.reject(new Error('closed')) : strategy.refreshRetryTokenForRetry(t, i),
      recordSuccess: () => undefined,
    },
    requestHandler: {
      connectionTimeout: limits.connectTimeoutMs,
      requestTimeout: limits.timeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: limits.timeoutMs,
    },
  };
}

/** Record on any error which call it came from (service, operation, region, endpoint); the error itself is unchanged. */
function tagged<C extends Destroyable>(client: C, ctx: AwsContext): C {
  // berth gives the SDK no logger; its logger step would still copy every answer, sensitive fields
  // masked, for a logger that prints nothing (a few ms of a cold start on a large answer).
  client.middlewareStack.remove('loggerMiddleware');
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (e) {
        if (e && typeof e === 'object' && !('$berth' in e)) {
          const service = context.clientName?.replace(/Client$/, '').toLowerCase();
          Object.defineProperty(e, '$berth', {
            value: { service, operation: context.commandName?.replace(/Command$/, ''), region: ctx.region, endpoint: ctx.endpoint },
            enumerable: false,
          });
        }
        throw e;
      }
    },
    { step: 'initialize', name: 'berthErrorContext', override: true },
  );
  open.add(client);
  return client;
}

/** End every AWS connection this process holds and refuse further retries: nothing outlives the command. */
export function closeAwsClients(): void {
  generation++;
  for (const c of open) {
    try {
      c.destroy();
    } catch {
      // already gone
    }
  }
  open.clear();
}

const verified = new WeakMap<AwsContext, Promise<void>>();

/** With `account` set in the environment, refuse credentials that belong to any other account. */
function verifyAccount(ctx: AwsContext): Promise<void> {
  if (!ctx.expectedAccount) return Promise.resolve();
  let p = verified.get(ctx);
  if (!p) {
    p = (async () => {
      const { STSClient, GetCallerIdentityCommand } = await import('./sdk/sts.js');
      const who = await tagged(new STSClient(config(ctx)), ctx).send(new GetCallerIdentityCommand({}));
      if (who.Account !== ctx.expectedAccount)
        throw new BerthError(
          `the AWS credentials in use belong to account ${who.Account}, ` +
            `but this environment is account ${ctx.expectedAccount}; nothing was done.`,
          {
            hint: 'Switch to the right profile (AWS_PROFILE) or role, or fix `account` in the environment file.',
            exitCode: EXIT.AWS_WRONG_ACCOUNT,
            code: 'aws.wrong-account',
          },
        );
    })();
    verified.set(ctx, p);
  }
  return p;
}

/** Reads whose request may go out while the account is being checked (their answer waits for it). */
const OVERLAPPING_READ = /^(Describe|List)\w+Command$|^(FilterLogEvents|GetLogEvents)Command$/;

/**
 * With `account` set, every call waits for the account check (one sts:GetCallerIdentity per run):
 * a call that could change something is sent only after it; a Describe/List read (and a log read)
 * is sent at once, and its answer is handed back only once the check has passed, so a read command
 * does not pay the check as one more round trip in a row. A failed check is the call's error.
 */
function guarded<C extends Destroyable>(client: C, ctx: AwsContext): C {
  if (!ctx.expectedAccount) return client;
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const check = verifyAccount(ctx);
      if (!OVERLAPPING_READ.test(context.commandName ?? '')) {
        await check;
        return next(args);
      }
      const answer = next(args);
      answer.catch(() => undefined); // the check's failure comes first
      await check;
      return answer;
    },
    { step: 'initialize', name: 'berthAccountGuard', override: true },
  );
  return client;
}

/** One client per service and context, made once even when calls ask for it at the same moment. */
async function memo<T>(ctx: AwsContext, key: string, make: () => Promise<T>): Promise<T> {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  let client = m.get(key) as Promise<T> | undefined;
  if (!client) {
    // The account check starts with the first client (it runs while the client package loads).
    void verifyAccount(ctx).catch(() => undefined);
    client = make().then((c) => guarded(tagged(c as Destroyable, ctx), ctx) as T);
    m.set(key, client);
    client.catch(() => m.delete(key));
  }
  return client;
}

export const ecs = (ctx: AwsContext) => memo(ctx, 'ecs', async () => new (await import('./sdk/ecs.js')).ECSClient(config(ctx)));
export const elbv2 = (ctx: AwsContext) =>
  memo(ctx, 'elbv2', async () => new (await import('./sdk/elastic-load-balancing-v2.js')).ElasticLoadBalancingV2Client(config(ctx)));
export const logs = (ctx: AwsContext) =>
  memo(ctx, 'logs', async () => new (await import('./sdk/cloudwatch-logs.js')).CloudWatchLogsClient(config(ctx)));
export const cloudwatch = (ctx: AwsContext) =>
  memo(ctx, 'cloudwatch', async () => new (await import('./sdk/cloudwatch.js')).CloudWatchClient(config(ctx)));
export const ec2 = (ctx: AwsContext) => memo(ctx, 'ec2', async () => new (await import('./sdk/ec2.js')).EC2Client(config(ctx)));
export const ecr = (ctx: AwsContext) => memo(ctx, 'ecr', async () => new (await import('./sdk/ecr.js')).ECRClient(config(ctx)));
/** ECR with a single attempt, for reads where an error is itself the answer (doctor's image probe). */
export const ecrSingleAttempt = (ctx: AwsContext) =>
  memo(ctx, 'ecr-1', async () => new (await import('./sdk/ecr.js')).ECRClient(config(ctx, 1)));
export const secretsManager = (ctx: AwsContext) =>
  memo(ctx, 'secrets', async () => new (await import('./sdk/secrets-manager.js')).SecretsManagerClient(config(ctx)));
export const iam = (ctx: AwsContext) => memo(ctx, 'iam', async () => new (await import('./sdk/iam.js')).IAMClient(config(ctx)));
export const acm = (ctx: AwsContext) => memo(ctx, 'acm', async () => new (await import('./sdk/acm.js')).ACMClient(config(ctx)));
export const route53 = (ctx: AwsContext) =>
  memo(ctx, 'route53', async () => new (await import('./sdk/route-53.js')).Route53Client(config(ctx)));
export const rds = (ctx: AwsContext) => memo(ctx, 'rds', async () => new (await import('./sdk/rds.js')).RDSClient(config(ctx)));
export const elasticache = (ctx: AwsContext) =>
  memo(ctx, 'elasticache', async () => new (await import('./sdk/elasticache.js')).ElastiCacheClient(config(ctx)));
export const autoscaling = (ctx: AwsContext) =>
  memo(ctx, 'autoscaling', async () => new (await import('./sdk/application-auto-scaling.js')).ApplicationAutoScalingClient(config(ctx)));
export const sts = (ctx: AwsContext) => memo(ctx, 'sts', async () => new (await import('./sdk/sts.js')).STSClient(config(ctx)));
