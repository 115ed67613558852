import { describe, expect, it } from 'vitest';
import { checkIam } from '../../src/doctor/checks/iam.js';
import { ID, iam, input } from './fixtures/world.js';
import { one, statuses } from './helpers.js';

const policy = (f: ReturnType<typeof iam>) => f.services[0]!.executionRole!.policies[0]!.document!;
const stmt = (f: ReturnType<typeof iam>, sid: string) =>
  (policy(f).Statement as { Sid?: string; Resource?: string | string[]; Action?: string[] }[]).find((s) => s.Sid === sid)!;

describe('doctor iam (pure)', () => {
  it("passes on the stacks' own execution policy", () => {
    const fs = checkIam(iam(), input());
    expect(statuses(fs).FAIL).toEqual([]);
    expect(statuses(fs).WARN).toEqual([]);
  });

  it('the execution role losing read on one secret FAILs naming it, with a put-role-policy for exactly that ARN', () => {
    const f = iam();
    stmt(f, 'Secrets').Resource = [ID.dbSecret, ID.openaiSecret];
    const bad = one(checkIam(f, input()), 'iam.secret-read');
    expect(bad.status).toBe('FAIL');
    expect(bad.resource).toBe(ID.redisSecret);
    expect(bad.message).toContain('REDIS_URL');
    expect(bad.fix?.commands?.[0]).toContain(
      'aws iam put-role-policy --role-name chatbot-platform-api-exec --policy-name berth-read-secrets',
    );
    expect(bad.fix?.commands?.[0]).toContain(`"Resource":["${ID.redisSecret}"]`);
  });

  it('wildcard resources count; an explicit Deny wins', () => {
    const f = iam();
    stmt(f, 'Secrets').Resource = ['arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:*'];
    expect(one(checkIam(f, input()), 'iam.secret-read').status).toBe('PASS');
    f.services[0]!.executionRole!.policies.push({
      source: 'inline:deny',
      document: { Statement: [{ Effect: 'Deny', Action: 'secretsmanager:*', Resource: ID.openaiSecret }] },
    });
    const bad = one(checkIam(f, input()), 'iam.secret-read');
    expect(bad.status).toBe('FAIL');
    expect(String(bad.evidence.checks)).toContain('denied by inline:deny');
  });

  it('ECR pull without GetAuthorizationToken FAILs', () => {
    const f = iam();
    policy(f).Statement = (policy(f).Statement as { Sid?: string }[]).filter((s) => s.Sid !== 'EcrAuth');
    const bad = one(checkIam(f, input()), 'iam.ecr-pull');
    expect(bad.status).toBe('FAIL');
    expect(bad.message).toContain('ecr:GetAuthorizationToken');
    expect(bad.fix?.commands?.[0]).toContain('"Action":["ecr:GetAuthorizationToken"],"Resource":["*"]');
  });

  it('logs on another group only FAILs', () => {
    const f = iam();
    stmt(f, 'Logs').Resource = ['arn:aws:logs:ap-northeast-2:123456789012:log-group:/ecs/other:*'];
    const bad = one(checkIam(f, input()), 'iam.logs-write');
    expect(bad.status).toBe('FAIL');
    expect(bad.resource).toBe(`arn:aws:logs:ap-northeast-2:123456789012:log-group:${ID.logGroup}`);
  });

  it('the AWS managed execution policy (Resource "*") is enough for ECR and logs', () => {
    const f = iam();
    f.services[0]!.executionRole!.policies = [
      {
        source: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'ecr:GetAuthorizationToken',
                'ecr:BatchCheckLayerAvailability',
                'ecr:GetDownloadUrlForLayer',
                'ecr:BatchGetImage',
                'logs:CreateLogStream',
                'logs:PutLogEvents',
              ],
              Resource: '*',
            },
          ],
        },
      },
    ];
    const fs = checkIam(f, input());
    expect(one(fs, 'iam.ecr-pull').status).toBe('PASS');
    expect(one(fs, 'iam.logs-write').status).toBe('PASS');
    expect(one(fs, 'iam.secret-read').status).toBe('FAIL');
  });

  it('a role that does not trust ecs-tasks, or does not exist, FAILs', () => {
    const f = iam();
    f.services[0]!.executionRole!.trust = {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    expect(one(checkIam(f, input()), 'iam.execution-role').fix?.commands?.[0]).toContain(
      'aws iam update-assume-role-policy --role-name chatbot-platform-api-exec',
    );
    f.services[0]!.executionRole = { name: 'chatbot-platform-api-exec', found: false, policies: [] };
    const fs = checkIam(f, input());
    expect(one(fs, 'iam.execution-role').status).toBe('FAIL');
    expect(fs.filter((x) => x.check === 'iam.secret-read')).toHaveLength(0);
  });

  it('an over-broad task role WARNs', () => {
    const f = iam();
    f.services[0]!.taskRole!.policies = [
      { source: 'arn:aws:iam::aws:policy/AdministratorAccess', document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
    ];
    expect(one(checkIam(f, input()), 'iam.task-role').status).toBe('WARN');
  });
});
