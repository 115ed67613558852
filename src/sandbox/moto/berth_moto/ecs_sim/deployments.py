"""A service's deployments: a new PRIMARY one, the circuit breaker and its rollback, the counts ECS
reports per deployment, and completion (COMPLETED, steady state)."""
from __future__ import annotations

from typing import Any

from moto.core.utils import utcnow

from ..gaps import ecs_apply_service_fields
from .progressive import supersede
from .service_deployments import in_flight, note_rollback, revision_of_dep
from .service_deployments import start as start_service_deployment
from .state import PENDINGISH, STOPPINGISH, SimTask, breaker_threshold, event, is_healthy, is_live, new_deployment_id, sim_state


def new_deployment(svc: Any, td_arn: str, reason: str | None = None, rollback_of: Any = None) -> dict[str, Any]:
    """A new PRIMARY deployment of td_arn; its service revision and (unless it is the rollback of
    `rollback_of`, a ServiceDeployment) its service deployment, whose sources are the revisions of
    the deployments before it."""
    now = utcnow()
    dep_id = new_deployment_id()
    sources = [(d["id"], revision_of_dep(svc, d["id"])) for d in svc.deployments if revision_of_dep(svc, d["id"])]
    older = in_flight(svc)
    if older is not None and rollback_of is None:
        supersede(svc, older, dep_id)
        sources = [(d, r) for d, r in sources if d != older.dep_id or older.strategy == "ROLLING"]
    for d in svc.deployments:
        if d.get("status") == "PRIMARY":
            d["status"] = "ACTIVE"
            d["updatedAt"] = now
    dep = {
        "id": dep_id,
        "status": "PRIMARY",
        "taskDefinition": td_arn,
        "desiredCount": svc.desired_count or 0,
        "pendingCount": 0,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": svc.launch_type,
        "platformVersion": svc.platform_version or "1.4.0",
        "platformFamily": "Linux",
        "networkConfiguration": svc.network_configuration or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": reason or f"ECS deployment {dep_id} in progress.",
    }
    if getattr(svc, "capacity_provider_strategy", None):
        dep["capacityProviderStrategy"] = svc.capacity_provider_strategy
        dep.pop("launchType", None)
    svc.deployments.insert(0, dep)
    svc.task_definition = td_arn
    start_service_deployment(svc, dep, sources, rollback_of)
    sim_state(svc)["steady"] = False
    sim_state(svc)["next_launch"] = 0.0
    return dep


def trip_breaker(svc: Any, primary: dict[str, Any], desired: int) -> dict[str, Any] | None:
    """The circuit breaker: once enough tasks of an IN_PROGRESS deployment failed, mark it FAILED and
    (with rollback) start a deployment of the last COMPLETED one's task definition, returned."""
    dc = getattr(svc, "deployment_configuration", None) or {}
    cb = dc.get("deploymentCircuitBreaker") or {}
    if not (cb.get("enable") and primary.get("rolloutState") == "IN_PROGRESS" and primary.get("failedTasks", 0) >= breaker_threshold(desired)):
        return None
    primary["rolloutState"] = "FAILED"
    primary["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
    primary["updatedAt"] = utcnow()
    event(svc, f"(service {svc.name}) (deployment {primary['id']}) deployment failed: tasks failed to start.")
    last = sim_state(svc).get("last_completed")
    if cb.get("rollback") and last and last["taskDefinition"] != primary["taskDefinition"]:
        event(svc, f"(service {svc.name}) rolling back to deployment {last['id']}.")
        sd = note_rollback(svc, primary["id"], "Service deployment rolled back because the circuit breaker threshold was exceeded.")
        return new_deployment(svc, last["taskDefinition"], f"ECS deployment circuit breaker: rolling back to deploymentId {last['id']}.", rollback_of=sd)
    return None


def update_counts(svc: Any, tasks: list[SimTask], desired: int) -> None:
    """Each deployment's running/pending/desired counts and the service's; deployments (other than
    the PRIMARY) with no task left go."""
    keep = []
    for i, d in enumerate(svc.deployments):
        mine = [t for t in tasks if t.started_by == d["id"]]
        running = sum(1 for t in mine if t.desired_status == "RUNNING" and t._status == "RUNNING")
        pending = sum(1 for t in mine if t.desired_status == "RUNNING" and t._status in PENDINGISH)
        alive = [t for t in mine if t._status != "STOPPED"]
        if i > 0 and not alive:
            continue
        new_counts = {"runningCount": running, "pendingCount": pending, "desiredCount": desired if i == 0 else len([t for t in mine if is_live(t)])}
        if any(d.get(k) != v for k, v in new_counts.items()):
            d.update(new_counts)
            d["updatedAt"] = utcnow()
        keep.append(d)
    svc.deployments[:] = keep
    svc.running_count = sum(1 for t in tasks if t.desired_status == "RUNNING" and t._status == "RUNNING")
    svc.pending_count = sum(1 for t in tasks if t.desired_status == "RUNNING" and t._status in PENDINGISH)


def settle(svc: Any, tasks: list[SimTask], desired: int) -> None:
    """Completion and steady state: the PRIMARY deployment alone runs the desired count, healthy."""
    st = sim_state(svc)
    primary = svc.deployments[0]
    p_live = [t for t in tasks if t.started_by == primary["id"] and is_live(t)]
    settling = any(t._status in STOPPINGISH for t in tasks)
    steady = (
        len(svc.deployments) == 1
        and len(p_live) == desired
        and all(is_healthy(t) for t in p_live)
        and not settling
        and primary.get("rolloutState") != "FAILED"
    )
    if steady and primary.get("rolloutState") == "IN_PROGRESS":
        primary["rolloutState"] = "COMPLETED"
        primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
        primary["updatedAt"] = utcnow()
        st["last_completed"] = {"id": primary["id"], "taskDefinition": primary["taskDefinition"]}
        event(svc, f"(service {svc.name}) (deployment {primary['id']}) deployment completed.")
    if steady and not st["steady"]:
        st["steady"] = True
        event(svc, f"(service {svc.name}) has reached a steady state.")


def adopt(backend: Any, svc: Any) -> None:
    """Take over a service moto created: one fresh PRIMARY deployment, no task yet."""
    sim_state(svc)
    ecs_apply_service_fields(svc, {})
    svc.deployments = []
    svc.events = []
    svc.running_count = 0
    svc.pending_count = 0
    if svc.task_definition:
        td_arn = backend.describe_task_definition(svc.task_definition).arn
        new_deployment(svc, td_arn)
