"""Service deployments and service revisions, as ListServiceDeployments, DescribeServiceDeployments
and DescribeServiceRevisions report them.

Every new ECS deployment (`ecs-svc/<19 digits>`, the DescribeServices view) is one service revision
`arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<the same 19 digits>` and one
service deployment `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<21
characters>` whose target is that revision and whose sources are the revisions still running. A
rollback (circuit breaker, alarm, StopServiceDeployment) belongs to the service deployment it rolls
back (status ROLLBACK_IN_PROGRESS -> ROLLBACK_SUCCESSFUL, `rollback` names the revision it returns
to), as on ECS; it makes no service deployment of its own."""
from __future__ import annotations

import copy
import random
import string
from typing import Any, Iterator

from moto.core.utils import utcnow
from moto.ecs import models as ecs_models

from .state import breaker_threshold, live_backends, sim_state
from .strategy import strategy_of
from .traffic import pair, production_tg

TERMINAL = ("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED")
_ID_CHARS = string.ascii_letters + string.digits + "_-"


class ServiceDeployment:
    """One service deployment: the API fields, and the lifecycle's own bookkeeping (`prog`)."""

    def __init__(self, svc: Any, dep: dict[str, Any], target_rev: str, sources: list[tuple[str, str]]) -> None:
        now = utcnow()
        sd_id = "".join(random.choice(_ID_CHARS) for _ in range(21))
        self.arn = f"arn:aws:ecs:{svc.region_name}:{svc._account_id}:service-deployment/{svc.cluster_name}/{svc.name}/{sd_id}"
        self.svc = svc
        self.dep_id = dep["id"]
        self.target_rev = target_rev
        self.sources = sources  # [(deployment id, revision ARN)]
        self.dc = copy.deepcopy(getattr(svc, "deployment_configuration", None) or {})
        self.strategy = strategy_of(self.dc) if sources else "ROLLING"
        self.status = "PENDING"
        self.reason: str | None = None
        self.stage: str | None = None
        self.created = self.updated = now
        self.started: Any = None
        self.finished: Any = None
        self.stopped: Any = None
        self.rollback: dict[str, Any] | None = None
        self.rollback_dep: str | None = None
        self.cb_status = "MONITORING" if (self.dc.get("deploymentCircuitBreaker") or {}).get("enable") else "DISABLED"
        alarms = self.dc.get("alarms") or {}
        self.alarm_status = "MONITORING" if alarms.get("enable") and alarms.get("alarmNames") else "DISABLED"
        self.triggered: list[str] = []
        self.prod_pct = 0.0  # requested production traffic share of the target revision
        self.test_pct = 0.0
        self.prog: dict[str, Any] = {}
        self.hooks: list[dict[str, Any]] = []  # the current stage's lifecycle hooks (hooks.py)

    def touch(self, status: str | None = None, reason: str | None = None) -> None:
        if status:
            self.status = status
        if reason:
            self.reason = reason
        self.updated = utcnow()
        if self.status in TERMINAL and self.finished is None:
            self.finished = self.updated
        if self.status == "STOPPED" and self.stopped is None:
            self.stopped = self.updated


def deployments_of(svc: Any) -> list[ServiceDeployment]:
    return sim_state(svc).setdefault("service_deployments", [])


def revisions_of(svc: Any) -> dict[str, dict[str, Any]]:
    return sim_state(svc).setdefault("revisions", {})


def revision_of_dep(svc: Any, dep_id: str) -> str | None:
    return sim_state(svc).setdefault("dep_rev", {}).get(dep_id)


def current(svc: Any) -> ServiceDeployment | None:
    sds = deployments_of(svc)
    return sds[0] if sds else None


def in_flight(svc: Any) -> ServiceDeployment | None:
    sd = current(svc)
    return sd if sd is not None and sd.status not in TERMINAL else None


def revision_arn(svc: Any, dep_id: str) -> str:
    return f"arn:aws:ecs:{svc.region_name}:{svc._account_id}:service-revision/{svc.cluster_name}/{svc.name}/{dep_id.split('/')[-1]}"


def new_revision(svc: Any, dep: dict[str, Any], tgs: list[str | None]) -> str:
    """Record the service revision of a new deployment: what it runs and where its tasks register."""
    arn = revision_arn(svc, dep["id"])
    lbs = copy.deepcopy(list(svc.load_balancers or []))
    resolved = [
        {"targetGroupArn": tg, "productionListenerRule": (lb.get("advancedConfiguration") or {}).get("productionListenerRule")}
        for lb, tg in zip(lbs, tgs)
    ]
    rev: dict[str, Any] = {
        "serviceRevisionArn": arn,
        "serviceArn": svc.arn,
        "clusterArn": svc.cluster_arn,
        "taskDefinition": dep["taskDefinition"],
        "platformVersion": dep.get("platformVersion"),
        "platformFamily": dep.get("platformFamily"),
        "loadBalancers": lbs,
        "serviceRegistries": copy.deepcopy(list(getattr(svc, "service_registries", None) or [])),
        "networkConfiguration": copy.deepcopy(svc.network_configuration or None),
        "containerImages": container_images(svc, dep["taskDefinition"]),
        "guardDutyEnabled": False,
        "createdAt": dep["createdAt"],
        "resolvedConfiguration": {"loadBalancers": resolved} if resolved else None,
    }
    if dep.get("capacityProviderStrategy"):
        rev["capacityProviderStrategy"] = dep["capacityProviderStrategy"]
    else:
        rev["launchType"] = dep.get("launchType")
    revisions_of(svc)[arn] = rev
    sim_state(svc).setdefault("dep_rev", {})[dep["id"]] = arn
    return arn


def container_images(svc: Any, td_arn: str) -> list[dict[str, Any]]:
    try:
        td = svc._backend.describe_task_definition(td_arn)
    except Exception:
        return []
    return [{"containerName": c.get("name"), "image": c.get("image")} for c in td.container_definitions]


def target_groups_for(svc: Any, progressive: bool) -> list[str | None]:
    """Per load balancer, where a new deployment's tasks register: the production target group, or
    (a progressive deployment) the other one of the pair."""
    out = []
    for lb in svc.load_balancers or []:
        prod = production_tg(svc, lb)
        primary, alternate = pair(lb)
        if progressive and alternate:
            out.append(alternate if prod == primary else primary)
        else:
            out.append(prod)
    return out


def start(svc: Any, dep: dict[str, Any], sources: list[tuple[str, str]], rollback_of: ServiceDeployment | None) -> None:
    """A new ECS deployment: its revision, its target groups and (unless it is a rollback) its
    service deployment; an older one still in flight is superseded (STOPPED)."""
    if rollback_of is not None:
        rev = next((r for d, r in rollback_of.sources if r), None) or new_revision(svc, dep, target_groups_for(svc, False))
        sim_state(svc).setdefault("dep_rev", {})[dep["id"]] = rev
        sim_state(svc).setdefault("dep_tgs", {})[dep["id"]] = target_groups_for(svc, False)
        rollback_of.rollback_dep = dep["id"]
        return
    older = in_flight(svc)
    progressive = bool(sources) and strategy_of(getattr(svc, "deployment_configuration", None)) != "ROLLING"
    tgs = target_groups_for(svc, progressive)
    sim_state(svc).setdefault("dep_tgs", {})[dep["id"]] = tgs
    rev = new_revision(svc, dep, tgs)
    if older is not None:
        older.touch("STOPPED", "ECS deployment stopped: a newer service deployment started.")
    sd = ServiceDeployment(svc, dep, rev, sources)
    deployments_of(svc).insert(0, sd)
    del deployments_of(svc)[100:]


def dep_counts(svc: Any, dep_id: str | None) -> dict[str, int]:
    for d in svc.deployments:
        if d["id"] == dep_id:
            return {"requestedTaskCount": d.get("desiredCount", 0), "runningTaskCount": d.get("runningCount", 0), "pendingTaskCount": d.get("pendingCount", 0)}
    return {"requestedTaskCount": 0, "runningTaskCount": 0, "pendingTaskCount": 0}


def summary(svc: Any, sd: ServiceDeployment, dep_id: str | None, rev: str, share: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"arn": rev, **dep_counts(svc, dep_id)}
    if sd.strategy != "ROLLING" and share is not None:
        out["requestedProductionTrafficWeight"] = share
        out["requestedTestTrafficWeight"] = sd.test_pct if dep_id == sd.dep_id else 100.0 - sd.test_pct
    return out


def to_api(sd: ServiceDeployment) -> dict[str, Any]:
    svc = sd.svc
    n = max(1, len(sd.sources))
    out: dict[str, Any] = {
        "serviceDeploymentArn": sd.arn,
        "serviceArn": svc.arn,
        "clusterArn": svc.cluster_arn,
        "createdAt": sd.created,
        "startedAt": sd.started,
        "finishedAt": sd.finished,
        "stoppedAt": sd.stopped,
        "updatedAt": sd.updated,
        "sourceServiceRevisions": [summary(svc, sd, d, r, (100.0 - sd.prod_pct) / n) for d, r in sd.sources],
        "targetServiceRevision": summary(svc, sd, sd.dep_id, sd.target_rev, sd.prod_pct),
        "status": sd.status,
        "statusReason": sd.reason,
        "deploymentConfiguration": sd.dc,
        "deploymentCircuitBreaker": breaker_view(svc, sd),
        "alarms": alarms_view(sd),
    }
    if sd.stage:
        out["lifecycleStage"] = sd.stage
    if sd.hooks:
        out["lifecycleHookDetails"] = [{k: v for k, v in d.items() if not k.startswith("_")} for d in sd.hooks]
    if sd.rollback:
        out["rollback"] = sd.rollback
    return {k: v for k, v in out.items() if v is not None}


def breaker_view(svc: Any, sd: ServiceDeployment) -> dict[str, Any]:
    failed = next((d.get("failedTasks", 0) for d in svc.deployments if d["id"] == sd.dep_id), sd.prog.get("failed", 0))
    sd.prog["failed"] = failed
    view: dict[str, Any] = {"status": sd.cb_status}
    if sd.cb_status != "DISABLED":
        view["failureCount"] = failed
        view["threshold"] = breaker_threshold(int(svc.desired_count or 0))
    return view


def alarms_view(sd: ServiceDeployment) -> dict[str, Any]:
    view: dict[str, Any] = {"status": sd.alarm_status}
    if sd.alarm_status != "DISABLED":
        view["alarmNames"] = list((sd.dc.get("alarms") or {}).get("alarmNames") or [])
        view["triggeredAlarmNames"] = list(sd.triggered)
    return view


def brief(sd: ServiceDeployment) -> dict[str, Any]:
    out = {
        "serviceDeploymentArn": sd.arn,
        "serviceArn": sd.svc.arn,
        "clusterArn": sd.svc.cluster_arn,
        "startedAt": sd.started,
        "createdAt": sd.created,
        "finishedAt": sd.finished,
        "targetServiceRevisionArn": sd.target_rev,
        "status": sd.status,
        "statusReason": sd.reason,
    }
    return {k: v for k, v in out.items() if v is not None}


def all_services() -> Iterator[Any]:
    for backend in live_backends(ecs_models.ecs_backends):
        yield from list(backend.services.values())


def find_deployment(arn: str) -> ServiceDeployment | None:
    for svc in all_services():
        for sd in getattr(svc, "_berth", {}).get("service_deployments", []):
            if sd.arn == arn:
                return sd
    return None


def find_revision(arn: str) -> dict[str, Any] | None:
    for svc in all_services():
        rev = getattr(svc, "_berth", {}).get("revisions", {}).get(arn)
        if rev is not None:
            return rev
    return None


def refresh_service_view(svc: Any) -> None:
    """DescribeServices' currentServiceDeployment and currentServiceRevisions."""
    sd = current(svc)
    svc.current_service_deployment = sd.arn if sd else None
    revs = []
    for d in svc.deployments:
        rev = revision_of_dep(svc, d["id"])
        if rev and not any(r["arn"] == rev for r in revs):
            revs.append({"arn": rev, **dep_counts(svc, d["id"])})
    svc.current_service_revisions = revs


def note_rollback(svc: Any, dep_id: str, reason: str) -> ServiceDeployment | None:
    """The in-flight service deployment of `dep_id` starts rolling back to its source revision."""
    sd = in_flight(svc)
    if sd is None or sd.dep_id != dep_id:
        return None
    source = next((r for _d, r in sd.sources if r), None)
    sd.rollback = {"reason": reason, "startedAt": utcnow(), "serviceRevisionArn": source}
    sd.touch("ROLLBACK_IN_PROGRESS", reason)
    if sd.cb_status == "MONITORING" and "circuit breaker" in reason:
        sd.cb_status = "TRIGGERED"
    return sd
