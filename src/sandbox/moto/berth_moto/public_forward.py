"""A forward action of the public stand-in, as the ALB does it: the target group chosen in proportion
to the forward config's weights (smooth weighted round robin, deterministic: with weights 90/10 every
run of ten requests sends exactly one to the second group; a group of weight 0 gets none), then a
healthy target of it (round robin), which answers as the task's version would:

- the target group's health path: {"status":"healthy","version":<image tag>};
- any other path: {"service","version","task","path"};
- an image tagged `fail-api` (or `fail-api-*`): HTTP 500 {"error",...,"version"} on every path under
  /api/ (its health check passes: the failure shows only in traffic);
- an image tagged `slow-api` (or `slow-api-*`): every path under /api/ answers 200 after SLOW_SECONDS
  (3 real seconds, not scaled: a response time is no ECS duration), above berth's default 2 s
  threshold; the wait is outside the emulator's lock;
- no healthy target in the chosen group: 503, as an ALB says it."""
from __future__ import annotations

import json
from typing import Any

from moto.elbv2.models import elbv2_backends

from .ecs_sim.logs import app_line, write_logs
from .ecs_sim.state import HEALTH, SimTask, all_sim_tasks, live_backends, task_id

ALB_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)
SLOW_SECONDS = 3.0
_rr = {"n": 0}
# Smooth weighted round robin state per rule: (weights) -> current scores.
_swrr: dict[str, tuple[tuple[tuple[str, int], ...], dict[str, int]]] = {}


def weights_of(data: dict[str, Any]) -> list[tuple[str, int]]:
    groups = (data.get("ForwardConfig") or {}).get("TargetGroups") or []
    if groups:
        return [(g["TargetGroupArn"], int(g.get("Weight", 1) or 0)) for g in groups if g.get("TargetGroupArn")]
    return [(data["TargetGroupArn"], 1)] if data.get("TargetGroupArn") else []


def pick_group(key: str, weights: list[tuple[str, int]]) -> str | None:
    """Smooth weighted round robin over the groups of positive weight."""
    live = tuple((arn, w) for arn, w in weights if w > 0)
    if not live:
        return None
    state = _swrr.get(key)
    if state is None or state[0] != live:
        state = (live, {arn: 0 for arn, _ in live})
        _swrr[key] = state
    scores = state[1]
    total = sum(w for _, w in live)
    for arn, w in live:
        scores[arn] += w
    best = max(live, key=lambda x: scores[x[0]])[0]
    scores[best] -= total
    return best


def healthy_tasks(tg_arn: str) -> list[SimTask]:
    by_ip: dict[str, SimTask] = {}
    for _backend, t in all_sim_tasks():
        for arn, ip, _port in t._sim.get("targets", []):
            if arn == tg_arn:
                by_ip[ip] = t
    out = [by_ip[ip] for (arn, ip), h in HEALTH.items() if arn == tg_arn and h.get("state") == "healthy" and ip in by_ip]
    return sorted(out, key=lambda t: t.task_arn)


def health_path_of(tg_arn: str) -> str | None:
    for elb in live_backends(elbv2_backends):
        tg = elb.target_groups.get(tg_arn)
        if tg is not None:
            return tg.health_check_path
    return None


def answer(t: SimTask, tg_arn: str, path: str) -> tuple[int, dict[str, Any], float]:
    """(status, document, seconds the task takes to answer)."""
    version = t._sim.get("tag")
    health_path = health_path_of(tg_arn)
    if health_path and path == health_path:
        return 200, {"status": "healthy", "version": version}, 0.0
    svc = t._sim.get("service")
    doc = {"service": getattr(svc, "name", None), "version": version, "task": task_id(t), "path": path}
    if path.startswith("/api/") and t._sim.get("mode") == "fail-api":
        write_logs(t, [app_line("ERROR", f"unhandled exception in request handler for {path}: KeyError: 'items'")])
        return 500, {"error": "Internal Server Error", **doc}, 0.0
    if path.startswith("/api/") and slow(t):
        write_logs(t, [app_line("WARN", f"slow request {path}: {SLOW_SECONDS:g}s waiting on the database")])
        return 200, doc, SLOW_SECONDS
    return 200, doc, 0.0


def slow(t: SimTask) -> bool:
    tag = str(t._sim.get("tag") or "")
    return tag == "slow-api" or tag.startswith("slow-api-") or tag.startswith("slow-api.")


def forward(rule_key: str, data: dict[str, Any], path: str) -> tuple[int, dict[str, str], bytes, Any]:
    """(status, headers, body, (task or None, size, target group, seconds to wait before answering))."""
    tg_arn = pick_group(rule_key, weights_of(data))
    candidates = healthy_tasks(tg_arn) if tg_arn else []
    if not candidates:
        return 503, {"Content-Type": "text/html"}, ALB_503.encode(), (None, 0, tg_arn, 0.0)
    _rr["n"] += 1
    t = candidates[_rr["n"] % len(candidates)]
    status, doc, wait = answer(t, tg_arn, path)
    body = (json.dumps(doc) + "\n").encode()
    return status, {"Content-Type": "application/json"}, body, (t, len(body), tg_arn, wait)
