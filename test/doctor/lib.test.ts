import { describe, expect, it } from 'vitest';
import { contains as cidrContains } from '../../src/network/cidr.js';
import { evaluate, parsePolicy, trusts } from '../../src/doctor/lib/iam-policy.js';
import { readManifest } from '../../src/doctor/lib/image.js';
import { parseImage, parseValueFrom } from '../../src/doctor/lib/refs.js';
import { describeSecretString } from '../../src/doctor/lib/secret-shape.js';
import { groupStops } from '../../src/doctor/lib/stops.js';

describe('doctor lib: cidr', () => {
  it('containment', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.20.0/24')).toBe(true);
    expect(cidrContains('10.0.20.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '192.168.1.0/24')).toBe(true);
    expect(cidrContains('10.0.20.0/23', '10.0.21.0/24')).toBe(true);
    expect(cidrContains('10.0.20.0/24', '10.0.21.0/24')).toBe(false);
    expect(cidrContains('nonsense', '10.0.0.0/8')).toBe(false);
  });
});

describe('doctor lib: IAM evaluation', () => {
  const doc = (Statement: unknown) => ({ source: 'p', document: { Version: '2012-10-17', Statement } as never });
  it('actions match case-insensitively with wildcards, resources case-sensitively', () => {
    expect(
      evaluate(
        [doc([{ Effect: 'Allow', Action: 'SecretsManager:Get*', Resource: 'arn:aws:secretsmanager:*:*:secret:app/*' }])],
        'secretsmanager:GetSecretValue',
        'arn:aws:secretsmanager:us-east-1:1:secret:app/redis-AbCdEf',
      ).allowed,
    ).toBe(true);
    expect(
      evaluate(
        [doc([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:App/*' }])],
        'secretsmanager:GetSecretValue',
        'arn:aws:secretsmanager:us-east-1:1:secret:app/x',
      ).allowed,
    ).toBe(false);
    expect(evaluate([doc([{ Effect: 'Allow', Action: 'ecr:BatchGet?mage', Resource: '*' }])], 'ecr:BatchGetImage', 'x').allowed).toBe(true);
  });
  it('NotAction / NotResource, explicit deny, conditions noted', () => {
    expect(evaluate([doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])], 'logs:PutLogEvents', 'x').allowed).toBe(true);
    expect(evaluate([doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])], 'iam:PassRole', 'x').allowed).toBe(false);
    expect(evaluate([doc([{ Effect: 'Allow', Action: '*', NotResource: 'arn:secret' }])], 'a:b', 'arn:secret').allowed).toBe(false);
    const d = evaluate(
      [
        doc([
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'No', Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
        ]),
      ],
      'secretsmanager:GetSecretValue',
      'x',
    );
    expect(d).toEqual({ allowed: false, by: 'p#No', explicitDeny: true });
    expect(
      evaluate(
        [doc({ Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })],
        'a:b',
        'x',
      ),
    ).toMatchObject({ allowed: true, conditional: true });
  });
  it('reads URL-encoded documents as IAM returns them, and trust policies', () => {
    const enc = encodeURIComponent(
      JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] }),
    );
    expect(trusts(parsePolicy(enc), 'ecs-tasks.amazonaws.com')).toBe(true);
    expect(trusts(parsePolicy(enc), 'lambda.amazonaws.com')).toBe(false);
  });
});

describe('doctor lib: references', () => {
  it('valueFrom with and without a JSON key', () => {
    expect(parseValueFrom('arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/sandbox/redis-AbCdEf:url::')).toEqual({
      kind: 'secretsmanager',
      secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/sandbox/redis-AbCdEf',
      jsonKey: 'url',
      versionStage: undefined,
      versionId: undefined,
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(parseValueFrom('arn:aws:secretsmanager:us-east-1:1:secret:rds!cluster-abc-Xy12Zw').jsonKey).toBeUndefined();
    expect(parseValueFrom('/app/param').kind).toBe('ssm');
  });
  it('ECR image URIs by tag or digest', () => {
    expect(parseImage('123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/chatbot/api:3f2a9c1')).toMatchObject({
      ecr: true,
      registryId: '123456789012',
      region: 'ap-northeast-2',
      repository: 'chatbot/api',
      tag: '3f2a9c1',
    });
    expect(parseImage(`123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`)).toMatchObject({
      repository: 'api',
      digest: `sha256:${'a'.repeat(64)}`,
      tag: undefined,
    });
    expect(parseImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/api')).toMatchObject({ tag: 'latest' });
    expect(parseImage('nginx:1.27').ecr).toBe(false);
  });
});

describe('doctor lib: image manifests', () => {
  it('an index lists its platforms without attestation manifests', () => {
    const m = readManifest(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [
          { platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
          { platform: { architecture: 'unknown', os: 'unknown' } },
        ],
      }),
    );
    expect(m).toEqual({
      kind: 'index',
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      platforms: [{ architecture: 'arm64', os: 'linux', variant: 'v8' }],
    });
  });
  it('a single manifest points at its config; schema 1 names its architecture', () => {
    expect(
      readManifest(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          config: { digest: 'sha256:abc' },
          layers: [],
        }),
      ),
    ).toMatchObject({ kind: 'manifest', configDigest: 'sha256:abc' });
    expect(readManifest(JSON.stringify({ schemaVersion: 1, architecture: 'amd64' }))).toMatchObject({
      kind: 'schema1',
      architecture: 'amd64',
    });
    expect(readManifest('not json').kind).toBe('unknown');
    // a platform on the config descriptor, or an architecture annotation, is taken at its word
    expect(
      readManifest(
        JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:abc', platform: { architecture: 'arm64', os: 'linux' } } }),
      ),
    ).toMatchObject({ kind: 'manifest', architecture: 'arm64' });
    expect(
      readManifest(
        JSON.stringify({
          schemaVersion: 2,
          config: { digest: 'sha256:abc' },
          annotations: { 'org.opencontainers.image.architecture': 'amd64' },
        }),
      ),
    ).toMatchObject({ architecture: 'amd64' });
  });
});

describe('doctor lib: secret shapes (never values)', () => {
  it('keeps key names and URL shapes, reports every value for redaction', () => {
    const seen: string[] = [];
    const s = describeSecretString(
      JSON.stringify({
        host: 'h.cache.amazonaws.com',
        port: 6379,
        password: 'tok3n-value-123',
        url: 'rediss://:tok3n-value-123@h.cache.amazonaws.com:6379/0?ssl_cert_reqs=none',
      }),
      (v) => seen.push(v),
    );
    expect(s.keys).toEqual(['host', 'port', 'password', 'url']);
    expect(s.urls.url).toEqual({
      valid: true,
      scheme: 'rediss',
      host: 'h.cache.amazonaws.com',
      port: '6379',
      path: '/0',
      queryKeys: ['ssl_cert_reqs'],
      hasUser: false,
      hasPassword: true,
    });
    expect(s.plain).toEqual({ host: 'h.cache.amazonaws.com', port: '6379' });
    expect(JSON.stringify(s)).not.toContain('tok3n-value-123');
    expect(JSON.stringify(s)).not.toContain('none');
    expect(seen).toContain('tok3n-value-123');
  });
  it('a plain-string secret is not JSON and has no keys', () => {
    expect(describeSecretString('just-a-token-value')).toEqual({ json: false, keys: [], urls: {}, plain: {} });
  });
});

describe('doctor lib: stopped tasks', () => {
  it('groups identical failures across task ids and digests', () => {
    const t = (id: string, digest: string) => ({
      taskArn: `arn:aws:ecs:r:1:task/c/${id}`,
      stopCode: 'TaskFailedToStart' as const,
      stoppedReason: `CannotPullContainerError: ${digest} not found`,
      containers: [],
    });
    const gs = groupStops([t('a'.repeat(32), 'sha256:' + '1'.repeat(64)), t('b'.repeat(32), 'sha256:' + '2'.repeat(64))]);
    expect(gs).toHaveLength(1);
    expect(gs[0]).toMatchObject({ kind: 'image-pull', count: 2, reason: 'CannotPullContainerError: sha256:<digest> not found' });
  });
});
