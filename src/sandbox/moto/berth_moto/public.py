"""
The local stand-in for the environment's public URL: an HTTP server on 127.0.0.1 that does what
the ALB would. It takes the load balancer's HTTPS listener (HTTP when there is none), evaluates its
rules in priority order from moto's ELBv2 state (path-pattern and http-request-method conditions;
host-header is taken as matching: every request here is for the environment's host), and:

- forward: picks a healthy target of the target group (round robin) and answers as the task
  serving it would: the target group's health path gives {"status":"healthy","version":<image
  tag>}, any other path {"service","version","task","path"}; the request is logged in the task's
  log stream. No healthy target: 503, as an ALB says it.
- fixed-response / redirect: as configured.
"""
from __future__ import annotations

import json
import threading
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from moto.elbv2.models import elbv2_backends

from . import LOCK
from .ecs_sim.logs import log_request
from .ecs_sim.state import HEALTH, SimTask, all_sim_tasks, live_backends, task_id

ALB_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)
_rr = {"n": 0}


def _listener(lb: Any) -> Any:
    listeners = list(getattr(lb, "listeners", {}).values())
    for port in ("443", "80"):
        for li in listeners:
            if str(li.port) == port:
                return li
    return listeners[0] if listeners else None


def _load_balancer() -> Any:
    lbs = []
    for elb in live_backends(elbv2_backends):
        lbs += [lb for lb in elb.load_balancers.values() if getattr(lb, "loadbalancer_type", "application") == "application"]
    with_https = [lb for lb in lbs if any(str(li.port) == "443" for li in getattr(lb, "listeners", {}).values())]
    pick = with_https or lbs
    return sorted(pick, key=lambda lb: lb.name)[0] if pick else None


def _values(cond: dict[str, Any], config_key: str) -> list[str]:
    vals = list(cond.get("Values") or [])
    vals += list((cond.get(config_key) or {}).get("Values") or [])
    return vals


def _matches(rule: Any, method: str, path: str) -> bool:
    for cond in rule.conditions or []:
        field = cond.get("Field")
        if field == "path-pattern":
            if not any(fnmatchcase(path, v) for v in _values(cond, "PathPatternConfig")):
                return False
        elif field == "http-request-method":
            if method not in _values(cond, "HttpRequestMethodConfig"):
                return False
    return True


def _priority(rule: Any) -> int:
    try:
        return int(rule.priority)
    except (TypeError, ValueError):
        return 1 << 30


def _route(method: str, path: str) -> tuple[int, dict[str, str], bytes, Any]:
    lb = _load_balancer()
    if lb is None:
        return 503, {"Content-Type": "text/plain"}, b"berth sandbox: there is no load balancer (yet).\n", None
    listener = _listener(lb)
    if listener is None:
        return 503, {"Content-Type": "text/plain"}, f"berth sandbox: load balancer {lb.name} has no listener.\n".encode(), None
    rules = sorted(listener._non_default_rules.values(), key=_priority) + list(listener._default_rule.values())
    for rule in rules:
        if not _matches(rule, method, path):
            continue
        for action in rule.actions or []:
            data = getattr(action, "data", {}) or {}
            kind = data.get("Type") or getattr(action, "type", None)
            if kind == "forward":
                arns = []
                if data.get("TargetGroupArn"):
                    arns.append(data["TargetGroupArn"])
                for tg in (data.get("ForwardConfig") or {}).get("TargetGroups") or []:
                    if tg.get("TargetGroupArn") and tg["TargetGroupArn"] not in arns:
                        arns.append(tg["TargetGroupArn"])
                return _forward(lb, arns, method, path)
            if kind == "fixed-response":
                cfg = data.get("FixedResponseConfig") or {}
                return int(cfg.get("StatusCode") or 200), {"Content-Type": cfg.get("ContentType") or "text/plain"}, (cfg.get("MessageBody") or "").encode(), None
            if kind == "redirect":
                cfg = data.get("RedirectConfig") or {}
                loc = f"{(cfg.get('Protocol') or 'HTTPS').lower()}://{cfg.get('Host') or '#{host}'}:{cfg.get('Port') or '#{port}'}{cfg.get('Path') or path}"
                code = 301 if (cfg.get("StatusCode") or "HTTP_301").endswith("301") else 302
                return code, {"Location": loc}, b"", None
    return 404, {"Content-Type": "text/plain"}, b"Not Found", None


def _forward(lb: Any, tg_arns: list[str], method: str, path: str) -> tuple[int, dict[str, str], bytes, Any]:
    candidates: list[tuple[str, SimTask]] = []
    by_ip: dict[tuple[str, str], SimTask] = {}
    for _backend, t in all_sim_tasks():
        for tg_arn, ip, _port in t._sim.get("targets", []):
            by_ip[(tg_arn, ip)] = t
    for (tg_arn, ip), h in HEALTH.items():
        if tg_arn in tg_arns and h.get("state") == "healthy" and (tg_arn, ip) in by_ip:
            candidates.append((tg_arn, by_ip[(tg_arn, ip)]))
    if not candidates:
        return 503, {"Content-Type": "text/html"}, ALB_503.encode(), None
    candidates.sort(key=lambda c: c[1].task_arn)
    _rr["n"] += 1
    tg_arn, t = candidates[_rr["n"] % len(candidates)]
    health_path = None
    for elb in live_backends(elbv2_backends):
        tg = elb.target_groups.get(tg_arn)
        if tg is not None:
            health_path = tg.health_check_path
    version = t._sim.get("tag")
    if health_path and path == health_path:
        doc: dict[str, Any] = {"status": "healthy", "version": version}
    else:
        svc = t._sim.get("service")
        doc = {"service": getattr(svc, "name", None), "version": version, "task": task_id(t), "path": path}
    body = (json.dumps(doc) + "\n").encode()
    return 200, {"Content-Type": "application/json"}, body, (t, len(body))


class Handler(BaseHTTPRequestHandler):
    server_version = "awselb/2.0"
    sys_version = ""

    def _serve(self) -> None:
        path = urlsplit(self.path).path or "/"
        with LOCK:
            status, headers, body, served = _route(self.command, path)
            if served is not None:
                t, size = served
                log_request(t, self.command, self.path, status, size)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(host: str, port: int) -> ThreadingHTTPServer:
    srv = ThreadingHTTPServer((host, port), Handler)
    srv.daemon_threads = True
    th = threading.Thread(target=srv.serve_forever, name="berth-public-endpoint", daemon=True)
    th.start()
    return srv
