"""Placing a deployment's new tasks: a subnet of the service (round robin), a free address in it, an
ENI, the task's containers, and the scheduler's record of what the task is to do."""
from __future__ import annotations

import ipaddress
import random
import threading
from typing import Any

from moto.core.utils import utcnow
from moto.ec2 import ec2_backends
from moto.ecs import models as ecs_models
from moto.ecs.models import Container

from ..settings import duration
from .state import ARCH, SimTask, event, fail_mode, image_tag, mono, sim_state, task_id
from .targets import elb_backend

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
    spec = launch_spec(svc, td)
    started = []
    for _ in range(n):
        t = launch_one(backend, svc, dep, td, cluster, spec)
        if t is None:
            break
        started.append(t)
    if started:
        sim_state(svc)["steady"] = False
        event(svc, f"(service {svc.name}) has started {len(started)} tasks: {' '.join(f'(task {task_id(x)})' for x in started)}.")
    return started


def launch_spec(svc: Any, td: Any) -> dict[str, Any]:
    """What every task of this launch shares: network configuration, the app container, its image."""
    nc = (svc.network_configuration or {}).get("awsvpcConfiguration") or {}
    cdef = lb_container(svc, td)
    image = cdef.get("image") or ""
    port = None
    for pm in cdef.get("portMappings") or []:
        if pm.get("containerPort"):
            port = int(pm["containerPort"])
            break
    return {
        "nc": nc,
        "subnets": list(nc.get("subnets") or []),
        "cdef": cdef,
        "image": image,
        "tag": image_tag(image),
        "wanted": ARCH.get(((td.runtime_platform or {}).get("cpuArchitecture") or "X86_64").upper(), "amd64"),
        "port": port,
        "ec2": ec2_backends[svc._account_id][svc.region_name],
    }


def placement(svc: Any, td: Any, spec: dict[str, Any]) -> tuple[bool, str | None, str | None, dict[str, Any] | None]:
    """(placed, subnet id, address, networkConfiguration) of the next task."""
    if td.network_mode != "awsvpc":
        return True, None, None, None
    subnets = spec["subnets"]
    if not subnets:
        event(svc, f"(service {svc.name}) was unable to place a task: the service has no subnets (networkConfiguration).")
        return False, None, None, None
    st = sim_state(svc)
    subnet_id = subnets[st["rr"] % len(subnets)]
    st["rr"] += 1
    ip = allocate_ip(spec["ec2"], subnet_id)
    nc = spec["nc"]
    net = {"awsvpcConfiguration": {"subnets": [subnet_id], "securityGroups": nc.get("securityGroups") or [], "assignPublicIp": nc.get("assignPublicIp") or "DISABLED"}}
    return True, subnet_id, ip, net


def launch_one(backend: Any, svc: Any, dep: dict[str, Any], td: Any, cluster: Any, spec: dict[str, Any]) -> SimTask | None:
    placed, subnet_id, ip, net = placement(svc, td, spec)
    if not placed:
        return None
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
        return None
    finally:
        _next_ip.value = None
    reset_task(t, svc, td)
    if subnet_id:
        try:
            t.availability_zone = spec["ec2"].get_subnet(subnet_id).availability_zone
        except Exception:
            pass
    eni_id, att_id = attach(t)
    t.containers = new_containers(td, att_id, ip) or t.containers
    t._sim = sim_record(svc, spec, ip, eni_id)
    if net and subnet_id:
        vpc = net["awsvpcConfiguration"]
        t._sim["net"] = {"subnetId": subnet_id, "securityGroupIds": list(vpc["securityGroups"]), "publicIp": vpc["assignPublicIp"] == "ENABLED"}
    backend.tasks.setdefault(cluster.name, {})[t.task_arn] = t
    return t


def reset_task(t: SimTask, svc: Any, td: Any) -> None:
    """A task as ECS shows it when it has just been placed."""
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


def attach(t: SimTask) -> tuple[str | None, str | None]:
    """Mark the task's ENI attachments ATTACHED; (ENI id, attachment id)."""
    eni_id = None
    att_id = None
    for a in t.attachments:
        for d in a.get("details", []):
            if d.get("name") == "networkInterfaceId":
                eni_id = d.get("value")
        att_id = a.get("id")
        a["status"] = "ATTACHED"
    return eni_id, att_id


def new_containers(td: Any, att_id: str | None, ip: str | None) -> list[Any]:
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
    return containers


def sim_record(svc: Any, spec: dict[str, Any], ip: str | None, eni_id: str | None) -> dict[str, Any]:
    """The scheduler's record of a task: what it runs, how it will fail (if it does), its timings."""
    return {
        "service": svc,
        "cdef": spec["cdef"],
        "image": spec["image"],
        "tag": spec["tag"],
        "mode": fail_mode(spec["tag"]),
        "wanted_arch": spec["wanted"],
        "port": spec["port"],
        "ip": ip,
        "eni": eni_id,
        "targets": [],
        "at": mono(),
        "provision": duration("PROVISION"),
        "pull": duration("PULL"),
        "stop": duration("STOP"),
        "elb_ip": elb_source_ip(svc),
    }


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
