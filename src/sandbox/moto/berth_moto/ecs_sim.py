"""
ECS that runs: a scheduler thread over moto's ECS, ELBv2, EC2, ECR, Secrets Manager, SSM and
CloudWatch Logs state.

moto records services but never runs tasks. Here every service with the ECS deployment controller
gets what ECS gives it:

- Deployments. CreateService, and every UpdateService that changes the task definition or asks for
  forceNewDeployment, makes a new PRIMARY deployment `ecs-svc/<19 digits>` (rolloutState
  IN_PROGRESS); the one before becomes ACTIVE and is drained once the new one is healthy (within
  minimumHealthyPercent / maximumPercent); the deployment COMPLETES when it alone runs the desired
  count, healthy. A desiredCount change scales the PRIMARY deployment, as on ECS.
- Tasks: PROVISIONING -> PENDING -> RUNNING, an ENI with an address from the service's subnet,
  registered as `ip` targets in the service's target groups (initial -> healthy), deregistered
  (draining) before they stop: DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED.
- Failures, the way ECS reports them. By image tag: `fail-exit` (EssentialContainerExited, exit code
  1), `fail-pull` (TaskFailedToStart, CannotPullContainerError ... not found), `fail-arch`
  (`exec format error`, exit 255), `fail-health` (runs, fails the target group's health check,
  then "Task failed ELB health checks in (target-group ...)"). By state: an image in moto's ECR
  whose manifest says another architecture than the task definition's runtimePlatform (exec format
  error; a manifest list without the platform: CannotPullContainerError), a tag missing from a
  repository that has images, a secret (Secrets Manager / SSM) or JSON key that does not exist, a
  log group that does not exist (ResourceInitializationError).
- The deployment circuit breaker (when enabled): failed tasks >= max(3, ceil(desired / 2)) (at most
  200) mark the deployment FAILED and, with rollback, start a deployment of the last COMPLETED one's
  task definition. Service events are ECS's own sentences.
- StopTask on a service task: the service starts a replacement.
- Log lines in the container's awslogs group, stream `<prefix>/<container>/<task id>`: start-up,
  health checks and requests (from the public endpoint), an ERROR now and then, and the failure.

Timings are compressed (settings.py).
"""
from __future__ import annotations

import ipaddress
import json
import math
import random
import re
import threading
import time
import traceback
import uuid
from datetime import datetime, timezone
from typing import Any, Iterator

from moto.core.utils import utcnow
from moto.ec2 import ec2_backends
from moto.ecr.models import ecr_backends
from moto.ecs import models as ecs_models
from moto.ecs.models import Container, EC2ContainerServiceBackend, Task
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup, elbv2_backends
from moto.logs.models import logs_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.ssm.models import ssm_backends

from . import LOCK
from .gaps import ecs_apply_service_fields, log
from .settings import TICK, LOG_INTERVAL, duration, scaled

FAIL_MODES = ("fail-exit", "fail-pull", "fail-arch", "fail-health")
ARCH = {"X86_64": "amd64", "ARM64": "arm64"}
LIVE = ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING")
PENDINGISH = ("PROVISIONING", "PENDING", "ACTIVATING")
STOPPINGISH = ("DEACTIVATING", "STOPPING", "DEPROVISIONING")
KEEP_STOPPED_PER_SERVICE = 50
MAX_EVENTS = 100
MAX_LOG_EVENTS_PER_STREAM = 5000

# Health of ip targets the scheduler registered: (target group ARN, ip) -> state.
HEALTH: dict[tuple[str, str], dict[str, Any]] = {}


def live_backends(backend_dict: Any) -> Iterator[Any]:
    """The backends that exist (never creates one)."""
    for account in list(dict.keys(backend_dict)):
        per_region = dict.__getitem__(backend_dict, account)
        for region in list(dict.keys(per_region)):
            yield dict.__getitem__(per_region, region)


def mono() -> float:
    return time.monotonic()


def clf_time() -> str:
    return datetime.now(timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000")


def iso_time() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_deployment_id() -> str:
    return f"ecs-svc/{random.randint(10**18, 10**19 - 1)}"


def image_tag(image: str) -> str:
    last = (image or "").rsplit("/", 1)[-1]
    if "@" in last:
        return last.split("@", 1)[1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def fail_mode(tag: str) -> str | None:
    for m in FAIL_MODES:
        if tag == m or tag.startswith(m + "-") or tag.startswith(m + "."):
            return m
    return None


# --- tasks -----------------------------------------------------------------------------------------

class SimTask(Task):
    """A task the scheduler drives: its status is what the scheduler set, nothing else."""

    @property
    def status(self) -> str | None:  # type: ignore[override]
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    @property
    def last_status(self) -> str:  # type: ignore[override]
        return self._status  # type: ignore[return-value]

    @last_status.setter
    def last_status(self, value: str) -> None:
        self._status = value

    def advance(self) -> None:
        pass


_next_ip = threading.local()
_orig_random_private_ip = ecs_models.random_private_ip


def _pick_ip(*args: Any, **kwargs: Any) -> str:
    ip = getattr(_next_ip, "value", None)
    if ip:
        _next_ip.value = None
        return ip
    return _orig_random_private_ip(*args, **kwargs)


def allocate_ip(ec2: Any, subnet_id: str) -> str | None:
    try:
        subnet = ec2.get_subnet(subnet_id)
    except Exception:
        return None
    net = ipaddress.ip_network(subnet.cidr_block, strict=False)
    used = {eni.private_ip_address for eni in ec2.enis.values() if getattr(eni.subnet, "id", None) == subnet_id}
    hosts = list(net.hosts())[3:-1] or list(net.hosts())  # AWS keeps .1-.3 and the last address
    free = [str(h) for h in hosts if str(h) not in used]
    return random.choice(free[: max(1, min(len(free), 200))]) if free else None


def backend_of(svc: Any) -> EC2ContainerServiceBackend:
    return svc._backend


def ids(svc: Any) -> tuple[str, str]:
    return svc._account_id, svc.region_name


def event(svc: Any, message: str) -> None:
    svc.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message})
    del svc.events[MAX_EVENTS:]


def sim_state(svc: Any) -> dict[str, Any]:
    if not hasattr(svc, "_berth"):
        svc._berth = {"steady": False, "last_completed": None, "next_launch": 0.0, "rr": 0}
    return svc._berth


def service_tasks(backend: Any, svc: Any) -> list[SimTask]:
    out = []
    for t in backend.tasks.get(svc.cluster_name, {}).values():
        if isinstance(t, SimTask) and t._sim.get("service") is svc:
            out.append(t)
    return out


def all_sim_tasks() -> Iterator[tuple[Any, SimTask]]:
    for backend in live_backends(ecs_models.ecs_backends):
        for cluster_tasks in list(backend.tasks.values()):
            for t in list(cluster_tasks.values()):
                if isinstance(t, SimTask):
                    yield backend, t


def is_live(t: SimTask) -> bool:
    return t.desired_status == "RUNNING" and t._status in LIVE


def is_healthy(t: SimTask) -> bool:
    """RUNNING and, for a load-balanced service, healthy in every target group."""
    if not (t.desired_status == "RUNNING" and t._status == "RUNNING"):
        return False
    svc = t._sim.get("service")
    if svc is not None and svc.load_balancers and not t._sim["targets"]:
        return False
    for tg_arn, ip, _port in t._sim["targets"]:
        if HEALTH.get((tg_arn, ip), {}).get("state") != "healthy":
            return False
    return True


def task_id(t: Any) -> str:
    return t.task_arn.split("/")[-1]


# --- logs ------------------------------------------------------------------------------------------

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
    lines += [
        app_line("INFO", "Database connection pool ready (size 5)"),
        app_line("INFO", "Cache connection ready"),
        app_line("INFO", f"Listening on 0.0.0.0:{port or 'its port'}"),
    ]
    return lines


BACKGROUND_ERRORS = (
    "request to upstream API failed: 429 Too Many Requests; retrying in 2s",
    "redis command timed out after 2.0s; retrying",
    "database query exceeded 5s and was cancelled: SELECT * FROM sessions WHERE ...",
    "unhandled exception in request handler: ValueError: invalid page size '-1'",
)


def request_line(source_ip: str, method: str, path: str, status: int, size: int, agent: str) -> str:
    return f'{source_ip} - - [{clf_time()}] "{method} {path} HTTP/1.1" {status} {size} "-" "{agent}"'


# --- load balancer targets -------------------------------------------------------------------------

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
    for lb in svc.load_balancers or []:
        tg_arn = lb.get("targetGroupArn")
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


_orig_health_for = FakeTargetGroup.health_for


def _health_for(self: FakeTargetGroup, target: dict[str, Any], ec2_backend: Any) -> FakeHealthStatus:
    h = HEALTH.get((self.arn, target.get("Id")))
    t = self.targets.get(target.get("Id"))
    if h is not None and t is not None:
        return FakeHealthStatus(t["Id"], t["Port"], self.health_check_port, h["state"], h.get("reason"), h.get("desc"))
    return _orig_health_for(self, target, ec2_backend)


# --- start-up checks -------------------------------------------------------------------------------

ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]+))?$")


def ecr_image(image: str) -> tuple[str, Any] | None:
    """('found', Image) / ('missing', None) for an image in moto's ECR; None when ECR cannot tell
    (not an ECR URI, or a repository with no images: nothing is ever pushed in a plain sandbox)."""
    m = ECR_IMAGE.match(image or "")
    if not m:
        return None
    account, region, repo_name, tag, digest = m.groups()
    backend = ecr_backends[account][region]
    repo = backend.repositories.get(repo_name)
    if repo is None or not repo.images:
        return None
    tag = tag or ("latest" if not digest else None)
    for img in repo.images:
        if (tag and tag in (img.image_tags or [])) or (digest and img.image_digest == digest):
            return "found", img
    return "missing", None


def manifest_arch(img: Any, wanted: str) -> tuple[str, str | None]:
    """('ok'|'no-platform'|'mismatch', architecture) from an ECR image manifest."""
    try:
        man = json.loads(img.image_manifest)
    except Exception:
        return "ok", None
    if isinstance(man.get("manifests"), list):
        archs = [(m.get("platform") or {}).get("architecture") for m in man["manifests"]]
        return ("ok" if wanted in archs else "no-platform"), ",".join(a for a in archs if a)
    arch = man.get("architecture") or ((man.get("config") or {}).get("platform") or {}).get("architecture")
    if not arch:
        ann = man.get("annotations") or {}
        arch = ann.get("org.opencontainers.image.architecture") or ann.get("architecture")
    if arch and arch != wanted:
        return "mismatch", arch
    return "ok", arch


def secret_problem(t: SimTask) -> str | None:
    """The ResourceInitializationError ECS reports when a `secrets` valueFrom cannot be read."""
    cdef = t._sim["cdef"]
    for s in cdef.get("secrets") or []:
        ref = s.get("valueFrom") or ""
        try:
            if ref.startswith("arn:") and ":secretsmanager:" in ref:
                parts = ref.split(":")
                secret_arn = ":".join(parts[:7])
                json_key = parts[7] if len(parts) > 7 and parts[7] else None
                region, account = parts[3], parts[4]
                sm = secretsmanager_backends[account][region]
                try:
                    value = sm.get_secret_value(secret_arn, None, None)
                except Exception:
                    return (
                        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                        f"unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret {secret_arn} "
                        "from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret."
                    )
                if json_key:
                    try:
                        doc = json.loads(value.get("SecretString") or "")
                    except ValueError:
                        doc = None
                    if not isinstance(doc, dict) or json_key not in doc:
                        return (
                            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                            f"unable to retrieve secrets from ssm/asm: retrieved secret from Secrets Manager did not contain json key {json_key}"
                        )
            elif ref.startswith("arn:") and ":ssm:" in ref:
                parts = ref.split(":")
                region, account = parts[3], parts[4]
                name = ref.split(":parameter", 1)[1]
                if ssm_backends[account][region].get_parameter(name) is None:
                    raise KeyError(name)
            elif ref and not ref.startswith("arn:"):
                if ssm_backends[t._account_id][t.region_name].get_parameter(ref if ref.startswith("/") else ref) is None:
                    raise KeyError(ref)
        except KeyError:
            return (
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
                f"unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: {ref}"
            )
        except Exception:
            continue
    return None


def log_group_problem(t: SimTask) -> str | None:
    target = log_target(t)
    if not target:
        return None
    backend, group, _stream = target
    opts = (t._sim["cdef"].get("logConfiguration") or {}).get("options") or {}
    if group in backend.groups:
        return None
    if str(opts.get("awslogs-create-group", "")).lower() == "true":
        backend.create_log_group(group, {})
        return None
    return (
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch "
        "log stream: operation error CloudWatch Logs: CreateLogStream, https response error StatusCode: 400, RequestID: "
        f"{uuid.uuid4()}, ResourceNotFoundException: The specified log group does not exist. : exit status 1"
    )


def start_problem(t: SimTask) -> tuple[str, str] | None:
    """Why the task cannot start: (stopCode-free) (stoppedReason, container reason)."""
    image = t._sim["image"]
    if t._sim["mode"] == "fail-pull":
        reason = f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: {image}: not found"
        return reason, reason
    found = ecr_image(image)
    if found and found[0] == "missing":
        reason = f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: {image}: not found"
        return reason, reason
    if found and found[0] == "found":
        verdict, arch = manifest_arch(found[1], t._sim["wanted_arch"])
        if verdict == "no-platform":
            reason = (
                f"CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor "
                f"matching platform 'linux/{t._sim['wanted_arch']}' (the image has {arch})"
            )
            return reason, reason
        if verdict == "mismatch":
            t._sim["mode"] = "fail-arch"
            t._sim["image_arch"] = arch
    p = secret_problem(t) or log_group_problem(t)
    if p:
        return p, p
    return None


# --- task lifecycle --------------------------------------------------------------------------------

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
    mode = t._sim["mode"]
    if mode == "fail-arch":
        write_logs(t, ["exec /usr/local/bin/docker-entrypoint.sh: exec format error"])
        t._sim["crash_at"] = mono() + min(duration("CRASH"), 0.5)
        return
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
        write_logs(
            t,
            [
                app_line("ERROR", "fatal error during start-up"),
                "Traceback (most recent call last):",
                '  File "/app/main.py", line 42, in <module>',
                "    app = create_app(settings)",
                '  File "/app/settings.py", line 17, in load',
                "    raise RuntimeError(\"start-up check failed: required setting is invalid\")",
                "RuntimeError: start-up check failed: required setting is invalid",
            ],
        )
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
        if t.desired_status == "STOPPED":
            set_status(t, "STOPPING")
            return
        problem = start_problem(t)
        if problem:
            reason, creason = problem
            begin_stop(t, "TaskFailedToStart", reason, failure=True, container_reason=creason)
            svc = s["service"]
            if svc is not None:
                event(svc, f"(service {svc.name}) failed to launch a task with (error {reason[:200]}).")
        else:
            go_running(t)
    elif st == "RUNNING":
        if s.get("crash_at") and now >= s["crash_at"]:
            crash(t)
            return
        tick_targets(t, now)
        if t._status == "RUNNING" and s.get("next_log") and now >= s["next_log"]:
            s["next_log"] = now + LOG_INTERVAL
            background_logs(t)
    elif st == "DEACTIVATING" and el >= s.get("drain", 0):
        finish_deregistration(t)
        set_status(t, "STOPPING")
    elif st == "STOPPING" and el >= s["stop"] / 2:
        if s["targets"]:
            finish_deregistration(t)
        set_status(t, "DEPROVISIONING")
    elif st == "DEPROVISIONING" and el >= s["stop"] / 2:
        finish_stop(t)


def tick_targets(t: SimTask, now: float) -> None:
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
                    set_health(tg_arn, ip, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
                    write_logs(t, [app_line("ERROR", f"health check {tg.health_check_path or '/'} failed: dependency check returned an error (HTTP 500)")])
                    if svc is not None:
                        event(svc, f"(service {svc.name}) (port {port}) is unhealthy in (target-group {tg_arn}) due to (reason Health checks failed with these codes: [500]).")
            elif now - h["at"] >= to_healthy:
                set_health(tg_arn, ip, "healthy")
        elif h["state"] == "unhealthy" and svc is not None:
            # ECS ignores ELB health during the grace period, and acts on an unhealthy target after a while.
            grace = scaled(float(getattr(svc, "health_check_grace_period_seconds", 0) or 0))
            started = s.get("running_since", s["at"])
            if now - started >= grace and now - h["at"] >= duration("REACT"):
                begin_stop(t, "ServiceSchedulerInitiated", f"Task failed ELB health checks in (target-group {tg_arn})", failure=True)
                return


def background_logs(t: SimTask) -> None:
    s = t._sim
    s["n_logs"] = s.get("n_logs", 0) + 1
    path = "/"
    svc = s["service"]
    if svc is not None and s["targets"]:
        tg = find_tg(elb_backend(t), s["targets"][0][0])
        if tg is not None and tg.health_check_path:
            path = tg.health_check_path
    lines = []
    if s["targets"]:
        status = 500 if s["mode"] == "fail-health" else 200
        lines.append(request_line(s.get("elb_ip", "10.0.1.10"), "GET", path, status, 38 if status == 500 else 17, "ELB-HealthChecker/2.0"))
    if s["mode"] != "fail-health" and s["n_logs"] % 6 == 3:
        lines.append(app_line("ERROR", BACKGROUND_ERRORS[(s["n_logs"] // 6) % len(BACKGROUND_ERRORS)]))
    write_logs(t, lines)


def log_request(t: SimTask, method: str, path: str, status: int, size: int) -> None:
    write_logs(t, [request_line("10.0.1.37", method, path, status, size, "berth-sandbox-public-endpoint")])


# --- launching -------------------------------------------------------------------------------------

def lb_container(svc: Any, td: Any) -> dict[str, Any]:
    names = [lb.get("containerName") for lb in svc.load_balancers or [] if lb.get("containerName")]
    for cdef in td.container_definitions:
        if cdef.get("name") in names:
            return cdef
    for cdef in td.container_definitions:
        if cdef.get("essential", True):
            return cdef
    return td.container_definitions[0]


def launch(backend: Any, svc: Any, dep: dict[str, Any], n: int) -> list[SimTask]:
    if n <= 0:
        return []
    try:
        td = backend.describe_task_definition(dep["taskDefinition"])
    except Exception as e:
        event(svc, f"(service {svc.name}) failed to launch a task with (error {e}).")
        return []
    cluster = backend.clusters.get(svc.cluster_name)
    if cluster is None:
        return []
    nc = (svc.network_configuration or {}).get("awsvpcConfiguration") or {}
    subnets = list(nc.get("subnets") or [])
    ec2 = ec2_backends[svc._account_id][svc.region_name]
    st = sim_state(svc)
    cdef = lb_container(svc, td)
    image = cdef.get("image") or ""
    tag = image_tag(image)
    wanted = ARCH.get(((td.runtime_platform or {}).get("cpuArchitecture") or "X86_64").upper(), "amd64")
    port = None
    for pm in cdef.get("portMappings") or []:
        if pm.get("containerPort"):
            port = int(pm["containerPort"])
            break
    started = []
    for _ in range(n):
        net = None
        ip = None
        subnet_id = None
        if td.network_mode == "awsvpc":
            if not subnets:
                event(svc, f"(service {svc.name}) was unable to place a task: the service has no subnets (networkConfiguration).")
                break
            subnet_id = subnets[st["rr"] % len(subnets)]
            st["rr"] += 1
            ip = allocate_ip(ec2, subnet_id)
            net = {"awsvpcConfiguration": {"subnets": [subnet_id], "securityGroups": nc.get("securityGroups") or [], "assignPublicIp": nc.get("assignPublicIp") or "DISABLED"}}
        _next_ip.value = ip
        try:
            t = SimTask(
                cluster=cluster,
                task_definition=td,
                container_instance_arn=None,
                resource_requirements=None,
                backend=backend,
                group=f"service:{svc.name}",
                launch_type=svc.launch_type or "FARGATE",
                overrides={},
                started_by=dep["id"],
                tags=list(svc.tags or []) if (svc.propagate_tags or "NONE") == "SERVICE" else [],
                networking_configuration=net,
                platform_version=svc.platform_version or "1.4.0",
            )
        except Exception as e:
            event(svc, f"(service {svc.name}) was unable to place a task: {e}")
            break
        finally:
            _next_ip.value = None
        now = utcnow()
        t._status = "PROVISIONING"
        t.desired_status = "RUNNING"
        t.created_at = now
        t.version = 1
        t.cpu = td.cpu
        t.memory = td.memory
        t.health_status = "UNKNOWN"
        t.stopped_reason = None
        t.stop_code = None
        t.started_at = None
        t.stopping_at = None
        t.stopped_at = None
        t.pull_started_at = None
        t.pull_stopped_at = None
        t.execution_stopped_at = None
        t.connectivity = None
        t.connectivity_at = None
        t.platform_family = "Linux"
        t.enable_execute_command = bool(getattr(svc, "enable_execute_command", False))
        t.capacity_provider_name = "FARGATE" if (svc.launch_type or "FARGATE") == "FARGATE" else None
        if subnet_id:
            try:
                t.availability_zone = ec2.get_subnet(subnet_id).availability_zone
            except Exception:
                pass
        eni_id = None
        att_id = None
        for a in t.attachments:
            for d in a.get("details", []):
                if d.get("name") == "networkInterfaceId":
                    eni_id = d.get("value")
            att_id = a.get("id")
            a["status"] = "ATTACHED"
        containers = []
        for cd in td.container_definitions:
            c = Container(td)
            c.name = cd.get("name")
            c.image = cd.get("image")
            c.cpu = cd.get("cpu")
            c.memory = cd.get("memory")
            c.exitCode = None
            c.reason = None
            c.last_status = "PENDING"
            c.health_status = "UNKNOWN"
            c.network_interfaces = [{"attachmentId": att_id, "privateIpv4Address": ip}] if ip else []
            containers.append(c)
        t.containers = containers or t.containers
        t._sim = {
            "service": svc,
            "cdef": cdef,
            "image": image,
            "tag": tag,
            "mode": fail_mode(tag),
            "wanted_arch": wanted,
            "port": port,
            "ip": ip,
            "eni": eni_id,
            "targets": [],
            "at": mono(),
            "provision": duration("PROVISION"),
            "pull": duration("PULL"),
            "stop": duration("STOP"),
            "elb_ip": elb_source_ip(svc),
        }
        backend.tasks.setdefault(cluster.name, {})[t.task_arn] = t
        started.append(t)
    if started:
        st["steady"] = False
        event(svc, f"(service {svc.name}) has started {len(started)} tasks: {' '.join(f'(task {task_id(x)})' for x in started)}.")
    return started


def elb_source_ip(svc: Any) -> str:
    """An address in the ALB's first subnet, to stand for the load balancer node in request logs."""
    try:
        elb = elb_backend(svc)
        ec2 = ec2_backends[svc._account_id][svc.region_name]
        for lb in elb.load_balancers.values():
            for sub in lb.subnets or []:
                sid = sub.id if hasattr(sub, "id") else sub
                net = ipaddress.ip_network(ec2.get_subnet(sid).cidr_block, strict=False)
                return str(list(net.hosts())[36])
    except Exception:
        pass
    return "10.0.1.37"


# --- deployments -----------------------------------------------------------------------------------

def new_deployment(svc: Any, td_arn: str, reason: str | None = None) -> dict[str, Any]:
    now = utcnow()
    dep_id = new_deployment_id()
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
    sim_state(svc)["steady"] = False
    sim_state(svc)["next_launch"] = 0.0
    return dep


def breaker_threshold(desired: int) -> int:
    return min(200, max(3, math.ceil(desired * 0.5)))


def tick_service(backend: Any, svc: Any, now: float) -> None:
    st = sim_state(svc)
    tasks = service_tasks(backend, svc)
    if svc.status != "ACTIVE":
        for t in tasks:
            if is_live(t):
                begin_stop(t, "ServiceSchedulerInitiated", f"Service {svc.name} deleted", failure=False)
        return
    if not svc.deployments:
        return
    dc = getattr(svc, "deployment_configuration", None) or {}
    cb = dc.get("deploymentCircuitBreaker") or {}
    max_pct = int(dc.get("maximumPercent", 200) or 200)
    min_pct = int(dc.get("minimumHealthyPercent", 100) or 0)
    desired = int(svc.desired_count or 0)
    primary = svc.deployments[0]
    by_dep: dict[str, list[SimTask]] = {}
    for t in tasks:
        by_dep.setdefault(t.started_by, []).append(t)
    p_live = [t for t in by_dep.get(primary["id"], []) if is_live(t)]
    old_live = [t for t in tasks if t.started_by != primary["id"] and is_live(t)]

    # Circuit breaker.
    if cb.get("enable") and primary.get("rolloutState") == "IN_PROGRESS" and primary.get("failedTasks", 0) >= breaker_threshold(desired):
        primary["rolloutState"] = "FAILED"
        primary["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
        primary["updatedAt"] = utcnow()
        event(svc, f"(service {svc.name}) (deployment {primary['id']}) deployment failed: tasks failed to start.")
        last = st.get("last_completed")
        if cb.get("rollback") and last and last["taskDefinition"] != primary["taskDefinition"]:
            event(svc, f"(service {svc.name}) rolling back to deployment {last['id']}.")
            primary = new_deployment(svc, last["taskDefinition"], f"ECS deployment circuit breaker: rolling back to deploymentId {last['id']}.")
            p_live = []
            old_live = [t for t in tasks if is_live(t)]

    # Scale the primary deployment to the desired count (within maximumPercent).
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

    # Drain older deployments as the primary becomes healthy (within minimumHealthyPercent).
    p_live = [t for t in by_dep.get(primary["id"], []) if is_live(t)] if primary["id"] in by_dep else [t for t in service_tasks(backend, svc) if t.started_by == primary["id"] and is_live(t)]
    old_live = [t for t in service_tasks(backend, svc) if t.started_by != primary["id"] and is_live(t)]
    min_healthy = math.ceil(desired * min_pct / 100)
    healthy_p = [t for t in p_live if is_healthy(t)]
    healthy_old = [t for t in old_live if is_healthy(t)]
    for t in old_live:
        if not is_healthy(t):
            begin_stop(t, "ServiceSchedulerInitiated", f"Scaling activity initiated by (deployment {primary['id']})", failure=False)
    surplus = len(healthy_p) + len(healthy_old) - min_healthy
    for t in sorted(healthy_old, key=lambda x: x.created_at):
        if surplus <= 0:
            break
        begin_stop(t, "ServiceSchedulerInitiated", f"Scaling activity initiated by (deployment {primary['id']})", failure=False)
        surplus -= 1

    # Counts, and deployments that have no task left.
    tasks = service_tasks(backend, svc)
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

    # Completion and steady state.
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

    # Forget old stopped tasks.
    stopped = sorted((t for t in tasks if t._status == "STOPPED"), key=lambda x: x.stopped_at or x.created_at)
    for t in stopped[: max(0, len(stopped) - KEEP_STOPPED_PER_SERVICE)]:
        backend.tasks.get(svc.cluster_name, {}).pop(t.task_arn, None)


def tick() -> None:
    now = mono()
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
    for backend in live_backends(ecs_models.ecs_backends):
        for cluster in backend.clusters.values():
            tasks = list(backend.tasks.get(cluster.name, {}).values())
            cluster.running_tasks_count = sum(1 for t in tasks if t.last_status == "RUNNING")
            cluster.pending_tasks_count = sum(1 for t in tasks if t.last_status in PENDINGISH)
            cluster.active_services_count = sum(1 for s in backend.services.values() if s.cluster_name == cluster.name and s.status == "ACTIVE")


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


def loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with LOCK:
                tick()
        except Exception:
            log("scheduler error:\n" + traceback.format_exc())
        stop.wait(TICK)


# --- API hooks -------------------------------------------------------------------------------------

_orig_create_service = EC2ContainerServiceBackend.create_service
_orig_update_service = EC2ContainerServiceBackend.update_service
_orig_stop_task = EC2ContainerServiceBackend.stop_task
_orig_list_tasks = EC2ContainerServiceBackend.list_tasks


_orig_create_service_response = EC2ContainerServiceResponse.create_service


def _create_service_response(self: Any) -> Any:
    result = _orig_create_service_response(self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    ecs_apply_service_fields(service, self._get_params())
    return result


def _create_service(self: Any, *args: Any, **kwargs: Any) -> Any:
    svc = _orig_create_service(self, *args, **kwargs)
    if (svc.deployment_controller or {}).get("type", "ECS") == "ECS":
        if hasattr(svc, "_berth"):
            del svc._berth
        adopt(self, svc)
    return svc


def _update_service(self: Any, service_properties: dict[str, Any]) -> Any:
    props = dict(service_properties)
    cluster_str = props.pop("cluster", "default")
    service_name = props.pop("service").split("/")[-1]
    td_str = props.pop("task_definition", None)
    force = bool(props.pop("force_new_deployment", False))
    svc = self._get_service(cluster_str, service_name)
    if (svc.deployment_controller or {}).get("type", "ECS") != "ECS":
        return _orig_update_service(self, service_properties)
    if not hasattr(svc, "_berth"):
        adopt(self, svc)
    new_td = self.describe_task_definition(td_str).arn if td_str else None
    if props.get("network_configuration") is not None:
        svc._validate_network(props["network_configuration"])
    for key, value in props.items():
        if value is None:
            continue
        setattr(svc, key, value)
    ecs_apply_service_fields(svc, {})
    if "desired_count" in props and props["desired_count"] is not None:
        svc.desired_count = int(props["desired_count"])
        sim_state(svc)["steady"] = False
    primary = svc.deployments[0] if svc.deployments else None
    if primary is None or (new_td and new_td != primary["taskDefinition"]) or force:
        new_deployment(svc, new_td or (primary["taskDefinition"] if primary else svc.task_definition))
    return svc


def _stop_task(self: Any, cluster_str: str, task_str: str, reason: str) -> Any:
    cluster = self._get_cluster(cluster_str)
    tid = task_str.split("/")[-1]
    for arn, t in self.tasks.get(cluster.name, {}).items():
        if arn.endswith(tid) and isinstance(t, SimTask):
            begin_stop(t, "UserInitiated", reason or "Task stopped by user", failure=False)
            return t
    return _orig_stop_task(self, cluster_str, task_str, reason)


def _list_tasks(self: Any, cluster_str: Any = None, container_instance: Any = None, family: Any = None, started_by: Any = None, service_name: Any = None, desiredStatus: Any = None) -> Any:
    tasks = _orig_list_tasks(self, cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING")
    if service_name:
        name = service_name.split("/")[-1]
        tasks = [t for t in tasks if getattr(t, "group", None) == f"service:{name}"]
    return tasks


def install() -> threading.Event:
    ecs_models.random_private_ip = _pick_ip
    FakeTargetGroup.health_for = _health_for
    EC2ContainerServiceBackend.create_service = _create_service
    EC2ContainerServiceBackend.update_service = _update_service
    EC2ContainerServiceBackend.stop_task = _stop_task
    EC2ContainerServiceBackend.list_tasks = _list_tasks
    EC2ContainerServiceResponse.create_service = _create_service_response
    stop = threading.Event()
    th = threading.Thread(target=loop, args=(stop,), name="berth-ecs-scheduler", daemon=True)
    th.start()
    return stop
