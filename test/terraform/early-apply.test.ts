/**
 * The early part of a stack (src/terraform/early-apply.ts): the resources that read no other stack,
 * directly or through what they reference, applied early only when one of them is slow to create.
 */
import { describe, expect, it } from 'vitest';
import { earlyTargets, independentResources } from '../../src/terraform/early-apply.js';

const remote = (out: string) => `\${data.terraform_remote_state.cross-stack-reference-input-net.outputs.${out}}`;

/** Shaped like cdktf's cdk.tf.json for a service stack. */
const SERVICE = {
  data: {
    terraform_remote_state: { 'cross-stack-reference-input-net': { backend: 'local', config: { path: '../net.tfstate' } } },
    aws_caller_identity: { account: {} },
  },
  resource: {
    aws_ecs_cluster: { cluster: { name: 'demo' } },
    aws_iam_role: { task: { assume_role_policy: '${data.aws_caller_identity.account.account_id}' } },
    aws_cloudwatch_log_group: { logs: { name: '/ecs/demo' } },
    aws_ecs_task_definition: { td: { execution_role_arn: '${aws_iam_role.task.arn}', container_definitions: remote('image') } },
    // reads another stack only through the task definition
    aws_ecs_service: { svc: { cluster: '${aws_ecs_cluster.cluster.id}', task_definition: '${aws_ecs_task_definition.td.arn}' } },
    aws_appautoscaling_target: { scaling: { depends_on: ['aws_ecs_service.svc'], resource_id: 'service/demo/api' } },
  },
  provider: { aws: [{ region: 'us-east-1' }] },
};

describe('early part of a stack', () => {
  it('is every resource that reads no other stack, through references and depends_on', () => {
    expect(independentResources(SERVICE).sort()).toEqual(['aws_cloudwatch_log_group.logs', 'aws_ecs_cluster.cluster', 'aws_iam_role.task']);
    expect(earlyTargets(SERVICE, ['net'])).toEqual(independentResources(SERVICE));
  });

  it('is nothing for a stack that reads no other stack, or whose early part holds nothing slow to create', () => {
    expect(earlyTargets(SERVICE, [])).toEqual([]);
    const { aws_ecs_cluster: _slow, ...rest } = SERVICE.resource;
    const quick = { ...SERVICE, resource: rest };
    expect(independentResources(quick)).toContain('aws_iam_role.task');
    expect(earlyTargets(quick, ['net'])).toEqual([]);
  });

  it('keeps out what it cannot follow: locals and modules, and everything when the provider reads another stack', () => {
    const viaLocal = { ...SERVICE, resource: { ...SERVICE.resource, aws_ecs_cluster: { cluster: { name: '${local.name}' } } } };
    expect(independentResources(viaLocal)).not.toContain('aws_ecs_cluster.cluster');
    const viaProvider = { ...SERVICE, provider: { aws: [{ region: remote('region') }] } };
    expect(independentResources(viaProvider)).toEqual([]);
  });
});
