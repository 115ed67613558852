"""The lines a task writes to its container's awslogs group, stream `<prefix>/<container>/<task id>`:
start-up, health checks and requests, an ERROR now and then, connection timeouts to the databases
and caches it cannot reach, and the failure.

The app is a Python web app like the one of the runbooks (SQLAlchemy + psycopg2, redis-py): its
health path reports the process only (as that app's /health does), so a database it cannot reach
does not make its targets unhealthy; the timeouts show in its log, at start-up and every interval
as its requests retry the pool."""
from __future__ import annotations

import time
from typing import Any

from moto.logs.models import logs_backends

from ..gaps import log
from ..reach.deps import timeout_lines
from .state import MAX_LOG_EVENTS_PER_STREAM, SimTask, clf_time, iso_time, task_id

BACKGROUND_ERRORS = (
    "request to upstream API failed: 429 Too Many Requests; retrying in 2s",
    "redis command timed out after 2.0s; retrying",
    "database query exceeded 5s and was cancelled: SELECT * FROM sessions WHERE ...",
    "unhandled exception in request handler: ValueError: invalid page size '-1'",
)

STARTUP_FAILURE = (
    "Traceback (most recent call last):",
    '  File "/app/main.py", line 42, in <module>',
    "    app = create_app(settings)",
    '  File "/app/settings.py", line 17, in load',
    "    raise RuntimeError(\"start-up check failed: required setting is invalid\")",
    "RuntimeError: start-up check failed: required setting is invalid",
)


def log_target(t: SimTask) -> tuple[Any, str, str] | None:
    cdef = t._sim["cdef"]
    lc = cdef.get("logConfiguration") or {}
    if lc.get("logDriver") != "awslogs":
        return None
    opts = lc.get("options") or {}
    group = opts.get("awslogs-group")
    if not group:
        return None
    region = opts.get("awslogs-region") or t.region_name
    prefix = opts.get("awslogs-stream-prefix")
    stream = f"{prefix}/{cdef.get('name')}/{task_id(t)}" if prefix else task_id(t)
    return logs_backends[t._account_id][region], group, stream


def write_logs(t: SimTask, lines: list[str]) -> None:
    target = log_target(t)
    if not target or not lines:
        return
    backend, group, stream = target
    if group not in backend.groups:
        return
    try:
        backend.ensure_log_stream(group, stream)
        now_ms = int(time.time() * 1000)
        backend.put_log_events(group, stream, [{"timestamp": now_ms, "message": m} for m in lines])
        st = backend.groups[group].streams.get(stream)
        if st is not None and len(st.events) > MAX_LOG_EVENTS_PER_STREAM:
            del st.events[: len(st.events) - MAX_LOG_EVENTS_PER_STREAM]
    except Exception as e:  # never let logging break the scheduler
        log(f"could not write logs for task {task_id(t)}: {e}")


def app_line(level: str, msg: str) -> str:
    return f"{iso_time()} {level:<5} {msg}"


def startup_lines(t: SimTask) -> list[str]:
    cdef = t._sim["cdef"]
    env_names = sorted(e.get("name", "") for e in cdef.get("environment") or [])
    secret_names = sorted(s.get("name", "") for s in cdef.get("secrets") or [])
    port = t._sim["port"]
    lines = [app_line("INFO", f"Starting {cdef.get('name')} version {t._sim['tag']} (image {t._sim['image']})")]
    if env_names:
        lines.append(app_line("INFO", f"Configuration from environment: {', '.join(env_names)}"))
    if secret_names:
        lines.append(app_line("INFO", f"Secrets injected by ECS: {', '.join(secret_names)}"))
    down = {d["kind"] for d in t._sim.get("deps_down") or []}
    if not down & {"postgres", "mysql"}:
        lines.append(app_line("INFO", "Database connection pool ready (size 5)"))
    if "redis" not in down:
        lines.append(app_line("INFO", "Cache connection ready"))
    lines += dependency_lines(t)
    lines.append(app_line("INFO", f"Listening on 0.0.0.0:{port or 'its port'}"))
    return lines


def dependency_lines(t: SimTask) -> list[str]:
    """The connection timeouts to the databases and caches the task cannot reach (reach/deps.py)."""
    return [app_line("ERROR", line) for d in t._sim.get("deps_down") or [] for line in timeout_lines(d)]


def crash_lines() -> list[str]:
    return [app_line("ERROR", "fatal error during start-up"), *STARTUP_FAILURE]


def request_line(source_ip: str, method: str, path: str, status: int, size: int, agent: str) -> str:
    return f'{source_ip} - - [{clf_time()}] "{method} {path} HTTP/1.1" {status} {size} "-" "{agent}"'


def background_logs(t: SimTask, health_path: str) -> None:
    """A running task's periodic lines: the load balancer's health check, and now and then an ERROR."""
    s = t._sim
    s["n_logs"] = s.get("n_logs", 0) + 1
    lines = []
    if s["targets"]:
        status = 500 if s["mode"] == "fail-health" else 200
        lines.append(request_line(s.get("elb_ip", "10.0.1.10"), "GET", health_path, status, 38 if status == 500 else 17, "ELB-HealthChecker/2.0"))
    if s["mode"] != "fail-health" and s["n_logs"] % 6 == 3:
        lines.append(app_line("ERROR", BACKGROUND_ERRORS[(s["n_logs"] // 6) % len(BACKGROUND_ERRORS)]))
    # The app retries its pools on every request that needs them: the timeouts keep coming.
    lines += dependency_lines(t)
    write_logs(t, lines)


def log_request(t: SimTask, method: str, path: str, status: int, size: int) -> None:
    write_logs(t, [request_line("10.0.1.37", method, path, status, size, "berth-sandbox-public-endpoint")])
