"""The ECS actions moto lacks for service deployments: ListServiceDeployments,
DescribeServiceDeployments, StopServiceDeployment, ContinueServiceDeployment (a PAUSE lifecycle hook:
hooks.py) and DescribeServiceRevisions, answered from the
scheduler's records (service_deployments.py) in the API's shapes, with the API's errors."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.core.responses import ActionResult
from moto.ecs.exceptions import ECSException, InvalidParameterException
from moto.ecs.responses import EC2ContainerServiceResponse

from .hooks import act
from .progressive import request_stop
from .service_deployments import TERMINAL, brief, deployments_of, find_deployment, find_revision, to_api

MAX_DESCRIBE = 20


class ServiceDeploymentNotFoundException(ECSException):
    def __init__(self) -> None:
        super().__init__("ServiceDeploymentNotFoundException", "The service deployment does not exist.")


class ConflictException(ECSException):
    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _in_window(created: Any, window: dict[str, Any] | None) -> bool:
    if not window:
        return True
    at = _aware(created)
    before, after = _aware(window.get("before")), _aware(window.get("after"))
    return at is not None and (before is None or at <= before) and (after is None or at >= after)


def _arns(response: Any, key: str) -> list[str]:
    arns = response._get_param(key) or []
    if not arns:
        raise InvalidParameterException(f"{key} can not be empty.")
    if len(arns) > MAX_DESCRIBE:
        raise InvalidParameterException(f"{key} can have at most {MAX_DESCRIBE} items.")
    return list(arns)


def list_service_deployments(self: Any) -> ActionResult:
    svc = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("service"))
    statuses = self._get_param("status") or []
    window = self._get_param("createdAt")
    limit = int(self._get_param("maxResults") or 20)
    if not 1 <= limit <= 100:
        raise InvalidParameterException("maxResults must be between 1 and 100.")
    rows = [sd for sd in deployments_of(svc) if (not statuses or sd.status in statuses) and _in_window(sd.created, window)]
    start = int(self._get_param("nextToken") or 0)
    page = rows[start : start + limit]
    out: dict[str, Any] = {"serviceDeployments": [brief(sd) for sd in page]}
    if start + limit < len(rows):
        out["nextToken"] = str(start + limit)
    return ActionResult(out)


def describe_service_deployments(self: Any) -> ActionResult:
    found, failures = [], []
    for arn in _arns(self, "serviceDeploymentArns"):
        sd = find_deployment(arn)
        if sd is None:
            failures.append({"arn": arn, "reason": "MISSING"})
        else:
            found.append(to_api(sd))
    return ActionResult({"serviceDeployments": found, "failures": failures})


def describe_service_revisions(self: Any) -> ActionResult:
    found, failures = [], []
    for arn in _arns(self, "serviceRevisionArns"):
        rev = find_revision(arn)
        if rev is None:
            failures.append({"arn": arn, "reason": "MISSING"})
        else:
            found.append({k: v for k, v in rev.items() if v is not None})
    return ActionResult({"serviceRevisions": found, "failures": failures})


def stop_service_deployment(self: Any) -> ActionResult:
    arn = self._get_param("serviceDeploymentArn")
    stop_type = self._get_param("stopType") or "ROLLBACK"
    if stop_type != "ROLLBACK":
        raise InvalidParameterException(f"stopType {stop_type} is not supported: the valid value is ROLLBACK.")
    sd = find_deployment(arn or "")
    if sd is None:
        raise ServiceDeploymentNotFoundException()
    if sd.status in TERMINAL:
        raise ConflictException(f"The service deployment {arn} is {sd.status} and can no longer be stopped.")
    if not sd.sources and sd.status in ("PENDING", "IN_PROGRESS"):
        raise ConflictException(f"The service deployment {arn} has no previous service revision to roll back to.")
    request_stop(sd)
    return ActionResult({"serviceDeploymentArn": sd.arn})


def continue_service_deployment(self: Any) -> ActionResult:
    arn = self._get_param("serviceDeploymentArn")
    hook_id = self._get_param("hookId") or ""
    action = self._get_param("action") or "CONTINUE"
    if action not in ("CONTINUE", "ROLLBACK"):
        raise InvalidParameterException(f"action {action} is not valid: expected CONTINUE or ROLLBACK.")
    sd = find_deployment(arn or "")
    if sd is None:
        raise ServiceDeploymentNotFoundException()
    if sd.status != "IN_PROGRESS" or not act(sd, hook_id, action):
        raise InvalidParameterException(f"The lifecycle hook {hook_id} of service deployment {arn} is not awaiting action.")
    return ActionResult({"serviceDeploymentArn": sd.arn})


def install() -> None:
    EC2ContainerServiceResponse.continue_service_deployment = continue_service_deployment  # type: ignore[attr-defined]
    EC2ContainerServiceResponse.list_service_deployments = list_service_deployments  # type: ignore[attr-defined]
    EC2ContainerServiceResponse.describe_service_deployments = describe_service_deployments  # type: ignore[attr-defined]
    EC2ContainerServiceResponse.describe_service_revisions = describe_service_revisions  # type: ignore[attr-defined]
    EC2ContainerServiceResponse.stop_service_deployment = stop_service_deployment  # type: ignore[attr-defined]
