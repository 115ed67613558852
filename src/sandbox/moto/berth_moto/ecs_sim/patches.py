"""The hooks into moto: CreateService/UpdateService make deployments the scheduler runs, StopTask
stops a scheduled task the way ECS does, ListTasks filters by service, target health comes from
the scheduler, and new task ENIs get the address the scheduler picked. install() applies them and
starts the scheduler thread."""
from __future__ import annotations

import threading
from typing import Any

from moto.ecs import models as ecs_models
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.models import FakeTargetGroup

from ..gaps import ecs_apply_service_fields
from . import deployment_api
from .deployments import adopt, new_deployment
from .launch import _pick_ip
from .scheduler import loop
from .strategy import check_service_strategy
from .state import SimTask, sim_state
from .targets import _health_for
from .tasks import begin_stop

_orig_create_service = EC2ContainerServiceBackend.create_service
_orig_update_service = EC2ContainerServiceBackend.update_service
_orig_stop_task = EC2ContainerServiceBackend.stop_task
_orig_list_tasks = EC2ContainerServiceBackend.list_tasks
_orig_create_service_response = EC2ContainerServiceResponse.create_service


def _create_service_response(self: Any) -> Any:
    params = self._get_params()
    check_service_strategy(
        self.current_account, self.region, params.get("deploymentConfiguration"), params.get("loadBalancers"), params.get("deploymentController")
    )
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
    if props.get("deployment_configuration") is not None or props.get("load_balancers") is not None:
        check_service_strategy(
            self.account_id,
            svc.region_name,
            props.get("deployment_configuration") if props.get("deployment_configuration") is not None else svc.deployment_configuration,
            props.get("load_balancers") if props.get("load_balancers") is not None else svc.load_balancers,
            svc.deployment_controller,
        )
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
    deployment_api.install()
    stop = threading.Event()
    th = threading.Thread(target=loop, args=(stop,), name="berth-ecs-scheduler", daemon=True)
    th.start()
    return stop
