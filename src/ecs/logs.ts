/** Where a task's log lines are: the awslogs driver's stream naming. Pure. */

/** The awslogs stream of a container of a task: `<prefix>/<container>/<task id>`. */
export function logStreamName(streamPrefix: string, container: string, task: string): string {
  return `${streamPrefix}/${container}/${task}`;
}
