/**
 * The ECS calls of a one-off task: the service's placement, RunTask, DescribeTasks, StopTask.
 */
import type { AwsContext } from '../aws/context.js';
import { ecs } from '../aws/clients.js';
import { BerthError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { TaskSnap } from '../rollout/types.js';
import type { RunTaskRequest, ServicePlacement } from './task-input.js';

export async function servicePlacement(
  ctx: AwsContext,
  cluster: string,
  service: string,
): Promise<ServicePlacement & { taskDefinition?: string }> {
  const { DescribeServicesCommand } = await import('../aws/sdk/ecs.js');
  const r = await (await ecs(ctx)).send(new DescribeServicesCommand({ cluster, services: [service] }));
  const s = r.services?.[0];
  if (!s || s.status === 'INACTIVE')
    throw new BerthError(`service ${service} not found in cluster ${cluster}.`, {
      hint: 'Is the environment deployed? `berth apply --env <env>` creates the service stack.',
    });
  return s as ServicePlacement & { taskDefinition?: string };
}

/** Why RunTask placed no task (its `failures`), in words an on-call engineer can act on. */
export function explainRunFailure(reason: string | undefined, detail: string | undefined): string {
  const r = reason ?? 'unknown';
  if (/ENI|IP/i.test(r))
    return (
      `RunTask placed no task (${r}): the service's subnets have no free IP address or the account's ENI limit is reached ` +
      `— free addresses or add subnets`
    );
  if (/MISSING/.test(r))
    return `RunTask placed no task (${r}${detail ? `: ${detail}` : ''}): a resource the task definition needs is missing`;
  return `RunTask placed no task (${r}${detail ? `: ${detail}` : ''})`;
}

export async function runTask(ctx: AwsContext, req: RunTaskRequest): Promise<string> {
  const { RunTaskCommand } = await import('../aws/sdk/ecs.js');
  const r = await (await ecs(ctx)).send(new RunTaskCommand(req as never));
  const arn = r.tasks?.[0]?.taskArn;
  if (!arn) {
    const f = r.failures?.[0];
    throw new BerthError(explainRunFailure(f?.reason, f?.detail), { exitCode: EXIT.RUN_NOT_STARTED, details: { failures: r.failures } });
  }
  return arn;
}

export async function describeTask(ctx: AwsContext, cluster: string, arn: string): Promise<TaskSnap | undefined> {
  const { DescribeTasksCommand } = await import('../aws/sdk/ecs.js');
  const r = await (await ecs(ctx)).send(new DescribeTasksCommand({ cluster, tasks: [arn] }));
  return r.tasks?.[0] as TaskSnap | undefined;
}

export async function stopTask(ctx: AwsContext, cluster: string, arn: string, reason: string): Promise<void> {
  const { StopTaskCommand } = await import('../aws/sdk/ecs.js');
  await (await ecs(ctx)).send(new StopTaskCommand({ cluster, task: arn, reason: reason.slice(0, 255) }));
}
