/** ARNs and ids of ECS resources, as berth shows and matches them. Pure. */

/** The part of an ARN after its last `/`: a task's id, `family:7` of a task definition. */
function lastSegment(arn: string | undefined): string {
  return (arn ?? '').split('/').pop() ?? '';
}

/** `arn:...:task-definition/family:7` -> `family:7`. */
export function shortTd(arn: string | undefined): string {
  return lastSegment(arn);
}

/** `arn:...:task/cluster/0123abcd...` (or the bare id) -> `0123abcd...`. */
export function taskId(arn: string | undefined): string {
  return lastSegment(arn);
}

/** The revision number of a task definition ARN (`...:7` -> 7). */
export function revisionOf(arn: string | undefined): number | undefined {
  const m = /:(\d+)$/.exec(arn ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The family of a task definition ARN (`arn:...:task-definition/family:7` -> `family`). */
export function tdFamily(taskDefinitionArn: string | undefined): string | undefined {
  return taskDefinitionArn === undefined ? undefined : shortTd(taskDefinitionArn).replace(/:\d+$/, '');
}
