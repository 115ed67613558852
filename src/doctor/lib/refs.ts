/** Parsing the references a task definition holds: secret `valueFrom`s, image URIs, ARNs. */

export interface SecretRef {
  kind: 'secretsmanager' | 'ssm';
  /** What to ask Secrets Manager / SSM for: the secret ARN (without the JSON key part) or the parameter. */
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
  region?: string;
  account?: string;
}

/** Parse `valueFrom`: `arn:aws:secretsmanager:<region>:<acct>:secret:<name>[:<json-key>:<stage>:<version-id>]`, an SSM ARN, or a parameter name. */
export function parseValueFrom(valueFrom: string): SecretRef {
  const parts = valueFrom.split(':');
  if (parts[0] === 'arn' && parts[2] === 'secretsmanager' && parts[5] === 'secret' && parts.length >= 7) {
    const opt = (i: number) => (parts[i] ? parts[i] : undefined);
    return {
      kind: 'secretsmanager',
      secretId: parts.slice(0, 7).join(':'),
      jsonKey: opt(7),
      versionStage: opt(8),
      versionId: opt(9),
      region: parts[3],
      account: parts[4],
    };
  }
  if (parts[0] === 'arn' && parts[2] === 'ssm') return { kind: 'ssm', secretId: valueFrom, region: parts[3], account: parts[4] };
  return { kind: 'ssm', secretId: valueFrom };
}

export interface ImageRef {
  uri: string;
  ecr: boolean;
  registryId?: string;
  region?: string;
  repository?: string;
  tag?: string;
  digest?: string;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[a-f0-9]{64}))?$/;

export function parseImage(uri: string): ImageRef {
  const m = ECR_IMAGE.exec(uri);
  if (!m) return { uri, ecr: false };
  return { uri, ecr: true, registryId: m[1], region: m[2], repository: m[3], tag: m[5] ? undefined : (m[4] ?? 'latest'), digest: m[5] };
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string | undefined): Arn | undefined {
  if (!arn?.startsWith('arn:')) return undefined;
  const p = arn.split(':');
  if (p.length < 6) return undefined;
  return { partition: p[1]!, service: p[2]!, region: p[3]!, account: p[4]!, resource: p.slice(5).join(':') };
}

/** The name of an IAM role from its ARN (`arn:aws:iam::<acct>:role/<path/>name`). */
export function roleName(arn: string | undefined): string | undefined {
  const a = parseArn(arn);
  if (!a || !a.resource.startsWith('role/')) return undefined;
  return a.resource.split('/').pop();
}
