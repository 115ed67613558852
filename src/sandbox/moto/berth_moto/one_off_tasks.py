"""
RunTask in the sandbox: one-off tasks (`berth run`, `deploy --run-first`) that run, log and exit.

moto records a RunTask's tasks as RUNNING forever. Here a Fargate RunTask makes tasks the ECS
scheduler (ecs_sim/) drives like a service's: PROVISIONING -> PENDING -> RUNNING -> STOPPED, an
ENI in the given subnet, the same start problems (a missing image or tag, a missing secret or JSON
key, a missing log group: TaskFailedToStart with ECS's stopped reason). Once RUNNING, the essential
container's command (the override's, else the task definition's) is interpreted by
one_off_script.py: each `echo` a line in the container's awslogs stream
(`<prefix>/<container>/<task id>`), `sleep` waits, the last status becomes the container's exit
code and the task stops with EssentialContainerExited, as ECS reports it. A container with no
command runs the image's server: it logs its start-up and runs until stopped (StopTask).

Checked as ECS checks them (InvalidParameterException): launchType FARGATE needs an awsvpc
networkConfiguration with subnets; count 1-10; every containerOverrides name must be a container of
the task definition.
"""
from __future__ import annotations

import time
from typing import Any

from moto.ec2 import ec2_backends
from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import EC2ContainerServiceBackend

from .ecs_sim import launch as sim_launch
from .ecs_sim.logs import log_target, startup_lines, write_logs
from .ecs_sim.state import ARCH, SimTask, fail_mode, image_tag, mono
from .ecs_sim.tasks import begin_stop
from .one_off_script import exit_status, parse, sleep_seconds
from .settings import duration

_orig_run_task = EC2ContainerServiceBackend.run_task


def essential_container(td: Any, overrides: dict[str, Any]) -> dict[str, Any]:
    for cdef in td.container_definitions:
        if cdef.get("essential", True):
            return cdef
    return td.container_definitions[0]


def command_for(cdef: dict[str, Any], overrides: dict[str, Any]) -> list[str] | None:
    for co in overrides.get("containerOverrides") or []:
        if co.get("name") == cdef.get("name") and co.get("command"):
            return list(co["command"])
    cmd = cdef.get("command")
    return list(cmd) if cmd else None


def check(td: Any, count: int, overrides: dict[str, Any], launch_type: str | None, net: dict[str, Any] | None) -> None:
    if count < 1 or count > 10:
        raise InvalidParameterException("count must be between 1 and 10.")
    names = {c.get("name") for c in td.container_definitions}
    for co in overrides.get("containerOverrides") or []:
        if co.get("name") not in names:
            raise InvalidParameterException(f"Override for container named {co.get('name')} is not a container in the TaskDefinition.")
    if (launch_type or "") == "FARGATE" and not ((net or {}).get("awsvpcConfiguration") or {}).get("subnets"):
        raise InvalidParameterException("Network Configuration must be provided when networkMode 'awsvpc' is specified.")


def _run_task(self: Any, cluster_str: str, task_definition_str: str, count: int, overrides: dict[str, Any] | None, started_by: str,
              tags: list[dict[str, str]] | None, launch_type: str | None, networking_configuration: dict[str, Any] | None = None,
              group: str | None = None, platform_version: str | None = None) -> list[Any]:
    if (launch_type or "") != "FARGATE":
        return _orig_run_task(self, cluster_str, task_definition_str, count, overrides, started_by, tags, launch_type,
                              networking_configuration, group, platform_version)
    td = self.describe_task_definition(task_definition_str)
    overrides = overrides or {}
    check(td, count, overrides, launch_type, networking_configuration)
    cluster = self._get_cluster(cluster_str)
    tasks = []
    for _ in range(count):
        tasks.append(new_task(self, cluster, td, overrides, started_by or "", tags or [], networking_configuration or {},
                              group or f"family:{td.family}", platform_version or "1.4.0"))
    return tasks


def new_task(backend: Any, cluster: Any, td: Any, overrides: dict[str, Any], started_by: str, tags: list[dict[str, str]],
             net: dict[str, Any], group: str, platform_version: str) -> Any:
    vpc = net.get("awsvpcConfiguration") or {}
    subnet_id = (vpc.get("subnets") or [None])[0]
    ec2 = ec2_backends[backend.account_id][cluster.region_name]
    ip = sim_launch.allocate_ip(ec2, subnet_id) if subnet_id else None
    sim_launch._next_ip.value = ip
    try:
        t = SimTask(cluster=cluster, task_definition=td, container_instance_arn=None, resource_requirements=None, backend=backend,
                    group=group, launch_type="FARGATE", overrides=overrides, started_by=started_by, tags=tags,
                    networking_configuration=net or None, platform_version=platform_version)
    finally:
        sim_launch._next_ip.value = None
    sim_launch.reset_task(t, _NO_SERVICE, td)
    t.cpu = overrides.get("cpu") or td.cpu
    t.memory = overrides.get("memory") or td.memory
    if subnet_id:
        try:
            t.availability_zone = ec2.get_subnet(subnet_id).availability_zone
        except Exception:
            pass
    eni_id, att_id = sim_launch.attach(t)
    t.containers = sim_launch.new_containers(td, att_id, ip) or t.containers
    t._sim = sim_record(td, essential_container(td, overrides), overrides, ip, eni_id)
    if subnet_id:
        t._sim["net"] = {"subnetId": subnet_id, "securityGroupIds": list(vpc.get("securityGroups") or []), "publicIp": vpc.get("assignPublicIp") == "ENABLED"}
    backend.tasks.setdefault(cluster.name, {})[t.task_arn] = t
    return t


class _NoService:
    """What reset_task reads of a service, for a task that belongs to none."""
    launch_type = "FARGATE"
    enable_execute_command = False


_NO_SERVICE = _NoService()


def sim_record(td: Any, cdef: dict[str, Any], overrides: dict[str, Any], ip: str | None, eni_id: str | None) -> dict[str, Any]:
    image = cdef.get("image") or ""
    tag = image_tag(image)
    mode = fail_mode(tag)
    return {
        "service": None, "cdef": cdef, "image": image, "tag": tag, "mode": mode if mode in ("fail-pull", "fail-arch") else None,
        "wanted_arch": ARCH.get(((td.runtime_platform or {}).get("cpuArchitecture") or "X86_64").upper(), "amd64"),
        "port": None, "ip": ip, "eni": eni_id, "targets": [], "at": mono(),
        "provision": duration("PROVISION"), "pull": duration("PULL"), "stop": duration("STOP"),
        "command": command_for(cdef, overrides), "on_running": on_running, "on_tick": on_tick,
    }


# --- running: called by ecs_sim's scheduler (go_running / tick_task), under LOCK ---------------------

def on_running(t: Any) -> None:
    if t._sim["mode"] == "fail-arch":
        write_logs(t, ["exec /usr/local/bin/docker-entrypoint.sh: exec format error"])
        finish(t, 255)
        return
    command = t._sim["command"]
    if command is None:
        write_logs(t, startup_lines(t))
        t._sim["script"] = None
        return
    t._sim["script"] = {"steps": parse(command), "pc": 0, "wake": 0.0, "last": 0}


def on_tick(t: Any, now: float) -> None:
    sc = t._sim.get("script")
    if sc is None or now < sc["wake"]:
        return
    lines: list[str] = []
    while sc["pc"] < len(sc["steps"]):
        step = sc["steps"][sc["pc"]]
        sc["pc"] += 1
        if step.after == "&&" and sc["last"] != 0:
            continue
        if step.kind == "echo":
            lines.append(step.arg)
            sc["last"] = 0
        elif step.kind == "sleep":
            secs = sleep_seconds(step.arg)
            if secs is None:
                lines.append(f"sleep: invalid time interval '{step.arg}'")
                sc["last"] = 1
                continue
            sc["last"] = 0
            sc["wake"] = now + secs
            break
        elif step.kind == "exit":
            sc["last"] = exit_status(step.arg, sc["last"])
            sc["pc"] = len(sc["steps"])
        elif step.kind == "syntax":
            lines.append(step.arg)
            sc["last"] = 2
            sc["pc"] = len(sc["steps"])
        else:
            lines.append(f"sh: 1: {step.arg}: not found")
            sc["last"] = 127
    write_lines(t, lines)
    if sc["pc"] >= len(sc["steps"]) and now >= sc["wake"]:
        t._sim["script"] = None
        finish(t, sc["last"])


def write_lines(t: Any, lines: list[str]) -> None:
    """One put per batch, each line 1 ms after the one before, so the stream keeps their order."""
    if not lines:
        return
    target = log_target(t)
    if not target:
        return
    backend, group, stream = target
    if group not in backend.groups:
        return
    backend.ensure_log_stream(group, stream)
    base = int(time.time() * 1000)
    backend.put_log_events(group, stream, [{"timestamp": base + i, "message": m} for i, m in enumerate(lines)])


def finish(t: Any, code: int) -> None:
    begin_stop(t, "EssentialContainerExited", "Essential container in task exited", failure=False, exit_code=code)


def install() -> None:
    EC2ContainerServiceBackend.run_task = _run_task
