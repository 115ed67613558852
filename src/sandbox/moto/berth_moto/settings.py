"""
How fast simulated ECS moves. Real ECS durations (seconds, as they are on AWS) are multiplied by
a time scale so that a rollout that takes minutes on AWS takes seconds in the sandbox.

Environment (read once at start):
  BERTH_SANDBOX_ECS_TIME_SCALE   factor applied to every real duration below (default 0.05)
  BERTH_SANDBOX_ECS_<NAME>       override one real duration (PROVISION, PULL, CRASH, STOP, RETRY,
                                 REACT, STAGE, TEST_TRAFFIC,
                                 NET_TIMEOUT), in seconds, before scaling, e.g. BERTH_SANDBOX_ECS_PROVISION=30
  BERTH_SANDBOX_REACH            0 to let every task reach everything (no reachability from the
                                 emulator's routes, endpoints and security groups; default 1)
  BERTH_SANDBOX_TICK             scheduler period in seconds (default 0.1)
  BERTH_SANDBOX_LOG_INTERVAL     seconds between a running task's background log lines (default 5,
                                 not scaled)

Durations that come from the resources themselves (the target group's health check interval and
thresholds, its deregistration delay, the service's health check grace period) are read from
moto's state and scaled the same way.
"""
import os

# Real-world durations in seconds (before scaling).
REAL = {
    # PROVISIONING -> PENDING (ENI attachment, Fargate capacity).
    "PROVISION": 15.0,
    # PENDING -> RUNNING (image pull, container start).
    "PULL": 10.0,
    # A container that exits on its own (fail-exit, fail-arch) runs this long first.
    "CRASH": 5.0,
    # STOPPING -> DEPROVISIONING -> STOPPED.
    "STOP": 6.0,
    # Pause between launches after a task failed (ECS throttles relaunches).
    "RETRY": 4.0,
    # How long a target stays unhealthy before the ECS scheduler acts on it (stops the task).
    "REACT": 15.0,
    # A lifecycle stage of a blue/green, canary or linear deployment with no work of its own (where
    # ECS would run lifecycle hooks).
    "STAGE": 4.0,
    # TEST_TRAFFIC_SHIFT and POST_TEST_TRAFFIC_SHIFT each: the window in which test traffic reaches the
    # new revision (1 s each at the default scale, so that a poller every second sees it).
    "TEST_TRAFFIC": 20.0,
    # Extra PENDING time of a task that cannot reach ECR, Secrets Manager or CloudWatch Logs: the
    # agent's connection attempts time out and are retried before ECS stops the task.
    "NET_TIMEOUT": 30.0,
}


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


SCALE = max(0.0, _float("BERTH_SANDBOX_ECS_TIME_SCALE", 0.05))
TICK = max(0.02, _float("BERTH_SANDBOX_TICK", 0.1))
LOG_INTERVAL = max(0.2, _float("BERTH_SANDBOX_LOG_INTERVAL", 5.0))
# Tasks reach only what the emulator's network lets them reach (reach/).
REACH = os.environ.get("BERTH_SANDBOX_REACH", "1") != "0"
# Floor for any scaled duration, so that every state is observable by a poller.
MIN_STEP = 0.2


def scaled(real_seconds: float) -> float:
    return max(MIN_STEP, real_seconds * SCALE)


def duration(name: str) -> float:
    """A named real duration (overridable by BERTH_SANDBOX_ECS_<NAME>), scaled."""
    return scaled(_float(f"BERTH_SANDBOX_ECS_{name}", REAL[name]))
