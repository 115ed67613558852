"""
berth's extension of moto (5.2.x), loaded in-process by launcher.py before moto serves a request.

- gaps.py     APIs and behaviours moto lacks that the real stacks and terraform's AWS provider need
              (application-autoscaling tags, ElastiCache member clusters and deletes, RDS scaling
              info, ECS service fields, Route 53 and other provider waits).
- ecs_sim/    a scheduler that makes ECS services behave like ECS: deployments, tasks moving
              PROVISIONING -> PENDING -> RUNNING -> STOPPED with ENIs in the service's subnets,
              target registration and health in the service's ELBv2 target groups, failures chosen
              by the image tag (fail-exit, fail-pull, fail-arch, fail-health) or by real state
              (an arm64 image in moto's ECR, a missing secret or log group), the deployment circuit
              breaker and its rollback, service events, and log lines in CloudWatch Logs.
- reach/      what a task can reach (routes, NAT gateways, VPC endpoints, security groups): the
              same model as the doctor's (src/network/); the runbook's network incidents stop
              tasks with ECS's i/o timeout errors, or fill their logs with connection timeouts.
- acm_validation.py  DNS-validated certificates issue only once their validation CNAMEs are in a
              delegated hosted zone of the emulator, else stay PENDING_VALIDATION.
- logs_insights/  CloudWatch Logs Insights queries answered for real over the logged events (moto
              answers only fields/sort/limit): filter, parse, stats ... by, bin(), sort, limit.
- public.py   a local HTTP endpoint that routes by the ALB's listener rules (weighted forward
              actions: public_forward.py) to healthy targets and answers as the task's version would.
- alb_metrics.py  each request through it counted in CloudWatch as the ALB counts it.
- alarm_eval.py   alarms on those metrics evaluated as CloudWatch does.

Every piece of moto state is touched under LOCK: moto's request threads, the scheduler thread and
the public endpoint all take it.
"""
import threading

LOCK = threading.RLock()
