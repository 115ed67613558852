/**
 * Where the public load balancer writes its access logs: an S3 bucket of the environment that
 * log delivery can write to and nobody else can read from outside the account.
 *
 * - Encrypted with SSE-S3 (AES256): ALB access log delivery supports S3-managed keys only, not
 *   SSE-KMS (AWS, "Access logs for your Application Load Balancer", bucket requirements).
 * - Bucket policy: s3:PutObject on `<prefix>/AWSLogs/<account>/*` for the regional Elastic Load
 *   Balancing account in regions opened before August 2022 (terraform's aws_elb_service_account),
 *   and for the `logdelivery.elasticloadbalancing.amazonaws.com` service principal, which is what
 *   newer regions accept; plus a deny of any request without TLS.
 * - Public access blocked, object ownership enforced to the bucket owner (no ACLs), objects
 *   expired after `env.accessLogs.retentionDays` (90), unfinished uploads removed after 7 days.
 * - force_destroy: destroying the environment (confirmed by name) deletes its logs with it.
 */
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { Fn, type ITerraformDependable } from 'cdktf';
import { names } from '../../src/config/names.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export const ACCESS_LOG_PREFIX = 'alb';

/** Regions opened before August 2022: log delivery writes as the regional ELB account there. */
export const ELB_ACCOUNT_REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-north-1',
  'me-south-1',
  'sa-east-1',
  'us-gov-west-1',
  'us-gov-east-1',
]);

export class AccessLogBucket extends Construct {
  readonly bucket: string;
  /** Depend on this before enabling access logs: the load balancer checks it can write. */
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: { env: EnvironmentConfig }) {
    super(scope, id);
    const env = props.env;
    const n = names(env);
    const bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: n.albLogBucketPrefix,
      forceDestroy: true,
      tags: { Name: `${n.prefix}-alb-logs` },
    });
    const sse = new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const block = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const owner = new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'retention', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: `${ACCESS_LOG_PREFIX}/` }],
          expiration: [{ days: env.accessLogs.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const me = new DataAwsCallerIdentity(this, 'account');
    const logs = `${bucket.arn}/${ACCESS_LOG_PREFIX}/AWSLogs/${me.accountId}/*`;
    const writers: { Effect: string; Principal: Record<string, string>; Action: string; Resource: string; Sid: string }[] = [
      {
        Sid: 'LogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: logs,
      },
    ];
    if (ELB_ACCOUNT_REGIONS.has(env.region)) {
      const elb = new DataAwsElbServiceAccount(this, 'elb-account', {});
      writers.push({ Sid: 'ElbAccountWrite', Effect: 'Allow', Principal: { AWS: elb.arn }, Action: 's3:PutObject', Resource: logs });
    }
    const tlsOnly = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket.arn, `${bucket.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [...writers, tlsOnly] }),
      dependsOn: [block],
    });
    this.bucket = bucket.id;
    this.ready = [policy, sse, owner];
  }
}
