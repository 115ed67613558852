"""
ECS that runs: a scheduler thread over moto's ECS, ELBv2, EC2, ECR, Secrets Manager, SSM and
CloudWatch Logs state.

moto records services but never runs tasks. Here every service with the ECS deployment controller
gets what ECS gives it:

- Deployments. CreateService, and every UpdateService that changes the task definition or asks for
  forceNewDeployment, makes a new PRIMARY deployment `ecs-svc/<19 digits>` (rolloutState
  IN_PROGRESS); the one before becomes ACTIVE and is drained once the new one is healthy (within
  minimumHealthyPercent / maximumPercent); the deployment COMPLETES when it alone runs the desired
  count, healthy. A desiredCount change scales the PRIMARY deployment, as on ECS.
- Tasks: PROVISIONING -> PENDING -> RUNNING, an ENI with an address from the service's subnet,
  registered as `ip` targets in the service's target groups (initial -> healthy), deregistered
  (draining) before they stop: DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED.
- Failures, the way ECS reports them. By image tag: `fail-exit` (EssentialContainerExited, exit code
  1), `fail-pull` (TaskFailedToStart, CannotPullContainerError ... not found), `fail-arch`
  (`exec format error`, exit 255), `fail-health` (runs, fails the target group's health check,
  then "Task failed ELB health checks in (target-group ...)"), `fail-api` (runs and is healthy, but
  the public endpoint's answers on /api/* are HTTP 500: public_forward.py), `slow-api` (likewise,
  answers on /api/* after 3 s). By state: an image in moto's ECR
  whose manifest says another architecture than the task definition's runtimePlatform (exec format
  error; a manifest list without the platform: CannotPullContainerError), a tag missing from a
  repository that has images, a secret (Secrets Manager / SSM) or JSON key that does not exist, a
  log group that does not exist (ResourceInitializationError).
- The deployment circuit breaker (when enabled): failed tasks >= max(3, ceil(desired / 2)) (at most
  200) mark the deployment FAILED and, with rollback, start a deployment of the last COMPLETED one's
  task definition. Service events are ECS's own sentences.
- StopTask on a service task: the service starts a replacement.
- Log lines in the container's awslogs group, stream `<prefix>/<container>/<task id>`: start-up,
  health checks and requests (from the public endpoint), an ERROR now and then, and the failure.

Timings are compressed (settings.py).

One concern per module:
- state.py        the scheduler's shared state: SimTask, target health, service events, task sets
- launch.py       placing new tasks of a deployment (subnet, address, ENI, containers)
- tasks.py        a task's lifecycle, tick by tick, PROVISIONING to STOPPED
- start.py        why a task cannot start (image, architecture, secrets, log group)
- targets.py      registration, health and draining in the service's target groups
- logs.py         the lines a task writes to CloudWatch Logs
- deployments.py  deployments, their counts and completion, the circuit breaker
- strategy.py     the strategy fields of CreateService / UpdateService, checked as ECS checks them
- service_deployments.py  service deployments and service revisions (records and API shapes)
- progressive.py  a service deployment's lifecycle: rolling, blue/green, canary, linear, rollback
- hooks.py        lifecycle hooks: PAUSE (ContinueServiceDeployment, timeouts), AWS_LAMBDA (recorded)
- traffic.py      the production / test listener rules' weights, and which group is production
- deployment_api.py  List/DescribeServiceDeployments, StopServiceDeployment, DescribeServiceRevisions
- scheduler.py    the service scheduler (scale, drain, settle) and the ticking thread
- patches.py      the hooks into moto's ECS and ELBv2 backends, and install()
"""
from .patches import install

__all__ = ["install"]
