"""
The local stand-in for the environment's public URL: an HTTP server on 127.0.0.1 that does what
the ALB would. It takes the load balancer's HTTPS listener (HTTP when there is none; the request
header `X-Berth-Listener-Port: <port>` picks another listener, e.g. a test listener), evaluates its
rules in priority order from moto's ELBv2 state (path-pattern, http-request-method, http-header and
query-string conditions; host-header and source-ip are taken as matching: every request here is for
the environment's host), and:

- forward: a target group by the forward config's weights, then a healthy target of it, answering as
  the task's version would (public_forward.py); the request is logged in the task's log stream and
  counted in CloudWatch (alb_metrics.py). No healthy target: 503, as an ALB says it.
- fixed-response / redirect: as configured.
"""
from __future__ import annotations

import threading
import time
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moto.elbv2.models import elbv2_backends

from . import LOCK, alb_metrics
from .ecs_sim.logs import log_request
from .ecs_sim.state import live_backends
from .public_forward import forward

LISTENER_HEADER = "x-berth-listener-port"


def _listener(lb: Any, port: str | None = None) -> Any:
    listeners = list(getattr(lb, "listeners", {}).values())
    for want in ([port] if port else []) + ["443", "80"]:
        for li in listeners:
            if str(li.port) == want:
                return li
    return None if port else (listeners[0] if listeners else None)


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


def _header_matches(cond: dict[str, Any], headers: dict[str, str]) -> bool:
    cfg = cond.get("HttpHeaderConfig") or {}
    value = headers.get(str(cfg.get("HttpHeaderName") or "").lower())
    return value is not None and any(fnmatchcase(value.lower(), v.lower()) for v in cfg.get("Values") or [])


def _query_matches(cond: dict[str, Any], query: str) -> bool:
    pairs = parse_qsl(query, keep_blank_values=True)
    for want in (cond.get("QueryStringConfig") or {}).get("Values") or []:
        key, value = want.get("Key"), want.get("Value") or ""
        if any((key is None or fnmatchcase(k.lower(), key.lower())) and fnmatchcase(v.lower(), value.lower()) for k, v in pairs):
            return True
    return False


def _matches(rule: Any, method: str, path: str, headers: dict[str, str], query: str) -> bool:
    for cond in rule.conditions or []:
        field = cond.get("Field")
        if field == "path-pattern":
            if not any(fnmatchcase(path, v) for v in _values(cond, "PathPatternConfig")):
                return False
        elif field == "http-request-method":
            if method not in _values(cond, "HttpRequestMethodConfig"):
                return False
        elif field == "http-header":
            if not _header_matches(cond, headers):
                return False
        elif field == "query-string":
            if not _query_matches(cond, query):
                return False
    return True


def _priority(rule: Any) -> int:
    try:
        return int(rule.priority)
    except (TypeError, ValueError):
        return 1 << 30


def _act(rule: Any, path: str) -> tuple[int, dict[str, str], bytes, Any] | None:
    for action in rule.actions or []:
        data = getattr(action, "data", {}) or {}
        kind = data.get("Type") or getattr(action, "type", None)
        if kind == "forward":
            return forward(rule.arn, data, path)
        if kind == "fixed-response":
            cfg = data.get("FixedResponseConfig") or {}
            return int(cfg.get("StatusCode") or 200), {"Content-Type": cfg.get("ContentType") or "text/plain"}, (cfg.get("MessageBody") or "").encode(), None
        if kind == "redirect":
            cfg = data.get("RedirectConfig") or {}
            loc = f"{(cfg.get('Protocol') or 'HTTPS').lower()}://{cfg.get('Host') or '#{host}'}:{cfg.get('Port') or '#{port}'}{cfg.get('Path') or path}"
            code = 301 if (cfg.get("StatusCode") or "HTTP_301").endswith("301") else 302
            return code, {"Location": loc}, b"", None
    return None


def _route(lb: Any, method: str, path: str, headers: dict[str, str], query: str) -> tuple[int, dict[str, str], bytes, Any]:
    if lb is None:
        return 503, {"Content-Type": "text/plain"}, b"berth sandbox: there is no load balancer (yet).\n", None
    port = headers.get(LISTENER_HEADER)
    listener = _listener(lb, port)
    if listener is None:
        what = f"no listener on port {port}" if port else "no listener"
        return 503, {"Content-Type": "text/plain"}, f"berth sandbox: load balancer {lb.name} has {what}.\n".encode(), None
    rules = sorted(listener._non_default_rules.values(), key=_priority) + list(listener._default_rule.values())
    for rule in rules:
        if _matches(rule, method, path, headers, query):
            answer = _act(rule, path)
            if answer is not None:
                return answer
    return 404, {"Content-Type": "text/plain"}, b"Not Found", None


class Handler(BaseHTTPRequestHandler):
    server_version = "awselb/2.0"
    sys_version = ""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        path = url.path or "/"
        began = time.monotonic()
        with LOCK:
            lb = _load_balancer()
            status, headers, body, served = _route(lb, self.command, path, {k.lower(): v for k, v in self.headers.items()}, url.query)
        if served is not None and served[3] > 0:
            time.sleep(served[3])  # a slow answer (slow-api), outside the lock
        with LOCK:
            if served is not None:
                t, size, tg_arn, _wait = served
                if t is not None:
                    log_request(t, self.command, self.path, status, size)
                alb_metrics.record(lb, tg_arn, status, time.monotonic() - began, from_target=t is not None)
            elif lb is not None and status >= 500:
                alb_metrics.record(lb, None, status, 0.0, from_target=False)
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
