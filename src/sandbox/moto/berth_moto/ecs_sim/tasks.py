"""A task's lifecycle, tick by tick: PROVISIONING -> PENDING -> RUNNING (or failing to start),
crashing, and DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED."""
from __future__ import annotations

import random
from typing import Any

from moto.core.utils import utcnow
from moto.ec2 import ec2_backends

from ..reach.deps import blocked as blocked_dependencies
from ..settings import LOG_INTERVAL, REACH, duration
from .logs import background_logs, crash_lines, startup_lines, write_logs
from .start import start_problem
from .state import SimTask, event, sim_state, task_id, mono
from .targets import finish_deregistration, health_check_path, register_targets, start_draining, tick_targets


def set_status(t: SimTask, status: str) -> None:
    t._status = status
    t._sim["at"] = mono()
    t.version = getattr(t, "version", 1) + 1


def app_container(t: SimTask) -> Any:
    name = t._sim["cdef"].get("name")
    for c in t.containers:
        if c.name == name:
            return c
    return t.containers[0]


def begin_stop(t: SimTask, stop_code: str, reason: str, *, failure: bool, exit_code: int | None = None, container_reason: str | None = None) -> None:
    if t.desired_status == "STOPPED":
        return
    svc = t._sim["service"]
    t.desired_status = "STOPPED"
    t.stop_code = stop_code
    t.stopped_reason = reason
    t.stopping_at = utcnow()
    c = app_container(t)
    if exit_code is not None:
        c.exitCode = exit_code
        c.last_status = "STOPPED"
    if container_reason:
        c.reason = container_reason
    drain = start_draining(t) if t._sim["targets"] else 0.0
    t._sim["drain"] = drain
    set_status(t, "DEACTIVATING" if drain > 0 else "STOPPING")
    if failure and svc is not None:
        dep = next((d for d in svc.deployments if d["id"] == t.started_by), None)
        if dep is not None:
            dep["failedTasks"] = dep.get("failedTasks", 0) + 1
            dep["updatedAt"] = utcnow()
        sim_state(svc)["next_launch"] = mono() + duration("RETRY")
    if svc is not None:
        sim_state(svc)["steady"] = False
        if stop_code != "TaskFailedToStart":
            event(svc, f"(service {svc.name}) has stopped 1 running tasks: (task {task_id(t)}).")


def go_running(t: SimTask) -> None:
    now = utcnow()
    t.pull_stopped_at = now
    t.started_at = now
    t.connectivity = "CONNECTED"
    t.connectivity_at = now
    set_status(t, "RUNNING")
    for c in t.containers:
        c.last_status = "RUNNING"
    if t._sim.get("on_running"):  # one-off tasks (one_off_tasks.py)
        t._sim["on_running"](t)
        return
    mode = t._sim["mode"]
    if mode == "fail-arch":
        write_logs(t, ["exec /usr/local/bin/docker-entrypoint.sh: exec format error"])
        t._sim["crash_at"] = mono() + min(duration("CRASH"), 0.5)
        return
    t._sim["deps_down"] = blocked_dependencies(t) if REACH else []
    write_logs(t, startup_lines(t))
    if mode == "fail-exit":
        t._sim["crash_at"] = mono() + duration("CRASH")
        return
    # Each task keeps its own rhythm: its first background line comes after a random part of the interval.
    t._sim["next_log"] = mono() + LOG_INTERVAL * random.uniform(0.3, 1.0)
    t._sim["n_logs"] = random.randint(0, 5)
    register_targets(t)


def crash(t: SimTask) -> None:
    mode = t._sim["mode"]
    if mode == "fail-arch":
        code = 255
    else:
        code = 1
        write_logs(t, crash_lines())
    t._sim["crash_at"] = None
    begin_stop(t, "EssentialContainerExited", "Essential container in task exited", failure=True, exit_code=code, container_reason=None)


def finish_stop(t: SimTask) -> None:
    now = utcnow()
    t.stopped_at = now
    t.execution_stopped_at = now
    for c in t.containers:
        c.last_status = "STOPPED"
        if c.exitCode is None and t.started_at is not None:
            c.exitCode = 0
    set_status(t, "STOPPED")
    t.connectivity = "DISCONNECTED"
    eni_id = t._sim.get("eni")
    if eni_id:
        try:
            ec2_backends[t._account_id][t.region_name].enis.pop(eni_id, None)
        except Exception:
            pass
    t._sim["eni"] = None
    for a in t.attachments:
        a["status"] = "DELETED"


def tick_task(backend: Any, t: SimTask, now: float) -> None:
    s = t._sim
    st = t._status
    el = now - s["at"]
    if st == "PROVISIONING" and el >= s["provision"]:
        t.pull_started_at = utcnow()
        set_status(t, "PENDING")
        for c in t.containers:
            c.last_status = "PENDING"
    elif st == "PENDING" and el >= s["pull"]:
        start_or_fail(t)
    elif st == "RUNNING":
        tick_running(t, now)
    elif st == "DEACTIVATING" and el >= s.get("drain", 0):
        finish_deregistration(t)
        set_status(t, "STOPPING")
    elif st == "STOPPING" and el >= s["stop"] / 2:
        if s["targets"]:
            finish_deregistration(t)
        set_status(t, "DEPROVISIONING")
    elif st == "DEPROVISIONING" and el >= s["stop"] / 2:
        finish_stop(t)


def start_or_fail(t: SimTask) -> None:
    """The end of PENDING: the task runs, or fails to start and says why."""
    if t.desired_status == "STOPPED":
        set_status(t, "STOPPING")
        return
    problem = start_problem(t)
    if problem and t._sim.get("timed_out") and not t._sim.get("waited"):
        # The agent's connection attempts time out and are retried before ECS gives up on the task.
        t._sim["waited"] = True
        t._sim["pull"] = duration("NET_TIMEOUT")
        t._sim["at"] = mono()
        return
    if not problem:
        go_running(t)
        return
    reason, creason = problem
    begin_stop(t, "TaskFailedToStart", reason, failure=True, container_reason=creason)
    svc = t._sim["service"]
    if svc is not None:
        event(svc, f"(service {svc.name}) failed to launch a task with (error {reason[:200]}).")


def tick_running(t: SimTask, now: float) -> None:
    s = t._sim
    if s.get("on_tick"):  # one-off tasks (one_off_tasks.py)
        s["on_tick"](t, now)
        return
    if s.get("crash_at") and now >= s["crash_at"]:
        crash(t)
        return
    failed_tg = tick_targets(t, now)
    if failed_tg:
        begin_stop(t, "ServiceSchedulerInitiated", f"Task failed ELB health checks in (target-group {failed_tg})", failure=True)
    if t._status == "RUNNING" and s.get("next_log") and now >= s["next_log"]:
        s["next_log"] = now + LOG_INTERVAL
        background_logs(t, health_check_path(t))
