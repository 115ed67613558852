"""The service scheduler: each tick, every ECS-controlled service is scaled to its desired count
(within maximumPercent), its older deployments drained as the new one becomes healthy (within
minimumHealthyPercent), and every task moved along its lifecycle."""
from __future__ import annotations

import math
import threading
import traceback
from typing import Any

from moto.ecs import models as ecs_models

from .. import LOCK
from ..gaps import log
from ..settings import TICK
from .deployments import adopt, settle, trip_breaker, update_counts
from .launch import launch
from .progressive import tick as progressive_tick
from .service_deployments import refresh_service_view
from .state import KEEP_STOPPED_PER_SERVICE, PENDINGISH, SimTask, all_sim_tasks, is_healthy, is_live, live_backends, mono, service_tasks, sim_state, task_id
from .tasks import begin_stop, tick_task


def tick_service(backend: Any, svc: Any, now: float) -> None:
    tasks = service_tasks(backend, svc)
    if svc.status != "ACTIVE":
        for t in tasks:
            if is_live(t):
                begin_stop(t, "ServiceSchedulerInitiated", f"Service {svc.name} deleted", failure=False)
        return
    if not svc.deployments:
        return
    desired = int(svc.desired_count or 0)
    managed, hold = progressive_tick(svc, now)
    primary = svc.deployments[0]
    by_dep: dict[str, list[SimTask]] = {}
    for t in tasks:
        by_dep.setdefault(t.started_by, []).append(t)
    p_live = [t for t in by_dep.get(primary["id"], []) if is_live(t)]
    old_live = [t for t in tasks if t.started_by != primary["id"] and is_live(t)]
    rollback = None if managed else trip_breaker(svc, primary, desired)
    if rollback is not None:
        primary = rollback
        p_live = []
        old_live = [t for t in tasks if is_live(t)]
    # While a blue/green, canary or linear deployment runs, the old revision stays up beside the new.
    scale(backend, svc, primary, p_live, [] if hold else old_live, now)
    if not hold:
        drain(backend, svc, primary, by_dep)
    tasks = service_tasks(backend, svc)
    update_counts(svc, tasks, desired)
    settle(svc, tasks, desired)
    refresh_service_view(svc)
    forget_stopped(backend, svc, tasks)


def scale(backend: Any, svc: Any, primary: dict[str, Any], p_live: list[SimTask], old_live: list[SimTask], now: float) -> None:
    """Scale the primary deployment to the desired count (within maximumPercent)."""
    st = sim_state(svc)
    dc = getattr(svc, "deployment_configuration", None) or {}
    cb = dc.get("deploymentCircuitBreaker") or {}
    max_pct = int(dc.get("maximumPercent", 200) or 200)
    desired = int(svc.desired_count or 0)
    missing = desired - len(p_live)
    if missing > 0 and now >= st["next_launch"]:
        room = math.floor(desired * max_pct / 100) - (len(p_live) + len(old_live))
        if primary.get("rolloutState") == "FAILED" and not (cb.get("rollback") and st.get("last_completed")):
            missing = min(missing, 1)  # ECS keeps retrying a failed deployment, slowly
        n = min(missing, max(room, 0)) if desired > 0 else 0
        if n <= 0 and not old_live and missing > 0:
            n = missing
        launch(backend, svc, primary, n)
    elif missing < 0:
        extra = sorted(p_live, key=lambda t: (is_healthy(t), t.created_at), reverse=False)
        for t in extra[: -missing]:
            begin_stop(t, "ServiceSchedulerInitiated", f"Scaling activity initiated by (deployment {primary['id']})", failure=False)


def drain(backend: Any, svc: Any, primary: dict[str, Any], by_dep: dict[str, list[SimTask]]) -> None:
    """Drain older deployments as the primary becomes healthy (within minimumHealthyPercent)."""
    dc = getattr(svc, "deployment_configuration", None) or {}
    min_pct = int(dc.get("minimumHealthyPercent", 100) or 0)
    desired = int(svc.desired_count or 0)
    if primary["id"] in by_dep:
        p_live = [t for t in by_dep.get(primary["id"], []) if is_live(t)]
    else:
        p_live = [t for t in service_tasks(backend, svc) if t.started_by == primary["id"] and is_live(t)]
    old_live = [t for t in service_tasks(backend, svc) if t.started_by != primary["id"] and is_live(t)]
    min_healthy = math.ceil(desired * min_pct / 100)
    healthy_p = [t for t in p_live if is_healthy(t)]
    healthy_old = [t for t in old_live if is_healthy(t)]
    reason = f"Scaling activity initiated by (deployment {primary['id']})"
    for t in old_live:
        if not is_healthy(t):
            begin_stop(t, "ServiceSchedulerInitiated", reason, failure=False)
    surplus = len(healthy_p) + len(healthy_old) - min_healthy
    for t in sorted(healthy_old, key=lambda x: x.created_at):
        if surplus <= 0:
            break
        begin_stop(t, "ServiceSchedulerInitiated", reason, failure=False)
        surplus -= 1


def forget_stopped(backend: Any, svc: Any, tasks: list[SimTask]) -> None:
    """Keep the last KEEP_STOPPED_PER_SERVICE stopped tasks of the service."""
    stopped = sorted((t for t in tasks if t._status == "STOPPED"), key=lambda x: x.stopped_at or x.created_at)
    for t in stopped[: max(0, len(stopped) - KEEP_STOPPED_PER_SERVICE)]:
        backend.tasks.get(svc.cluster_name, {}).pop(t.task_arn, None)


def tick() -> None:
    now = mono()
    tick_services(now)
    tick_tasks(now)
    count_cluster_tasks()


def tick_services(now: float) -> None:
    for backend in live_backends(ecs_models.ecs_backends):
        for svc in list(backend.services.values()):
            if (svc.deployment_controller or {}).get("type", "ECS") != "ECS":
                continue
            try:
                if not hasattr(svc, "_berth"):
                    adopt(backend, svc)
                tick_service(backend, svc, now)
            except Exception:
                log(f"scheduler error on service {svc.name}:\n" + traceback.format_exc())


def tick_tasks(now: float) -> None:
    for backend, t in list(all_sim_tasks()):
        svc = t._sim.get("service")
        if svc is not None and is_live(t):
            current = backend.services.get(f"{svc.cluster_name}:{svc.name}")
            if current is not svc:
                begin_stop(t, "ServiceSchedulerInitiated", f"Service {svc.name} deleted", failure=False)
        try:
            tick_task(backend, t, now)
        except Exception:
            log(f"scheduler error on task {task_id(t)}:\n" + traceback.format_exc())
        if t._status == "RUNNING" and "running_since" not in t._sim:
            t._sim["running_since"] = now


def count_cluster_tasks() -> None:
    for backend in live_backends(ecs_models.ecs_backends):
        for cluster in backend.clusters.values():
            tasks = list(backend.tasks.get(cluster.name, {}).values())
            cluster.running_tasks_count = sum(1 for t in tasks if t.last_status == "RUNNING")
            cluster.pending_tasks_count = sum(1 for t in tasks if t.last_status in PENDINGISH)
            cluster.active_services_count = sum(1 for s in backend.services.values() if s.cluster_name == cluster.name and s.status == "ACTIVE")


def loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with LOCK:
                tick()
        except Exception:
            log("scheduler error:\n" + traceback.format_exc())
        stop.wait(TICK)
