"""The scheduler's shared state: SimTask, target health, service events, and the task sets it
works on."""
from __future__ import annotations

import math
import random
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Iterator

from moto.core.utils import utcnow
from moto.ecs import models as ecs_models
from moto.ecs.models import Task

FAIL_MODES = ("fail-exit", "fail-pull", "fail-arch", "fail-health", "fail-api")
ARCH = {"X86_64": "amd64", "ARM64": "arm64"}
LIVE = ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING")
PENDINGISH = ("PROVISIONING", "PENDING", "ACTIVATING")
STOPPINGISH = ("DEACTIVATING", "STOPPING", "DEPROVISIONING")
KEEP_STOPPED_PER_SERVICE = 50
MAX_EVENTS = 100
MAX_LOG_EVENTS_PER_STREAM = 5000

# Health of ip targets the scheduler registered: (target group ARN, ip) -> state.
HEALTH: dict[tuple[str, str], dict[str, Any]] = {}


def live_backends(backend_dict: Any) -> Iterator[Any]:
    """The backends that exist (never creates one)."""
    for account in list(dict.keys(backend_dict)):
        per_region = dict.__getitem__(backend_dict, account)
        for region in list(dict.keys(per_region)):
            yield dict.__getitem__(per_region, region)


def mono() -> float:
    return time.monotonic()


def clf_time() -> str:
    return datetime.now(timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000")


def iso_time() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_deployment_id() -> str:
    return f"ecs-svc/{random.randint(10**18, 10**19 - 1)}"


def image_tag(image: str) -> str:
    last = (image or "").rsplit("/", 1)[-1]
    if "@" in last:
        return last.split("@", 1)[1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def fail_mode(tag: str) -> str | None:
    for m in FAIL_MODES:
        if tag == m or tag.startswith(m + "-") or tag.startswith(m + "."):
            return m
    return None


class SimTask(Task):
    """A task the scheduler drives: its status is what the scheduler set, nothing else."""

    @property
    def status(self) -> str | None:  # type: ignore[override]
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    @property
    def last_status(self) -> str:  # type: ignore[override]
        return self._status  # type: ignore[return-value]

    @last_status.setter
    def last_status(self, value: str) -> None:
        self._status = value

    def advance(self) -> None:
        pass


def event(svc: Any, message: str) -> None:
    svc.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message})
    del svc.events[MAX_EVENTS:]


def sim_state(svc: Any) -> dict[str, Any]:
    if not hasattr(svc, "_berth"):
        svc._berth = {"steady": False, "last_completed": None, "next_launch": 0.0, "rr": 0}
    return svc._berth


def service_tasks(backend: Any, svc: Any) -> list[SimTask]:
    out = []
    for t in backend.tasks.get(svc.cluster_name, {}).values():
        if isinstance(t, SimTask) and t._sim.get("service") is svc:
            out.append(t)
    return out


def all_sim_tasks() -> Iterator[tuple[Any, SimTask]]:
    for backend in live_backends(ecs_models.ecs_backends):
        for cluster_tasks in list(backend.tasks.values()):
            for t in list(cluster_tasks.values()):
                if isinstance(t, SimTask):
                    yield backend, t


def is_live(t: SimTask) -> bool:
    return t.desired_status == "RUNNING" and t._status in LIVE


def is_healthy(t: SimTask) -> bool:
    """RUNNING and, for a load-balanced service, healthy in every target group."""
    if not (t.desired_status == "RUNNING" and t._status == "RUNNING"):
        return False
    svc = t._sim.get("service")
    if svc is not None and svc.load_balancers and not t._sim["targets"]:
        return False
    for tg_arn, ip, _port in t._sim["targets"]:
        if HEALTH.get((tg_arn, ip), {}).get("state") != "healthy":
            return False
    return True


def breaker_threshold(desired: int) -> int:
    """The circuit breaker's failed-task threshold: max(3, ceil(desired / 2)), at most 200."""
    return min(200, max(3, math.ceil(desired * 0.5)))


def task_id(t: Any) -> str:
    return t.task_arn.split("/")[-1]
