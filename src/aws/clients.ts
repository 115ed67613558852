/**
 * AWS SDK v3 clients, made lazily: a command loads only the client packages it calls.
 * One client per (service, context), with the SDK's standard retry mode (throttling backs off).
 */
import { BerthError } from '../output/errors.js';
import type { AwsContext } from './context.js';

const cache = new WeakMap<AwsContext, Map<string, unknown>>();

function config(ctx: AwsContext) {
  return {
    region: ctx.region,
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    ...(ctx.credentials ? { credentials: ctx.credentials } : {}),
    maxAttempts: 6,
    retryMode: 'standard' as const,
  };
}

const verified = new WeakMap<AwsContext, Promise<void>>();

/** With `account` set in the environment, refuse credentials that belong to any other account. */
function verifyAccount(ctx: AwsContext): Promise<void> {
  if (!ctx.expectedAccount) return Promise.resolve();
  let p = verified.get(ctx);
  if (!p) {
    p = (async () => {
      const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const who = await new STSClient(config(ctx)).send(new GetCallerIdentityCommand({}));
      if (who.Account !== ctx.expectedAccount)
        throw new BerthError(`the AWS credentials in use belong to account ${who.Account}, but this environment is account ${ctx.expectedAccount}; nothing was done.`, {
          hint: 'Switch to the right profile (AWS_PROFILE) or role, or fix `account` in the environment file.',
        });
    })();
    verified.set(ctx, p);
  }
  return p;
}

async function memo<T>(ctx: AwsContext, key: string, make: () => Promise<T>): Promise<T> {
  await verifyAccount(ctx);
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  if (!m.has(key)) m.set(key, await make());
  return m.get(key) as T;
}

export const ecs = (ctx: AwsContext) => memo(ctx, 'ecs', async () => new (await import('@aws-sdk/client-ecs')).ECSClient(config(ctx)));
export const elbv2 = (ctx: AwsContext) =>
  memo(ctx, 'elbv2', async () => new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(config(ctx)));
export const logs = (ctx: AwsContext) => memo(ctx, 'logs', async () => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config(ctx)));
export const cloudwatch = (ctx: AwsContext) => memo(ctx, 'cloudwatch', async () => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config(ctx)));
export const ec2 = (ctx: AwsContext) => memo(ctx, 'ec2', async () => new (await import('@aws-sdk/client-ec2')).EC2Client(config(ctx)));
export const ecr = (ctx: AwsContext) => memo(ctx, 'ecr', async () => new (await import('@aws-sdk/client-ecr')).ECRClient(config(ctx)));
/** ECR with a single attempt, for reads where an error is itself the answer (doctor's image probe). */
export const ecrSingleAttempt = (ctx: AwsContext) =>
  memo(ctx, 'ecr-1', async () => new (await import('@aws-sdk/client-ecr')).ECRClient({ ...config(ctx), maxAttempts: 1 }));
export const secretsManager = (ctx: AwsContext) =>
  memo(ctx, 'secrets', async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(config(ctx)));
export const iam = (ctx: AwsContext) => memo(ctx, 'iam', async () => new (await import('@aws-sdk/client-iam')).IAMClient(config(ctx)));
export const acm = (ctx: AwsContext) => memo(ctx, 'acm', async () => new (await import('@aws-sdk/client-acm')).ACMClient(config(ctx)));
export const route53 = (ctx: AwsContext) => memo(ctx, 'route53', async () => new (await import('@aws-sdk/client-route-53')).Route53Client(config(ctx)));
export const rds = (ctx: AwsContext) => memo(ctx, 'rds', async () => new (await import('@aws-sdk/client-rds')).RDSClient(config(ctx)));
export const elasticache = (ctx: AwsContext) => memo(ctx, 'elasticache', async () => new (await import('@aws-sdk/client-elasticache')).ElastiCacheClient(config(ctx)));
export const autoscaling = (ctx: AwsContext) =>
  memo(ctx, 'autoscaling', async () => new (await import('@aws-sdk/client-application-auto-scaling')).ApplicationAutoScalingClient(config(ctx)));
export const sts = (ctx: AwsContext) => memo(ctx, 'sts', async () => new (await import('@aws-sdk/client-sts')).STSClient(config(ctx)));
export const s3 = (ctx: AwsContext) => memo(ctx, 's3', async () => new (await import('@aws-sdk/client-s3')).S3Client({ ...config(ctx), forcePathStyle: Boolean(ctx.endpoint) }));
export const sns = (ctx: AwsContext) => memo(ctx, 'sns', async () => new (await import('@aws-sdk/client-sns')).SNSClient(config(ctx)));
