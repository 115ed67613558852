"""The lifecycle of a service deployment on the emulator's clock.

ROLLING: IN_PROGRESS while the scheduler replaces tasks; SUCCESSFUL once the ECS deployment is
COMPLETED; ROLLBACK_IN_PROGRESS -> ROLLBACK_SUCCESSFUL when the circuit breaker (or
StopServiceDeployment) rolls it back; STOPPED when it fails without rollback.

BLUE_GREEN, CANARY, LINEAR (with a source revision to replace), through ECS's lifecycle stages:
RECONCILE_SERVICE, PRE_SCALE_UP, SCALE_UP (the new revision's tasks start, full count, registered in
the other target group of the pair, until all are healthy), POST_SCALE_UP, TEST_TRAFFIC_SHIFT (the
test listener rule forwards 100 % to the new target group), POST_TEST_TRAFFIC_SHIFT,
PRODUCTION_TRAFFIC_SHIFT (the production rule re-weighted: BLUE_GREEN 100 at once; CANARY
canaryPercent, canaryBakeTimeInMinutes, then 100; LINEAR stepPercent more each step with
stepBakeTimeInMinutes between, none after 100), POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME
(bakeTimeInMinutes, both revisions up), CLEAN_UP (the old revision's tasks drained and stopped) ->
SUCCESSFUL. The stages without work of their own last STAGE seconds, the two test traffic stages
TEST_TRAFFIC seconds each (settings.py); a stage is left only once its lifecycle hooks are done
(hooks.py: PAUSE waits for ContinueServiceDeployment).

Rollback (StopServiceDeployment ROLLBACK, the circuit breaker, a failing health check counted by it,
or a listed alarm in ALARM with alarms.rollback) returns all production and test weight to the
source target group first, in the same tick, then makes the source revision's deployment PRIMARY
again so the scheduler stops the new tasks: ROLLBACK_IN_PROGRESS -> ROLLBACK_SUCCESSFUL. A newer
deployment supersedes one in flight (STOPPED): weight back to the source first, its new tasks stop."""
from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.utils import utcnow

from ..settings import duration, scaled
from .hooks import pending, start_hooks
from .service_deployments import ServiceDeployment, in_flight
from .state import breaker_threshold, event, is_healthy, is_live, mono, service_tasks, sim_state
from .tasks import begin_stop
from .traffic import set_split

STAGES = (
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "BAKE_TIME",
    "CLEAN_UP",
)


def minutes(m: Any) -> float:
    return scaled(float(m or 0) * 60.0) if m else 0.0


def steps(sd: ServiceDeployment) -> list[tuple[float, float]]:
    """(production share of the new revision, bake after it) per traffic step."""
    dc = sd.dc
    if sd.strategy == "CANARY":
        c = dc.get("canaryConfiguration") or {}
        pct = float(c.get("canaryPercent", 5.0))
        if pct >= 100.0:
            return [(100.0, 0.0)]
        return [(pct, minutes(c.get("canaryBakeTimeInMinutes", 10))), (100.0, 0.0)]
    if sd.strategy == "LINEAR":
        c = dc.get("linearConfiguration") or {}
        step = float(c.get("stepPercent", 10.0))
        bake = minutes(c.get("stepBakeTimeInMinutes", 6))
        out, pct = [], step
        while pct < 100.0 - 1e-9:
            out.append((round(pct, 1), bake))
            pct += step
        return out + [(100.0, 0.0)]
    return [(100.0, 0.0)]


def traffic_plan(svc: Any, sd: ServiceDeployment) -> list[dict[str, Any]]:
    """Per load balancer with advancedConfiguration: its rules and the source / target groups."""
    tgs = sim_state(svc).get("dep_tgs", {}).get(sd.dep_id) or []
    plan = []
    for lb, target in zip(svc.load_balancers or [], tgs):
        adv = lb.get("advancedConfiguration") or {}
        primary, alternate = lb.get("targetGroupArn"), adv.get("alternateTargetGroupArn")
        if not (alternate and target):
            continue
        source = alternate if target == primary else primary
        plan.append({"prod": adv.get("productionListenerRule"), "test": adv.get("testListenerRule"), "source": source, "target": target})
    return plan


def shift(svc: Any, sd: ServiceDeployment, which: str, pct: float) -> None:
    for p in sd.prog["plan"]:
        if p[which]:
            set_split(svc, p[which], p["source"], p["target"], pct)
    if which == "prod":
        sd.prod_pct = pct
    else:
        sd.test_pct = pct
    sd.touch()


def green(svc: Any, sd: ServiceDeployment) -> list[Any]:
    return [t for t in service_tasks(svc._backend, svc) if t.started_by == sd.dep_id and is_live(t)]


def enter(svc: Any, sd: ServiceDeployment, stage: str, now: float) -> None:
    sd.stage = stage
    sd.prog["at"] = now
    start_hooks(sd, stage, now)
    sd.touch()
    event(svc, f"(service {svc.name}) (service deployment {sd.arn.rsplit('/', 1)[-1]}) lifecycle stage {stage}.")


def failure(svc: Any, sd: ServiceDeployment) -> tuple[str, bool] | None:
    """(reason, roll back?) when the circuit breaker or an alarm stops the deployment."""
    cb = sd.dc.get("deploymentCircuitBreaker") or {}
    dep = next((d for d in svc.deployments if d["id"] == sd.dep_id), None)
    failed = dep.get("failedTasks", 0) if dep else 0
    if cb.get("enable") and failed >= breaker_threshold(int(svc.desired_count or 0)):
        sd.cb_status = "TRIGGERED"
        return "Service deployment rolled back because the circuit breaker threshold was exceeded.", bool(cb.get("rollback"))
    alarms = sd.dc.get("alarms") or {}
    if sd.alarm_status == "MONITORING":
        names = set(alarms.get("alarmNames") or [])
        cw = cloudwatch_backends[svc._account_id][svc.region_name]
        firing = sorted(a.name for a in cw.alarms.values() if a.name in names and a.state_value == "ALARM")
        if firing:
            sd.triggered = firing
            sd.alarm_status = "TRIGGERED"
            return f"Service deployment rolled back because of alarm(s): {', '.join(firing)}.", bool(alarms.get("rollback"))
    return None


def begin_rollback(svc: Any, sd: ServiceDeployment, reason: str) -> None:
    """All weight back to the source target group first, then the source revision PRIMARY again."""
    if sd.prog.get("plan"):
        shift(svc, sd, "prod", 0.0)
        shift(svc, sd, "test", 0.0)
    source_dep = next((d for _id, _r in sd.sources for d in svc.deployments if d["id"] == _id), None)
    target_dep = next((d for d in svc.deployments if d["id"] == sd.dep_id), None)
    now = utcnow()
    if target_dep is not None:
        target_dep.update({"status": "ACTIVE", "rolloutState": "FAILED", "rolloutStateReason": reason, "updatedAt": now})
    if source_dep is not None:
        svc.deployments.remove(source_dep)
        svc.deployments.insert(0, source_dep)
        source_dep.update({"status": "PRIMARY", "updatedAt": now})
        svc.task_definition = source_dep["taskDefinition"]
    source_rev = next((r for _d, r in sd.sources if r), None)
    sd.rollback = {"reason": reason, "startedAt": now, "serviceRevisionArn": source_rev}
    sd.touch("ROLLBACK_IN_PROGRESS", reason)
    sim_state(svc)["steady"] = False
    event(svc, f"(service {svc.name}) (service deployment {sd.arn.rsplit('/', 1)[-1]}) rolling back: {reason}")


def stop_without_rollback(svc: Any, sd: ServiceDeployment, reason: str) -> None:
    dep = next((d for d in svc.deployments if d["id"] == sd.dep_id), None)
    if dep is not None and dep.get("rolloutState") == "IN_PROGRESS":
        dep.update({"rolloutState": "FAILED", "rolloutStateReason": reason, "updatedAt": utcnow()})
    sd.touch("STOPPED", reason)


def advance(svc: Any, sd: ServiceDeployment, now: float) -> None:
    """Move the stage along when its work is done."""
    stage = sd.stage or "RECONCILE_SERVICE"
    held = now - sd.prog.get("at", now)
    brief = duration("TEST_TRAFFIC" if stage in ("TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT") else "STAGE")
    gate = pending(sd, now)
    if gate == "ROLLBACK":
        begin_rollback(svc, sd, f"Service deployment rolled back because a lifecycle hook of {stage} failed or timed out.")
        return
    if stage == "PRODUCTION_TRAFFIC_SHIFT":
        traffic_step(svc, sd, now, leave=gate is None)
        return
    if gate == "wait":
        return
    if stage == "POST_TEST_TRAFFIC_SHIFT" and held >= brief and not sd.prog.get("pre_production"):
        sd.prog["pre_production"] = True  # PRE_PRODUCTION_TRAFFIC_SHIFT hooks run before production moves
        start_hooks(sd, "PRE_PRODUCTION_TRAFFIC_SHIFT", now)
        return
    if stage == "SCALE_UP":
        desired = int(svc.desired_count or 0)
        g = green(svc, sd)
        if len(g) >= desired and all(is_healthy(t) for t in g):
            enter(svc, sd, "POST_SCALE_UP", now)
    elif stage == "BAKE_TIME":
        if held >= minutes(sd.dc.get("bakeTimeInMinutes")):
            enter(svc, sd, "CLEAN_UP", now)
    elif stage == "CLEAN_UP":
        dep = svc.deployments[0] if svc.deployments else {}
        if dep.get("id") == sd.dep_id and dep.get("rolloutState") == "COMPLETED":
            sd.cb_status = "MONITORING_COMPLETE" if sd.cb_status == "MONITORING" else sd.cb_status
            sd.alarm_status = "MONITORING_COMPLETE" if sd.alarm_status == "MONITORING" else sd.alarm_status
            sd.touch("SUCCESSFUL", f"ECS deployment {sd.dep_id} completed.")
    elif held >= brief:
        nxt = STAGES[STAGES.index(stage) + 1]
        enter(svc, sd, nxt, now)
        if nxt == "TEST_TRAFFIC_SHIFT":
            shift(svc, sd, "test", 100.0)
        elif nxt == "PRODUCTION_TRAFFIC_SHIFT":
            sd.prog["step"] = -1
            sd.prog["next_at"] = now
            traffic_step(svc, sd, now, leave=False)


def traffic_step(svc: Any, sd: ServiceDeployment, now: float, leave: bool = True) -> None:
    plan = steps(sd)
    i = sd.prog.get("step", -1)
    if now < sd.prog.get("next_at", now):
        return
    if i + 1 < len(plan):
        pct, bake = plan[i + 1]
        shift(svc, sd, "prod", pct)
        sd.prog["step"] = i + 1
        sd.prog["next_at"] = now + (bake if i + 2 < len(plan) else duration("STAGE"))
        event(svc, f"(service {svc.name}) shifted {pct:g}% of production traffic to service revision {sd.target_rev.rsplit('/', 1)[-1]}.")
        return
    if leave:
        enter(svc, sd, "POST_PRODUCTION_TRAFFIC_SHIFT", now)


def tick_progressive(svc: Any, sd: ServiceDeployment, now: float) -> bool:
    if sd.status == "ROLLBACK_REQUESTED":
        begin_rollback(svc, sd, sd.reason or "Service deployment rolled back by StopServiceDeployment.")
    if sd.status == "ROLLBACK_IN_PROGRESS":
        if not green(svc, sd):
            sd.touch("ROLLBACK_SUCCESSFUL", sd.rollback["reason"] if sd.rollback else None)
            event(svc, f"(service {svc.name}) (service deployment {sd.arn.rsplit('/', 1)[-1]}) rollback completed.")
        return False
    if sd.status != "IN_PROGRESS":
        return False
    if sd.stage != "CLEAN_UP":
        failed = failure(svc, sd)
        if failed is not None:
            reason, roll_back = failed
            (begin_rollback if roll_back else stop_without_rollback)(svc, sd, reason)
            return False
    advance(svc, sd, now)
    return sd.status == "IN_PROGRESS" and sd.stage != "CLEAN_UP"


def tick_rolling(svc: Any, sd: ServiceDeployment) -> None:
    dep = next((d for d in svc.deployments if d["id"] == sd.dep_id), None)
    if sd.status == "ROLLBACK_REQUESTED":
        from .deployments import new_deployment

        source = next((r for _d, r in sd.sources if r), None)
        rev = sim_state(svc).get("revisions", {}).get(source or "")
        if dep is not None:
            dep.update({"rolloutState": "FAILED", "rolloutStateReason": sd.reason, "updatedAt": utcnow()})
        sd.rollback = {"reason": sd.reason, "startedAt": utcnow(), "serviceRevisionArn": source}
        sd.touch("ROLLBACK_IN_PROGRESS")
        if rev is not None:
            new_deployment(svc, rev["taskDefinition"], f"ECS deployment {sd.dep_id} rolled back by StopServiceDeployment.", rollback_of=sd)
        return
    if sd.status == "ROLLBACK_IN_PROGRESS":
        back = next((d for d in svc.deployments if d["id"] == sd.rollback_dep), None)
        if back is not None and back.get("rolloutState") == "COMPLETED":
            sd.touch("ROLLBACK_SUCCESSFUL")
        return
    if dep is None:
        return
    if dep.get("rolloutState") == "COMPLETED":
        sd.cb_status = "MONITORING_COMPLETE" if sd.cb_status == "MONITORING" else sd.cb_status
        sd.touch("SUCCESSFUL", dep.get("rolloutStateReason"))
    elif dep.get("rolloutState") == "FAILED":
        sd.cb_status = "TRIGGERED" if sd.cb_status == "MONITORING" else sd.cb_status
        sd.touch("STOPPED", dep.get("rolloutStateReason"))


def tick(svc: Any, now: float) -> tuple[bool, bool]:
    """Advance the service's in-flight service deployment. (managed, hold): managed when a
    progressive deployment decides rollback itself (the scheduler's circuit breaker stays out);
    hold while the old revision must stay up beside the new one (no drain, no maximumPercent room)."""
    sd = in_flight(svc)
    if sd is None:
        return False, False
    if sd.status == "PENDING":
        sd.started = utcnow()
        sd.touch("IN_PROGRESS")
        if sd.strategy != "ROLLING":
            sd.prog["plan"] = traffic_plan(svc, sd)
            enter(svc, sd, "RECONCILE_SERVICE", now)
    if sd.strategy == "ROLLING":
        tick_rolling(svc, sd)
        return False, False
    return True, tick_progressive(svc, sd, now)


def supersede(svc: Any, sd: ServiceDeployment, new_dep_id: str) -> None:
    """A newer deployment replaces one still in flight: its traffic goes back to its source group
    and its new tasks stop (the newer deployment starts from the revision that served production)."""
    if sd.strategy == "ROLLING":
        return
    if sd.prog.get("plan"):
        shift(svc, sd, "prod", 0.0)
        shift(svc, sd, "test", 0.0)
    for t in green(svc, sd):
        begin_stop(t, "ServiceSchedulerInitiated", f"Scaling activity initiated by (deployment {new_dep_id})", failure=False)


def request_stop(sd: ServiceDeployment) -> None:
    """StopServiceDeployment ROLLBACK: the rollback starts on the scheduler's next tick."""
    if sd.status in ("PENDING", "IN_PROGRESS"):
        sd.touch("ROLLBACK_REQUESTED", "Service deployment rolled back by StopServiceDeployment.")
    sd.prog["stop_requested_at"] = mono()
