"""A task's targets in its service's ELBv2 target groups: registration, health (initial -> healthy or
unhealthy, on the target group's own timings), draining and deregistration."""
from __future__ import annotations

from typing import Any

from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup, elbv2_backends

from ..settings import duration, scaled
from .logs import app_line, write_logs
from .state import HEALTH, SimTask, event, mono, sim_state

_orig_health_for = FakeTargetGroup.health_for


def elb_backend(t_or_svc: Any) -> Any:
    return elbv2_backends[t_or_svc._account_id][t_or_svc.region_name]


def find_tg(elb: Any, arn: str) -> FakeTargetGroup | None:
    return elb.target_groups.get(arn)


def tg_timing(tg: FakeTargetGroup) -> tuple[float, float, float]:
    interval = float(tg.health_check_interval_seconds or 30)
    healthy = float(tg.healthy_threshold_count or 5)
    unhealthy = float(tg.unhealthy_threshold_count or 2)
    try:
        drain = float(tg.attributes.get("deregistration_delay.timeout_seconds", 300))
    except (TypeError, ValueError):
        drain = 300.0
    return scaled(interval * healthy), scaled(interval * unhealthy), scaled(drain)


def set_health(tg_arn: str, ip: str, state: str, reason: str | None = None, desc: str | None = None) -> None:
    HEALTH[(tg_arn, ip)] = {"state": state, "reason": reason, "desc": desc, "at": mono()}


def register_targets(t: SimTask) -> None:
    svc = t._sim["service"]
    elb = elb_backend(t)
    ip = t._sim["ip"]
    if not ip:
        return
    # Where this deployment's tasks register (blue/green: the other target group of the pair).
    chosen = sim_state(svc).get("dep_tgs", {}).get(t.started_by) or []
    for i, lb in enumerate(svc.load_balancers or []):
        tg_arn = chosen[i] if i < len(chosen) and chosen[i] else lb.get("targetGroupArn")
        tg = find_tg(elb, tg_arn) if tg_arn else None
        if tg is None:
            continue
        port = int(lb.get("containerPort") or t._sim["port"] or tg.port or 80)
        tg.targets[ip] = {"Id": ip, "Port": port}
        tg.deregistered_targets.pop(ip, None)
        set_health(tg_arn, ip, "initial", "Elb.RegistrationInProgress", "Target registration is in progress")
        t._sim["targets"].append((tg_arn, ip, port))
        event(svc, f"(service {svc.name}) registered 1 targets in (target-group {tg_arn})")


def start_draining(t: SimTask) -> float:
    """Move the task's targets to draining; returns how long the longest drain takes."""
    longest = 0.0
    svc = t._sim["service"]
    elb = elb_backend(t)
    for tg_arn, ip, _port in t._sim["targets"]:
        tg = find_tg(elb, tg_arn)
        if tg is None or ip not in tg.targets:
            HEALTH.pop((tg_arn, ip), None)
            continue
        _, _, drain = tg_timing(tg)
        longest = max(longest, drain)
        set_health(tg_arn, ip, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")
        event(svc, f"(service {svc.name}) deregistered 1 targets in (target-group {tg_arn})")
    return longest


def finish_deregistration(t: SimTask) -> None:
    elb = elb_backend(t)
    for tg_arn, ip, _port in t._sim["targets"]:
        tg = find_tg(elb, tg_arn)
        if tg is not None and ip in tg.targets:
            tg.deregistered_targets[ip] = tg.targets.pop(ip)
        HEALTH.pop((tg_arn, ip), None)
    t._sim["targets"] = []


def health_check_path(t: SimTask) -> str:
    """The health check path of the task's first target group ("/" when it has none)."""
    s = t._sim
    if s["service"] is not None and s["targets"]:
        tg = find_tg(elb_backend(t), s["targets"][0][0])
        if tg is not None and tg.health_check_path:
            return tg.health_check_path
    return "/"


def tick_targets(t: SimTask, now: float) -> str | None:
    """Move the task's targets along; the ARN of a target group whose failed health checks the ECS
    scheduler now acts on (the caller stops the task), else None."""
    s = t._sim
    svc = s["service"]
    elb = elb_backend(t)
    for tg_arn, ip, port in list(s["targets"]):
        h = HEALTH.get((tg_arn, ip))
        tg = find_tg(elb, tg_arn)
        if h is None or tg is None:
            continue
        to_healthy, to_unhealthy, _ = tg_timing(tg)
        if h["state"] == "initial":
            if s["mode"] == "fail-health":
                if now - h["at"] >= to_unhealthy:
                    fail_health_check(t, tg, tg_arn, ip, port)
            elif now - h["at"] >= to_healthy:
                set_health(tg_arn, ip, "healthy")
        elif h["state"] == "unhealthy" and svc is not None:
            # ECS ignores ELB health during the grace period, and acts on an unhealthy target after a while.
            grace = scaled(float(getattr(svc, "health_check_grace_period_seconds", 0) or 0))
            started = s.get("running_since", s["at"])
            if now - started >= grace and now - h["at"] >= duration("REACT"):
                return tg_arn
    return None


def fail_health_check(t: SimTask, tg: FakeTargetGroup, tg_arn: str, ip: str, port: int) -> None:
    svc = t._sim["service"]
    set_health(tg_arn, ip, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
    write_logs(t, [app_line("ERROR", f"health check {tg.health_check_path or '/'} failed: dependency check returned an error (HTTP 500)")])
    if svc is not None:
        event(svc, f"(service {svc.name}) (port {port}) is unhealthy in (target-group {tg_arn}) due to (reason Health checks failed with these codes: [500]).")


def _health_for(self: FakeTargetGroup, target: dict[str, Any], ec2_backend: Any) -> FakeHealthStatus:
    h = HEALTH.get((self.arn, target.get("Id")))
    t = self.targets.get(target.get("Id"))
    if h is not None and t is not None:
        return FakeHealthStatus(t["Id"], t["Port"], self.health_check_port, h["state"], h.get("reason"), h.get("desc"))
    return _orig_health_for(self, target, ec2_backend)
