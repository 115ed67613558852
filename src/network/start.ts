/**
 * What a Fargate task (platform 1.4.0) must reach before it runs, in the order the agent does it:
 * the ECR registry auth (ecr.api, for an ECR image) and the secrets (Secrets Manager, SSM) first
 * (a failure there is ECS's ResourceInitializationError "unable to pull secrets or registry
 * auth"), then the image (ecr.dkr for the manifest, S3 for the layers: CannotPullContainerError),
 * then the awslogs stream (CloudWatch Logs: ResourceInitializationError "failed to validate
 * logger args").
 */
import { reachService } from './reach.js';
import type { AwsService, NetFacts, TaskPlace, Verdict } from './types.js';

export interface StartNeeds {
  /** The image is in a private ECR registry (else it comes from the internet: ecr.dkr/s3 do not apply). */
  ecrImage: boolean;
  secretsManager: boolean;
  ssm: boolean;
  awslogs: boolean;
}

export type StartStep = 'registry-auth' | 'secrets' | 'image-pull' | 'logs';

export interface StartFailure {
  step: StartStep;
  /** The service that cannot be reached, or 'internet' for an image outside ECR. */
  service: AwsService | 'internet';
  verdict: Verdict;
}

function steps(n: StartNeeds): [StartStep, AwsService | 'internet'][] {
  const out: [StartStep, AwsService | 'internet'][] = [];
  if (n.ecrImage) out.push(['registry-auth', 'ecr.api']);
  if (n.secretsManager) out.push(['secrets', 'secretsmanager']);
  if (n.ssm) out.push(['secrets', 'ssm']);
  if (n.ecrImage) out.push(['image-pull', 'ecr.dkr'], ['image-pull', 's3']);
  else out.push(['image-pull', 'internet']);
  if (n.awslogs) out.push(['logs', 'logs']);
  return out;
}

/** The first thing the task cannot reach on its way to RUNNING, or undefined when it can start. */
export function firstStartFailure(f: NetFacts, task: TaskPlace, needs: StartNeeds): StartFailure | undefined {
  for (const [step, service] of steps(needs)) {
    // An image outside ECR comes over the internet: the same way out as S3 without its gateway endpoint.
    const verdict = service === 'internet' ? reachService({ ...f, endpoints: [] }, task, 's3') : reachService(f, task, service);
    if (!verdict.ok) return { step, service, verdict };
  }
  return undefined;
}
