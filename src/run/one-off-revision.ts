/**
 * `berth run --image/--tag`: a revision of the service's task definition with only the app
 * container's image changed, tagged `berth:one-off` so that rollback (rollback-target.ts) and
 * revision retention (revisions/select.ts) never take it for a service release.
 */
import { ecs } from '../aws/clients.js';
import { BerthError } from '../output/errors.js';
import type { Op } from '../rollout/op-types.js';
import { ONE_OFF_TAG } from '../ecs/revisions.js';
import { copyWithImage, type TaskDefinitionLike } from '../rollout/taskdef.js';

export async function registerOneOffRevision(
  op: Op,
  td: TaskDefinitionLike,
  tags: { key?: string; value?: string }[],
  image: string,
): Promise<string> {
  const { RegisterTaskDefinitionCommand } = await import('../aws/sdk/ecs.js');
  const input = copyWithImage(td, op.loc.container, image, tags) as { tags?: { key?: string; value?: string }[] };
  input.tags = [...(input.tags ?? []), { key: ONE_OFF_TAG, value: new Date().toISOString() }];
  const r = await (await ecs(op.ctx)).send(new RegisterTaskDefinitionCommand(input as never));
  const arn = r.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new BerthError('RegisterTaskDefinition returned no ARN.');
  return arn;
}
