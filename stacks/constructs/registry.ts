/**
 * One ECR repository per image (services sharing a repository share one), scanned on push, with a
 * lifecycle policy that expires untagged images after 14 days and keeps the last 30 tagged ones.
 */
import { Construct } from 'constructs';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import type { EnvironmentConfig } from '../../src/config/types.js';

export interface RegistryProps {
  env: EnvironmentConfig;
  /**
   * Tag mutability. Default: `MUTABLE`, on purpose: CI pushes the git SHA tag AND `latest`, and
   * `latest` moves. Deploys reference the immutable SHA tag (or digest), so a moved `latest` never
   * changes a running revision.
   */
  imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  /** Encryption at rest. Default: `AES256` (S3-managed keys); `KMS` uses the aws/ecr key. */
  encryption?: 'AES256' | 'KMS';
  /** Days before an untagged image expires. Default: 14. */
  untaggedExpiryDays?: number;
  /** Tagged images kept (the oldest beyond this are expired). Default: 30. */
  keepTaggedImages?: number;
  /** Delete a repository even if it still holds images. Default: false (true in a sandbox). */
  forceDelete?: boolean;
}

/** The lifecycle policy document (pure: tests and doctor compare against it). */
export function lifecyclePolicy(untaggedExpiryDays = 14, keepTaggedImages = 30): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedExpiryDays} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepTaggedImages} tagged images`,
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepTaggedImages },
        action: { type: 'expire' },
      },
    ],
  });
}

export class Registry extends Construct {
  /** Repository URL per repository name. */
  readonly repositoryUrls: Record<string, string> = {};
  /** Repository ARN per repository name. */
  readonly repositoryArns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    const env = props.env;
    const repos = [...new Set(env.services.map((s) => s.repository))].sort();
    const keys = new Set<string>();
    repos.forEach((name, i) => {
      let key = name.replace(/[^A-Za-z0-9-]/g, '-');
      if (keys.has(key)) key = `${key}-${i}`;
      keys.add(key);
      const repo = new EcrRepository(this, `repo-${key}`, {
        name,
        imageTagMutability: props.imageTagMutability ?? 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: props.encryption ?? 'AES256' }],
        forceDelete: props.forceDelete ?? env.sandbox,
        tags: { Name: name },
      });
      new EcrLifecyclePolicy(this, `lifecycle-${key}`, {
        repository: repo.name,
        policy: lifecyclePolicy(props.untaggedExpiryDays, props.keepTaggedImages),
      });
      this.repositoryUrls[name] = repo.repositoryUrl;
      this.repositoryArns[name] = repo.arn;
    });
  }
}
